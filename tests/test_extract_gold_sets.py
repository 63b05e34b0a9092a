"""Rules from stop 13's fresh gold sets, each on sentences written for it: weekdays, months relative
to the publication day and months without their year, pluperfect background, coordinated sessions,
who takes part, places, in every language"""
import datetime as dt

import pytest

from kurultai.dates import find_dates
from kurultai.kb.lexicon import load_lexicon

PUB = dt.date(2025, 6, 10)  # a Tuesday


def dates(text, lang, base=PUB):
    return [(d.value_start, d.value_end, d.precision) for d in find_dates(text, load_lexicon(lang), base)]


@pytest.mark.parametrize("lang,text", [
    ("ru", "В пятницу министры встретились."),
    ("en", "The ministers met on Friday."),
    ("kk", "Жұма күні министрлер кездесті."),
    ("ky", "Жума күнү министрлер жолугушту."),
    ("uz", "Juma kuni vazirlar uchrashdi."),
    ("uz", "Жума куни вазирлар учрашди."),
    ("tg", "Рӯзи ҷумъа вазирон мулоқот карданд."),
    ("tk", "Anna güni ministrler duşuşdylar."),
])
def test_a_weekday_is_the_last_such_day(lang, text):
    assert dates(text, lang) == [(dt.date(2025, 6, 6), dt.date(2025, 6, 6), "day")]


def test_the_capital_of_tajikistan_is_no_monday():
    assert dates("Вазирон дар Душанбе мулоқот карданд.", "tg") == []
    assert dates("Рӯзи душанбе вазирон мулоқот карданд.", "tg") == [(dt.date(2025, 6, 9), dt.date(2025, 6, 9), "day")]


def test_a_weekday_beside_its_date_gives_way():
    assert dates("The ministers met on Friday, June 6.", "en") == [(dt.date(2025, 6, 6), dt.date(2025, 6, 6), "day")]


def test_no_weekday_without_a_publication_day():
    (d,) = find_dates("The ministers met on Friday.", load_lexicon("en"), None)
    assert d.value_start is None and d.weekday == 4


@pytest.mark.parametrize("lang,text,month", [
    ("ru", "В прошлом месяце министры встретились.", 5),
    ("en", "The ministers met last month.", 5),
    ("kk", "Өткен айда министрлер кездесті.", 5),
    ("ky", "Өткөн айда министрлер жолугушту.", 5),
    ("uz", "O‘tgan oyda vazirlar uchrashdi.", 5),
    ("uz", "Oʻtgan oyda vazirlar uchrashdi.", 5),
    ("tk", "Indiki aýda ministrler duşuşar.", 7),
    ("tg", "Моҳи оянда вазирон мулоқот мекунанд.", 7),
])
def test_months_from_the_publication_day(lang, text, month):
    (d,) = dates(text, lang)
    assert d[0] == dt.date(2025, month, 1) and d[2] == "month"


@pytest.mark.parametrize("lang,text", [
    ("ru", "Министры встретились в марте."),
    ("en", "The ministers met in March."),
    ("kk", "Министрлер наурыз айында кездесті."),
    ("ky", "Министрлер март айында жолугушту."),
    ("uz", "Vazirlar mart oyida uchrashdi."),
    ("tk", "Ministrler mart aýynda duşuşdylar."),
])
def test_a_month_without_its_year_is_the_publication_s(lang, text):
    assert dates(text, lang) == [(dt.date(2025, 3, 1), dt.date(2025, 3, 31), "month")]


def test_a_month_word_alone_is_no_date():
    assert dates("Министрлер Қазан қаласында кездесті.", "kk") == []
    assert dates("The ministers may meet again.", "en") == []


def events(extract_text, text, pub=PUB):
    return [(e.status, e.date and (e.date.start, e.date.precision)) for e in extract_text(text, pub).events]


def test_an_announced_weekday_is_the_next(extract_text):
    assert events(extract_text, "Токаев и Мирзиёев встретятся в пятницу в Ташкенте.") == [("planned", (dt.date(2025, 6, 13), "day"))]
    assert events(extract_text, "Tokayev met Mirziyoyev in Tashkent on Friday.") == [("held", (dt.date(2025, 6, 6), "day"))]


def test_an_announced_month_that_is_over_is_next_year_s(extract_text):
    assert events(extract_text, "Токаев и Мирзиёев встретятся в марте в Ташкенте.") == [("planned", (dt.date(2026, 3, 1), "month"))]


