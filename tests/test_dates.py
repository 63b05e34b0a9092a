import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kurultai.dates import find_dates
from kurultai.kb.lexicon import load_lexicon

RU = load_lexicon("ru")
PUB = dt.date(2025, 6, 29)


def one(text, base=PUB):
    found = find_dates(text, RU, base)
    assert found, text
    return found[0]


@pytest.mark.parametrize("text, start, end", [
    ("12.05.21", dt.date(2021, 5, 12), dt.date(2021, 5, 12)),
    ("29/06/2025", dt.date(2025, 6, 29), dt.date(2025, 6, 29)),
    ("2-8 сентября 2018г.", dt.date(2018, 9, 2), dt.date(2018, 9, 8)),
    ("15 марта 2018 года", dt.date(2018, 3, 15), dt.date(2018, 3, 15)),
    ("30 мая – 2 июня 2024 года", dt.date(2024, 5, 30), dt.date(2024, 6, 2)),
    ("в мае 2021 года", dt.date(2021, 5, 1), dt.date(2021, 5, 31)),
    ("в 2018 году", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
    ("7 марта", dt.date(2025, 3, 7), dt.date(2025, 3, 7)),
])
def test_absolute(text, start, end):
    d = one(text)
    assert (d.value_start, d.value_end) == (start, end)


@pytest.mark.parametrize("word, delta", [("сегодня", 0), ("вчера", -1), ("завтра", 1), ("накануне", -1)])
def test_relative_days(word, delta):
    d = one(f"Встреча состоится {word}.")
    assert d.value_start == PUB + dt.timedelta(days=delta)
    assert d.relative


def test_relative_without_base_is_unresolved():
    assert one("Сегодня состоялась встреча", base=None).value_start is None
    assert one("7 марта прошла встреча", base=None).value_start is None


def test_last_year():
    d = one("в прошлом году товарооборот вырос")
    assert d.value_start == dt.date(2024, 1, 1) and d.precision == "year"


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_numeric_dates_round_trip(day):
    for fmt in ("%d.%m.%Y", "%d/%m/%Y"):
        assert one(f"Встреча {day.strftime(fmt)} в Астане").value_start == day


@pytest.mark.parametrize("lang, text, start, precision", [
    ("kk", "2020 жылғы 15 қазанда", dt.date(2020, 10, 15), "day"),
    ("kk", "15 Қазан, 2020", dt.date(2020, 10, 15), "day"),
    ("ky", "2021-жылдын 12-майында", dt.date(2021, 5, 12), "day"),
    ("uz", "4-dekabr kuni", dt.date(2025, 12, 4), "day"),
    ("uz", "2025-yil iyul oyida", dt.date(2025, 7, 1), "month"),
    ("en", "May 12, 2021", dt.date(2021, 5, 12), "day"),
    ("en", "on 4 Dec 2020", dt.date(2020, 12, 4), "day"),
])
def test_dates_in_every_language(lang, text, start, precision):
    d = find_dates(text, load_lexicon(lang), PUB)[0]
    assert (d.value_start, d.precision) == (start, precision)


@pytest.mark.parametrize("lang, text", [("en", "5 decisions and 2 markets"), ("uz", "2 marta uchrashdi")])
def test_month_look_alikes_are_not_dates(lang, text):
    assert find_dates(text, load_lexicon(lang), PUB) == []


@pytest.mark.parametrize("lang, word, delta", [("kk", "бүгін", 0), ("kk", "кеше", -1), ("ky", "бүгүн", 0), ("ky", "кечээ", -1),
                                               ("uz", "bugun", 0), ("uz", "ertaga", 1), ("en", "yesterday", -1)])
def test_relative_words_in_every_language(lang, word, delta):
    d = find_dates(f"x {word} y", load_lexicon(lang), PUB)[0]
    assert d.value_start == PUB + dt.timedelta(days=delta)


@pytest.mark.parametrize(("lang", "text", "month_day"), [
    ("ru", "МОСКВА, 20 дек — Sputnik.", (12, 20)),
    ("ky", "БИШКЕК, 7-дек. — Sputnik.", (12, 7)),
    ("uz", "TOSHKENT, 1 noya – Sputnik.", (11, 1)),
    ("tg", "ДУШАНБЕ, 5 окт — Sputnik.", (10, 5)),
])
def test_an_abbreviated_month_without_a_year_keeps_its_day(lang, text, month_day):
    (d,) = find_dates(text, load_lexicon(lang), None)
    assert (d.value_start, d.month_day) == (None, month_day)


def test_an_abbreviation_is_a_month_only_alone():
    assert find_dates("5 деклараций и 3 марки", RU, PUB) == []
