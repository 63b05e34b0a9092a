"""Sessions of standing bodies announced before they meet: two organs of one organisation told in
one text, the date of the encounter's own clause, decisions to hold a session, preparations for it
(sentences written for these tests)"""
import datetime as dt

import pytest

PUB = dt.date(2023, 11, 30)  # a Thursday


def sessions(extract_text, text, pub=PUB):
    return sorted((e.status, e.named_format, e.date and e.date.start) for e in extract_text(text, pub).events)


def test_two_organs_announced_are_two_sessions(extract_text):
    # the foreign ministers' council the day before the summit is its own session, not the summit again
    text = ("Заседание Совета глав государств СНГ планируется провести 12 декабря в Минске. "
            "Накануне, 11 декабря, там же пройдет заседание Совета министров иностранных дел, сообщил Сергей Лебедев.")
    assert [(s, f) for s, f, _ in sessions(extract_text, text)] == [("planned", "CIS:CFM"), ("planned", "CIS:SUMMIT")]


def test_a_meeting_of_another_level_is_that_organ(extract_text):
    text = ("Сергей Лебедев в четверг заявил, что встреча глав правительств стран СНГ состоится 18 декабря, "
            "а 26 декабря пройдет неформальная встреча глав государств.")
    assert sessions(extract_text, text) == [("planned", "CIS:HGC", dt.date(2023, 12, 18)),
                                            ("planned", "CIS:SUMMIT", dt.date(2023, 12, 26))]


@pytest.mark.parametrize("text", [
    "Министр в четверг сообщил, что переговоры министров Казахстана и Узбекистана пройдут 5 декабря в Ташкенте.",
    "The minister said on Thursday, while in Astana, that the talks of the ministers of Kazakhstan and Uzbekistan will be held on 5 December.",
])
def test_the_day_of_the_saying_is_not_the_encounter_s(extract_text, text):
    assert [(s, d) for s, _, d in sessions(extract_text, text)] == [("planned", dt.date(2023, 12, 5))]


@pytest.mark.parametrize("text", [
    "Принято решение провести очередное заседание Совета глав правительств СНГ 21 ноября в Ашхабаде.",
    "Решено провести очередное заседание Совета глав правительств СНГ 21 ноября в Ашхабаде.",
    "It was decided to hold the next meeting of the CIS Council of Heads of Government on 21 November in Ashgabat.",
])
def test_a_decision_to_hold_a_session_announces_it(extract_text, text):
    assert sessions(extract_text, text, dt.date(2019, 5, 31)) == [("planned", "CIS:HGC", dt.date(2019, 11, 21))]


def test_a_decision_is_no_reception(extract_text):
    r = extract_text("Президент Садыр Жапаров принял решение о назначении нового посла.", PUB)
    assert r.events == []


@pytest.mark.parametrize("lang,text", [
    ("ru", "Министры обсудили подготовку к очередному заседанию Совета министров иностранных дел СНГ."),
    ("tg", "Тарафҳо омодагӣ ба саммити навбатии СҲШ-ро баррасӣ карданд."),
    ("tk", "Taraplar Bişkekde geçiriljek TDG-niň sammitine taýýarlyk meselelerini ara alyp maslahatlaşdylar."),
])
def test_preparations_for_a_session_announce_it(extract_text, lang, text):
    r = extract_text(text, PUB)
    assert r.document.lang == lang
    assert [e.status for e in r.events] == ["planned"]


def test_the_heads_of_the_states_council_is_the_summit(extract_text):
    r = extract_text("11 октября в Ашхабаде пройдет заседание совета глав стран СНГ.", dt.date(2019, 5, 31))
    assert [(e.status, e.named_format) for e in r.events] == [("planned", "CIS:SUMMIT")]


@pytest.mark.parametrize("text", [
    "Главы государств Центральной Азии провели шестую Консультативную встречу в Душанбе. Первая такая встреча прошла в 2018 году в Астане.",
    "The presidents of Central Asia held their sixth Consultative Meeting in Dushanbe. The first such meeting was held in Astana in 2018.",
    "Орталық Азия мемлекеттері басшыларының алтыншы консультативтік кездесуі Душанбеде өтті. Алғашқы кездесу 2018 жылы Астанада өткен болатын.",
    "Борбордук Азия мамлекет башчыларынын алтынчы консультативдик жолугушуусу Душанбеде өттү. Мындай биринчи жолугушуу 2018-жылы Астанада болгон.",
    "Markaziy Osiyo davlat rahbarlarining oltinchi maslahat uchrashuvi Dushanbeda boʻlib oʻtdi. Birinchi bunday uchrashuv 2018-yilda Astanada oʻtkazilgan edi.",
])
def test_the_first_such_meeting_is_an_earlier_one_of_the_format(extract_text, text):
    got = [(e.status, e.named_format, e.location and e.location.name) for e in extract_text(text, dt.date(2024, 9, 15)).events]
    assert got == [("held", "C5", "Dushanbe"), ("referenced", "C5", "Astana")]


def test_a_first_meeting_of_two_named_people_keeps_its_sides(extract_text):
    text = ("The SCO summit opened in Astana on Thursday. On its sidelines, Xi Jinping held his first meeting "
            "with Narendra Modi.")
    got = [(e.named_format, sorted(e.countries)) for e in extract_text(text, dt.date(2024, 7, 5)).events]
    assert (None, ["CHN", "IND"]) in got


def test_a_year_after_its_preposition_is_a_date():
    from kurultai.dates import find_dates
    from kurultai.kb.lexicon import load_lexicon
    got = [(d.value_start, d.precision) for d in find_dates("The talks were held in Astana in 2018.", load_lexicon("en"), PUB)]
    assert got == [(dt.date(2018, 1, 1), "year")]
    assert find_dates("The index rose in 2018.5 points", load_lexicon("en"), PUB) == []


@pytest.mark.parametrize("text", [
    "President Tokayev met President Mirziyoyev in Astana, where trade grew by 10 percent in 2023.",
    "Президент Токаев встретился с Президентом Мирзиёевым в Астане, где товарооборот в 2023 году вырос на 10 процентов.",
])
def test_a_year_of_another_clause_does_not_date_the_meeting(extract_text, text):
    assert [e.status for e in extract_text(text, PUB).events] == ["held"]