def test_a_past_month_still_to_come_is_last_year_s(extract_text):
    (ev,) = events(extract_text, "Токаев и Мирзиёев встретились в ноябре в Ташкенте.")
    assert ev == ("referenced", (dt.date(2024, 11, 1), "month"))


def test_last_month_is_background(extract_text):
    r = extract_text("President Tokayev received Uzbek Foreign Minister Bakhtiyor Saidov in Astana on Tuesday. "
                     "Last month, Tokayev and Mirziyoyev met in Samarkand.", PUB)
    assert [(e.status, e.date.precision if e.date else None) for e in r.events] == [("held", "day"), ("referenced", "month")]


@pytest.mark.parametrize("text", [
    "Бүгін Астанада Қасым-Жомарт Тоқаев Өзбекстан Сыртқы істер министрі Бахтиёр Саидовты қабылдады. "
    "Тоқаев пен Шавкат Мирзиёев Ташкентте кездескен болатын.",
    "Бүгүн Бишкекте Садыр Жапаров Өзбекстандын тышкы иштер министри Бахтиёр Саидовду кабыл алды. "
    "Жапаров менен Мирзиёев Ташкентте жолугушкан эле.",
    "Bugun Toshkentda Shavkat Mirziyoyev Qozog‘iston tashqi ishlar vaziri Murat Nurtleuni qabul qildi. "
    "Mirziyoyev va Qasim-Jomart Toqayev Samarqandda uchrashgan edi.",
    "Бугун Тошкентда Шавкат Мирзиёев Қозоғистон Ташқи ишлар вазири Мурат Нуртлеуни қабул қилди. "
    "Мирзиёев ва Қасим-Жомарт Тоқаев Самарқандда учрашганди.",
    "On Tuesday, President Tokayev received Uzbek Foreign Minister Bakhtiyor Saidov in Astana. "
    "Tokayev and Mirziyoyev had held talks by phone.",
])
def test_a_pluperfect_tells_of_an_earlier_encounter(extract_text, text):
    assert [e.status for e in extract_text(text, PUB).events] == ["held", "referenced"]


@pytest.mark.parametrize("text", [
    "На полях 79-й сессии Генеральной Ассамблеи ООН в Нью-Йорке Мурат Нуртлеу встретился с министром иностранных дел "
    "Венгрии Петером Сийярто.",
    "On the sidelines of the 79th session of the UN General Assembly, Kazakh Foreign Minister Murat Nurtleu met with "
    "Hungarian Foreign Minister Peter Szijjarto.",
])
def test_the_organisation_of_a_frame_takes_no_part(extract_text, text):
    (ev,) = [e for e in extract_text(text, PUB).events if "HUN" in e.countries]
    assert ev.countries == ["HUN", "KAZ"] and ev.organizations == [] and ev.format == "bilateral"


@pytest.mark.parametrize("lang,text,day", [
    ("ru", "Министры встретились в марте этого года.", dt.date(2025, 3, 1)),
    ("ru", "Министры встретились в декабре прошлого года.", dt.date(2024, 12, 1)),
    ("en", "The ministers met in March this year.", dt.date(2025, 3, 1)),
    ("kk", "Биыл 3 қарашада жоспарланған саммит.", dt.date(2025, 11, 3)),
])
def test_a_day_or_month_beside_a_relative_year_is_of_that_year(lang, text, day):
    (d,) = find_dates(text, load_lexicon(lang), PUB)
    assert d.value_start == day and d.has_year


def test_a_planned_summit_of_this_year_keeps_its_year(extract_text):
    r = extract_text("Биыл 3 қарашада жоспарланған Түркі мемлекеттері ұйымының саммитіне Түркия президенті Режеп Тайып "
                     "Ердоған келеді.", dt.date(2025, 9, 11))
    (ev,) = [e for e in r.events if e.named_format == "OTS:SUMMIT"]
    assert ev.status == "planned" and ev.date.start == dt.date(2025, 11, 3)


def test_a_state_discussed_in_a_call_is_no_side_of_it(extract_text):
    r = extract_text("Президент Киргизии Садыр Жапаров провел телефонный разговор с президентом России Владимиром Путиным. "
                     "В ходе разговора Путин информировал Жапарова о контактах с американской стороной по вопросу "
                     "украинского кризиса.", PUB)
    assert [e.countries for e in r.events] == [["KGZ", "RUS"]]


