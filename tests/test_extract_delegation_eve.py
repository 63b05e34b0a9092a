"""Who headed a delegation takes part; the session "on the eve of" which a meeting is held is another,
later encounter. Sentences written for these tests."""

import datetime as dt

import pytest

PUB = dt.date(2025, 3, 14)

# a session, then a sentence with no encounter word saying who led one state's delegation
LED = [
    ("ru", "Сегодня в Душанбе состоялось заседание Совета министров иностранных дел СНГ. "
           "Делегацию Казахстана возглавил министр иностранных дел Ермек Кошербаев.", "Yermek Kosherbayev", "KAZ"),
    ("ru", "Сегодня в Душанбе состоялось заседание Совета министров иностранных дел СНГ. "
           "Министр иностранных дел Казахстана Ермек Кошербаев возглавлял казахстанскую делегацию.", "Yermek Kosherbayev", "KAZ"),
    ("kk", "Бүгін Душанбеде ТМД Сыртқы істер министрлері кеңесінің отырысы өтті. "
           "Қазақстан делегациясын Сыртқы істер министрі Ермек Көшербаев басқарды.", "Yermek Kosherbayev", "KAZ"),
    ("uz", "Bugun Dushanbe shahrida MDH tashqi ishlar vazirlari kengashining majlisi boʻlib oʻtdi. "
           "Oʻzbekiston delegatsiyasiga tashqi ishlar vaziri Baxtiyor Saidov boshchilik qildi.", "Bakhtiyor Saidov", "UZB"),
    ("ky", "Бүгүн Душанбеде КМШнын тышкы иштер министрлер кеңешинин жыйыны өттү. "
           "Кыргызстандын делегациясын тышкы иштер министри Жээнбек Кулубаев жетектеди.", "Zheenbek Kulubaev", "KGZ"),
    ("en", "The CIS Council of Foreign Ministers met in Dushanbe today. "
           "The Kazakh delegation was led by Foreign Minister Yermek Kosherbayev.", "Yermek Kosherbayev", "KAZ"),
    ("en", "The CIS Council of Foreign Ministers met in Dushanbe today. "
           "Kazakh Foreign Minister Yermek Kosherbayev led the delegation of his country.", "Yermek Kosherbayev", "KAZ"),
    ("tg", "Имрӯз дар Душанбе ҷаласаи Шӯрои вазирони корҳои хориҷии ИДМ баргузор гардид. "
           "Ҳайати Қазоқистонро вазири корҳои хориҷӣ Ермек Кошербаев роҳбарӣ кард.", "Yermek Kosherbayev", "KAZ"),
    ("tk", "Şu gün Duşanbe şäherinde GDA-nyň Daşary işler ministrleriniň Geňeşiniň mejlisi geçirildi. "
           "Türkmenistanyň wekiliýetine Daşary işler ministri Raşid Meredow ýolbaşçylyk etdi.", "Rashid Meredov", "TKM"),
]


@pytest.mark.parametrize(("lang", "text", "person", "iso"), LED, ids=[f"{x[0]}-{i}" for i, x in enumerate(LED)])
def test_who_headed_a_delegation_takes_part(extract_text, lang, text, person, iso):
    r = extract_text(text, PUB)
    assert r.document.lang == lang
    (ev,) = r.events
    assert ev.named_format == "CIS:CFM"
    assert person in {p.name_en for p in ev.participants}
    assert iso in ev.countries


