"""Who headed a delegation takes part. Sentences written for these tests."""

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