def test_calls_with_two_leaders_are_two_calls(extract_text):
    r = extract_text("Садыр Жапаров провел телефонные разговоры с президентом России Владимиром Путиным и президентом "
                     "Казахстана Касым-Жомартом Токаевым.", PUB)
    assert sorted(e.countries for e in r.events) == [["KAZ", "KGZ"], ["KGZ", "RUS"]]


@pytest.mark.parametrize("text", [
    "Мулоқот чоғида Ислом ҳамкорлик ташкилоти Ташқи ишлар вазирлари Кенгашида Ўзбекистоннинг бўлажак раислиги "
    "масалалари муҳокама қилинди.",
    "The ministers discussed Kazakhstan's chairmanship of the CICA summit.",
    "Министры обсудили председательство Казахстана в СВМДА.",
])
def test_a_body_a_state_chairs_is_no_encounter(extract_text, text):
    assert extract_text(text, PUB).events == []


def test_a_spokeswoman_announcing_a_meeting_takes_no_part(extract_text):
    r = extract_text("Министр иностранных дел России Сергей Лавров проведет в пятницу встречу с коллегой из Кыргызстана "
                     "Чингизом Айдарбековым, сообщила официальный представитель МИД России Мария Захарова.", PUB)
    (ev,) = r.events
    assert {p.name_en for p in ev.participants} == {"Sergey Lavrov", "Chingiz Aidarbekov"}


def test_a_palace_is_its_city_and_a_press_service_no_venue(extract_text):
    (ev,) = extract_text("Эки тараптын тышкы иштер министрлери Жээнбек Кулубаев жана Бахтиёр Саидов мамлекеттик Ала-Арча "
                         "резиденциясында жолугушту.", PUB).events
    assert ev.location.name == "Bishkek"
    (ev,) = extract_text("Касым-Жомарт Токаев принял помощника Президента Узбекистана Саиду Мирзиёеву, сообщает "
                         "пресс-служба Акорды.", PUB).events
    assert ev.location is None
    assert {(p.name_en, p.role) for p in ev.participants} == {("Kassym-Jomart Tokayev", "head_of_state"),
                                                              ("Saida Mirziyoyeva", "other")}


def test_a_series_of_calls_told_next_is_a_call_each(extract_text):
    r = extract_text("Кыргыз Республикасынын Президенти Садыр Жапаров кечээ кечинде ЖККУга мүчө өлкөлөрдүн лидерлери менен "
                     "бир катар телефондук сүйлөшүүлөрдү өткөрдү.\nМамлекет башчысы Казакстан Республикасынын Президенти "
                     "Касым-Жомарт Токаев, ЖККУнун Жамааттык коопсуздук кеңешинин төрагасы, Армениянын Премьер-министри "
                     "Никол Пашинян, ошондой эле Россия Федерациясынын Президенти Владимир Путин менен сүйлөштү.", PUB)
    assert sorted((e.mode, tuple(e.countries), e.named_format) for e in r.events) == [
        ("phone", ("ARM", "KGZ"), None), ("phone", ("KAZ", "KGZ"), None), ("phone", ("KGZ", "RUS"), None)]


def test_given_names_spelt_otherwise_are_the_kb_person_s(extract_text):
    (ev,) = extract_text("Нұрсұлтан Назарбаев Түркия Республикасының Президенті Режеп Тайип Ердоғанмен телефон арқылы "
                         "сөйлесті.", dt.date(2020, 4, 1)).events
    assert sorted(p.name_en for p in ev.participants) == ["Nursultan Nazarbayev", "Recep Tayyip Erdoğan"]


def test_an_office_the_text_does_not_name_is_the_one_held_that_day(extract_text):
    (ev,) = extract_text("Нұрсұлтан Назарбаев пен Режеп Тайып Ердоған 2015 жылғы 3 наурызда телефон арқылы сөйлесті.").events
    assert {p.name_en: p.role for p in ev.participants} == {"Nursultan Nazarbayev": "head_of_state",
                                                            "Recep Tayyip Erdoğan": "head_of_state"}