# a meeting of two ministers held on the eve of a session: two events, the session planned
EVE = [
    ("ru", "Министр иностранных дел Казахстана Ермек Кошербаев и министр иностранных дел Узбекистана Бахтиёр Саидов "
           "провели переговоры в Ташкенте накануне заседания Совета министров иностранных дел СНГ."),
    ("ru", "Министр иностранных дел Казахстана Ермек Кошербаев и министр иностранных дел Узбекистана Бахтиёр Саидов "
           "встретились в Ташкенте в преддверии заседания Совета министров иностранных дел СНГ."),
    ("en", "Kazakh Foreign Minister Yermek Kosherbayev and Uzbek Foreign Minister Bakhtiyor Saidov held talks in Tashkent "
           "on the eve of the CIS Council of Foreign Ministers."),
    ("en", "Kazakh Foreign Minister Yermek Kosherbayev and Uzbek Foreign Minister Bakhtiyor Saidov held talks in Tashkent "
           "ahead of the CIS Council of Foreign Ministers."),
    ("kk", "Қазақстан Сыртқы істер министрі Ермек Көшербаев пен Өзбекстан Сыртқы істер министрі Бахтиёр Саидов "
           "ТМД Сыртқы істер министрлері кеңесінің отырысы қарсаңында Ташкентте келіссөздер жүргізді."),
    ("ky", "Казакстандын тышкы иштер министри Ермек Кошербаев менен Өзбекстандын тышкы иштер министри Бахтиёр Саидов "
           "КМШнын тышкы иштер министрлер кеңешинин жыйынынын алдында Ташкентте жолугушту."),
    ("uz", "Qozogʻiston tashqi ishlar vaziri Yermek Koshirbayev va Oʻzbekiston tashqi ishlar vaziri Baxtiyor Saidov "
           "MDH tashqi ishlar vazirlari kengashi majlisi arafasida Toshkentda muzokaralar oʻtkazdi."),
    ("tg", "Вазири корҳои хориҷии Қазоқистон Ермек Кошербаев ва вазири корҳои хориҷии Ӯзбекистон Бахтиёр Саидов "
           "дар арафаи ҷаласаи Шӯрои вазирони корҳои хориҷии ИДМ дар Тошканд музокира карданд."),
    ("tk", "Gazagystanyň Daşary işler ministri Ýermek Köşerbaýew we Özbegistanyň Daşary işler ministri Bahtiýor Saidow "
           "GDA-nyň Daşary işler ministrleriniň Geňeşiniň mejlisiniň öňüsyrasynda Daşkentde gepleşik geçirdiler."),
]


@pytest.mark.parametrize(("lang", "text"), EVE, ids=[f"{x[0]}-{i}" for i, x in enumerate(EVE)])
def test_a_meeting_on_the_eve_of_a_session_is_another_event(extract_text, lang, text):
    r = extract_text(text, PUB)
    assert r.document.lang == lang
    by_status = {e.status: e for e in r.events}
    assert sorted(by_status) == ["held", "planned"] and len(r.events) == 2
    held, planned = by_status["held"], by_status["planned"]
    assert held.countries == ["KAZ", "UZB"] and held.named_format is None
    names = {p.name_en for p in held.participants}
    assert len(names) == 2 and "Bakhtiyor Saidov" in names  # (and the other minister, as the analyser spells them)
    assert planned.named_format == "CIS:CFM" and planned.participants == [] and planned.date is None
    assert planned.location is not None and planned.location.name == "Tashkent"


def test_the_eve_of_is_no_date_and_the_meeting_has_the_people_of_the_sentence_before(extract_text):
    r = extract_text("Министр иностранных дел Казахстана Ермек Кошербаев и министр иностранных дел Узбекистана Бахтиёр Саидов "
                     "обсудили вопросы транзита. Встреча министров прошла в Чолпан-Ате (Киргизия) накануне заседания "
                     "Совета министров иностранных дел ОДКБ.", PUB)
    held = [e for e in r.events if e.status == "held"]
    planned = [e for e in r.events if e.status == "planned"]
    assert len(held) == 1 and len(planned) == 1
    assert held[0].countries == ["KAZ", "UZB"] and held[0].location.name == "Cholpon-Ata"
    assert held[0].date.start == PUB and "transport" in held[0].topics
    assert planned[0].named_format == "CSTO:CFM" and planned[0].topics == []


def test_a_day_before_is_still_a_date(extract_text):
    # "накануне" with no session after it is the day before
    r = extract_text("Накануне министры иностранных дел Казахстана и Узбекистана провели переговоры в Ташкенте.", PUB)
    (ev,) = r.events
    assert ev.status == "held" and ev.date.start == dt.date(2025, 3, 13)
