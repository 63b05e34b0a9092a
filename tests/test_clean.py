import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kurultai.clean import InputError, clean, decode

BODY = ("Министр иностранных дел провел переговоры с коллегой. Стороны обсудили широкий круг вопросов "
        "двустороннего сотрудничества и региональной безопасности.")


def test_decode_cp1251_and_bom():
    text = "Министр иностранных дел Кыргызстана провел встречу."
    assert decode(text.encode("cp1251")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("utf-16")) == text


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\t ", "empty"),
    (bytes(range(256)) * 50, "binary"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "binary"),
])
def test_decode_rejects_non_text(data, message):
    with pytest.raises(InputError, match=message):
        decode(data)


@given(st.binary(max_size=3000))
@settings(max_examples=150, deadline=None)
def test_decode_and_clean_never_crash(data):
    try:
        cleaned = clean(decode(data))
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(cleaned.text, str)


def test_page_chrome_is_dropped_by_rules():
    raw = "\n".join([
        "Прямой эфир", "weather icon+7", "currencyEUR", "", "91.20", "ПОЛИТИКА",
        "Министры встретились в Ташкенте",
        "Узбекистан 03/04/2024 — 11:05",
        BODY,
        "[bookmark: _GoBack]" + BODY,
        "Теги:", "Узбекистан", "Поделиться:", "Комментарии (0)",
    ])
    c = clean(raw)
    assert c.title == "Министры встретились в Ташкенте"
    assert c.published == dt.date(2024, 4, 3)
    assert "weather" not in c.text and "91.20" not in c.text and "bookmark" not in c.text
    assert "Поделиться" not in c.text and "Комментарии" not in c.text and "Теги" not in c.text
    assert c.text.count("Министр иностранных дел") == 2


@pytest.mark.parametrize("header, expected, outlet", [
    ("Бишкек, 12.05.21. /Кабар/. ", dt.date(2021, 5, 12), "Кабар"),
    ("Алматы, 01.10.2019. /Казинформ/. ", dt.date(2019, 10, 1), "Казинформ"),
])
def test_inline_dateline(header, expected, outlet):
    c = clean(header + BODY)
    assert c.published == expected
    assert c.outlet == outlet
    assert c.text.startswith("Министр")


@pytest.mark.parametrize("line, expected", [
    ("Кыргызстан 29/06/2025 — 17:15", dt.date(2025, 6, 29)),
    ("12 мая 2021 года", dt.date(2021, 5, 12)),
    ("Саясат • 15 Қазан, 2020", dt.date(2020, 10, 15)),
])
def test_dateline_lines(line, expected):
    assert clean(line + "\n" + BODY).published == expected


def test_no_date_means_none():
    assert clean(BODY).published is None
