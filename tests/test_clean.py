import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from kurultai.clean import InputError, clean, decode

PARAGRAPHS = ROOT / "tests" / "data" / "lang_paragraphs.jsonl"

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
    ("Алматы, 01.10.2019. /Казинформ/. ", dt.date(2019, 10, 1), "Kazinform"),  # as the KB names it
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


# -- decoding: no wrong reading is stored (issue 8, item 10); stray control characters go (item 5) --------
RU = ("Синоптики Узгидромета прогнозируют в Ферганской долине дожди. Министр иностранных дел Кыргызстана "
      "провел встречу с коллегой из Таджикистана в Бишкеке.")
KK = "Қазақстанның сыртқы істер министрі Өзбекстанның әріптесімен кездесті. Тараптар ынтымақтастықты талқылады."


def test_utf8_cut_inside_its_last_character_is_utf8_without_the_cut():
    raw = (RU + " Ё").encode("utf-8")
    assert decode(raw[:-1]) == RU + " "


def test_utf8_with_a_few_bad_bytes_is_utf8_with_them_replaced():
    raw = bytearray(RU.encode("utf-8"))
    raw[10] = raw[60] = 0xFF
    text = decode(bytes(raw))
    assert text == bytes(raw).decode("utf-8", errors="replace") and "\ufffd" in text
    assert text.endswith(RU[40:])


@pytest.mark.parametrize("encoding", ["koi8_r", "mac_cyrillic", "cp1251", "cp866", "utf-16-le", "utf-16-be"])
def test_cyrillic_code_pages_and_utf16_without_bom(encoding):
    assert decode(RU.encode(encoding)) == RU


def test_code_pages_once_read_wrong():
    assert decode(KK.encode("kz1048")) == KK  # was read as cp1251: "Ќазаќстан"
    short = "Министр иностранных дел Кыргызстана провел встречу с коллегой из Казахстана."
    assert decode(short.encode("koi8_r")) == short  # was read as Shift-JIS
    paragraphs = [json.loads(line)["text"] for line in PARAGRAPHS.read_text(encoding="utf-8").splitlines()]
    mac = next(p for p in paragraphs if p.startswith("Синоптики Узгидромета"))
    assert decode(mac.encode("mac_cyrillic")) == mac  # was read as cp1251: "‘иноптики “згидромета"


def test_garbage_in_every_code_page_is_rejected_not_guessed():
    mixed = RU.encode("utf-8") + RU.encode("cp1251") + RU.encode("koi8_r")  # three encodings in one file
    with pytest.raises(InputError, match="encoding"):
        decode(mixed)


def test_a_few_nuls_and_control_characters_are_dropped():
    text = decode(RU.encode("utf-8").replace("Ферганской".encode(), "Ферган\x00ской\x07".encode()))
    assert text == RU.replace("Ферганской", "Ферганской")
    assert decode(b"\x00" + RU.encode("utf-8") + b"\x0c" + b"\x1b[0m") == RU + "\n[0m"
    assert "\x00" not in clean("Министр\x00 " + BODY).text


def test_input_error_is_one_printable_line():
    err = InputError("bad\x00 file\nname\x1b[31m: broken")
    assert str(err) == "bad file name[31m: broken"
