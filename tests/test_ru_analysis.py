import datetime as dt

import pytest

from kurultai.models import Document


def analyse(ru, text, published=None):
    return ru.analyse(Document(id="t", lang="ru", text=text, published=published))


@pytest.mark.parametrize("surface, nominative", [
    ("Садыром Жапаровым", "Садыр Жапаров"),
    ("Жээнбеком Кулубаевым", "Жээнбек Кулубаев"),
    ("Касым-Жомарта Токаева", "Касым-Жомарт Токаев"),
    ("Руслана Казакбаева", "Руслан Казакбаев"),
    ("Андреем Крутько", "Андрей Крутько"),
    ("Сергею Лаврову", "Сергей Лавров"),
    ("Айгуль Тестовой", "Айгуль Тестова"),
])
def test_names_to_nominative(ru, surface, nominative):
    assert ru.nominative(surface) == nominative


def test_kb_people_get_their_kb_name_whatever_the_case(ru):
    a = analyse(ru, "Он был принят Президентом Кыргызской Республики Садыром Жапаровым. Садыр Жапаров отметил рост.")
    names = {p.name for p in a.persons.values()}
    assert names == {"Садыр Жапаров"}


def test_titles_are_kept_out_of_names(ru):
    a = analyse(ru, "Президент Касым-Жомарт Токаев провел встречу.")
    ref = next(iter(a.persons.values()))
    assert ref.name == "Касым-Жомарт Токаев"
    assert ref.role == "head_of_state"


def test_person_outside_kb_gets_role_and_country_from_context(ru):
    a = analyse(ru, "Министр иностранных дел Таджикистана Фаррух Назаров встретился с коллегой. Назаров отметил важность встречи.")
    refs = [p for p in a.persons.values() if p.kb is None]
    assert len(refs) == 1
    ref = refs[0]
    assert ref.name == "Фаррух Назаров" and ref.name_en == "Farrukh Nazarov"
    assert (ref.role, ref.country) == ("foreign_minister", "TJK")
    assert len(ref.spans) == 2  # the bare surname is linked to the full name met earlier


def test_bare_surname_links_to_the_full_name(ru):
    a = analyse(ru, "Министр Сергей Лавров прибыл в Бишкек. Встретился Лавров и с главой Кыргызстана.")
    lavrov = [p for p in a.persons.values() if p.name_en == "Sergey Lavrov"]
    assert len(lavrov) == 1 and len(lavrov[0].spans) == 2


def test_abbreviations_and_adjectives_are_countries(ru):
    a = analyse(ru, "Глава МИД РК обсудил казахско-кыргызские отношения с коллегами из КНР, РФ и РУз.")
    assert {m.id for m in a.mentions if m.kind == "country"} >= {"KAZ", "KGZ", "CHN", "RUS", "UZB"}


def test_eve_of_is_not_yesterday(ru):
    a = analyse(ru, "Переговоры состоялись накануне Совета министров. Министры прибыли накануне.", dt.date(2025, 6, 29))
    dates = [m for m in a.mentions if m.kind == "date"]
    assert len(dates) == 1 and dates[0].attrs["value"].value_start == dt.date(2025, 6, 28)


def test_sentences_survive_abbreviations(ru):
    a = analyse(ru, "Объем торговли составил 3 млрд долл. США. Поставлена цель. Встреча прошла в г. Астана.")
    assert len(a.sentences) == 3


@pytest.mark.parametrize("text, value, unit", [
    ("составил 2 млрд долларов", 2e9, "USD"),
    ("достиг $3 млрд", 3e9, "USD"),
    ("составил 3 млрд долл. США", 3e9, "USD"),
    ("выделено 100 млн тенге", 1e8, "KZT"),
    ("собрано 50 тыс. сомов", 5e4, "KGS"),
    ("на сумму 12 млн сумов", 1.2e7, "UZS"),
    ("оборот 1,5 млрд рублей", 1.5e9, "RUB"),
])
def test_money(ru, text, value, unit):
    a = analyse(ru, text)
    money = [m for m in a.mentions if m.kind == "money"]
    assert money and money[0].attrs["value"] == pytest.approx(value) and money[0].attrs["unit"] == unit


def test_verbs_read_by_lemma(ru):
    # forms no lexicon lists, read through pymorphy's lemma and tense
    cases = {"встречаются": "occ:past", "встретятся": "occ:future", "провела": "occ:past", "проведут": "occ:future",
             "состоявшейся": "occ:past_participle", "обсудив": "occ:past"}
    for word, occ in cases.items():
        a = analyse(ru, f"Министры {word} в Астане.")
        ids = {m.id for m in a.mentions if m.kind == "cue"}
        assert occ in ids, (word, ids)


def test_a_short_word_is_no_surname_of_a_longer_one(ru):
    # "Об" is a stem of a case form of "Обама" to the stemmer; it is a preposition
    a = analyse(ru, "Об этом сообщила пресс-служба Президента. Барак Обама выступил в Нью-Йорке.", dt.date(2015, 9, 28))
    assert [m.text for m in a.mentions if m.kind == "person"] == ["Барак Обама"]


def test_a_kb_surname_after_another_first_name_is_someone_else(ru):
    a = analyse(ru, "Грамоты вручили послы Чехии Ярослав Новак и Швейцарии Урс Шмид. "
                    "Генсек ОБСЕ Хельга Шмид выступила в Вене.", dt.date(2012, 6, 1))
    schmid = [m.text for m in a.mentions if m.kind == "person" and m.id == "helga-schmid"]
    assert schmid == ["Хельга Шмид"], schmid