@pytest.mark.parametrize("text", [
    "President Tokayev will take part in the SCO summit and in the meeting of the CSTO Collective Security Council.",
    "Токаев примет участие в саммите ШОС и в заседании Совета коллективной безопасности ОДКБ.",
    "Тоқаев ШЫҰ саммитіне және ҰҚШҰ Ұжымдық қауіпсіздік кеңесінің отырысына қатысады.",
])
def test_two_coordinated_sessions_are_two_events(extract_text, text):
    r = extract_text(text, PUB)
    assert sorted((e.named_format, e.status, tuple(e.organizations)) for e in r.events) == [
        ("CSTO:SUMMIT", "planned", ("CSTO",)), ("SCO:SUMMIT", "planned", ("SCO",))]
    assert all([p.name_en for p in e.participants] == ["Kassym-Jomart Tokayev"] for e in r.events)


@pytest.mark.parametrize("lang,text", [
    ("ru", "В декабре пройдут саммиты СНГ и ОДКБ."),
    ("en", "The CIS and CSTO summits will be held in Dushanbe in October."),
    ("kk", "Душанбеде қазан айында ТМД және ҰҚШҰ саммиттері өтеді."),
])
def test_the_summits_of_two_organisations_are_two(extract_text, lang, text):
    assert sorted(e.named_format for e in extract_text(text, PUB).events) == ["CIS:SUMMIT", "CSTO:SUMMIT"]


@pytest.mark.parametrize("text", [
    "В столице Таджикистана Эмомали Рахмон принял Сергея Лаврова.",
    "In the Tajik capital, Rahmon met Lavrov.",
    "Тажикстандын борборунда Эмомали Рахмон Сергей Лавровду кабыл алды.",
])
def test_the_capital_of_a_state_is_its_capital_city(extract_text, text):
    (ev,) = extract_text(text, PUB).events
    assert ev.location.name == "Dushanbe" and ev.countries == ["RUS", "TJK"]


def test_northern_ireland_is_of_the_united_kingdom(extract_text):
    r = extract_text("Buyuk Britaniya va Shimoliy Irlandiya Qirolichasi Yelizaveta II Oʻzbekiston elchisi bilan uchrashdi.", PUB)
    assert all("IRL" not in e.countries for e in r.events)


def test_an_office_before_a_shared_surname_tells_who(extract_text):
    (ev,) = extract_text("Президент Жапаров 31-августта иш сапары менен Кытайга барат. Сапардын жүрүшүндө Жапаров Кытайдын "
                         "төрагасы Си Цзиньпин менен жолугат.", PUB).events
    assert sorted(p.name_en for p in ev.participants) == ["Sadyr Japarov", "Xi Jinping"]


@pytest.mark.parametrize("text", [
    "Об этом сообщает МИД России, подводя итоги телефонного разговора Сергея Лаврова с главой МИД Узбекистана "
    "Бахтиером Саидовым.",
    "Russian Foreign Minister Sergey Lavrov said at a press conference following talks with Kyrgyz Foreign Minister "
    "Ruslan Kazakbaev.",
])
def test_what_follows_an_encounter_asserts_it(extract_text, text):
    (ev,) = extract_text(text, PUB).events
    assert ev.status == "held" and len(ev.countries) == 2


@pytest.mark.parametrize("text", [
    "Визит министра иностранных дел России Сергея Лаврова в Узбекистан перенесли на более поздний срок.",
    "The visit of Sergey Lavrov to Uzbekistan has been postponed.",
])
def test_a_postponed_visit_is_still_to_come(extract_text, text):
    (ev,) = extract_text(text, PUB).events
    assert ev.status == "planned" and ev.countries == ["RUS", "UZB"] and ev.date is None


def test_a_series_of_meetings_with_hosts_of_one_state_is_one_each(extract_text):
    r = extract_text("В рамках визита Сергей Лавров провел ряд встреч с председателем Сената Казахстана Маулеленом "
                     "Ашимбаевым, премьер-министром Олжасом Бектеновым и министром иностранных дел Муратом Нуртлеу.", PUB)
    met = sorted((p.name_en, p.role) for e in r.events for p in e.participants if p.name_en != "Sergey Lavrov")
    assert len(r.events) == 3 and met == [("Maulen Ashimbayev", "other"), ("Murat Nurtleu", "foreign_minister"),
                                          ("Olzhas Bektenov", "head_of_government")]


def test_to_chair_a_session_is_to_take_part(extract_text):
    (ev,) = extract_text("Kaja Kallas will chair the 20th EU-Central Asia Ministerial meeting in Astana.", PUB).events
    assert ev.named_format == "C5+EU" and ev.status == "planned"
