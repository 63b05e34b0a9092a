import pytest

from kurultai.analyze.ru import name_keys, stem
from kurultai.kb.gazetteer import Entry, Gazetteer, resolve, tokens


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer([
        Entry("country", "KGZ", "Кыргызская Республика"), Entry("country", "MLI", "Мали"),
        Entry("country", "KAZ", "РК", exact=True), Entry("country_adj", "KGZ", "кыргызск", prefix=True),
        Entry("country_adj", "RUS", "российск", prefix=True), Entry("place", "Cholpon-Ata|KGZ", "Чолпон-Ата"),
        Entry("person", "p1", "Садыр Жапаров"), Entry("cue", "topic:security", "безопасност*"),
    ], stem, name_keys)


@pytest.mark.parametrize("text, kind, ident", [
    ("Президентом Кыргызской Республики", "country", "KGZ"),
    ("в Чолпон-Ате", "place", "Cholpon-Ata|KGZ"),
    ("с Садыром Жапаровым", "person", "p1"),
    ("кыргызско-российских отношений", "country_adj", "KGZ"),
    ("кыргызско-российских отношений", "country_adj", "RUS"),
    ("глава МИД РК", "country", "KAZ"),
    ("региональной безопасности", "cue", "topic:security"),
])
def test_inflected_forms_match(gaz, text, kind, ident):
    found = {(m.entry.kind, m.entry.id) for m in resolve(gaz.find_all(text))}
    assert (kind, ident) in found


@pytest.mark.parametrize("text", ["малых стран", "в рк", "Кыргызский язык"])
def test_no_false_matches(gaz, text):
    assert not [m for m in resolve(gaz.find_all(text)) if m.entry.kind in ("country",) and not m.entry.kind.endswith("adj")]


def test_offsets_point_into_text(gaz):
    text = "Садыром Жапаровым и Кыргызской Республики"
    for m in gaz.find_all(text):
        assert text[m.start:m.end] == text[m.start:m.end].strip()
        assert [t.text for t in tokens(text[m.start:m.end])]


def test_any_dash_and_later_words_in_lower_case():
    g = Gazetteer([Entry("format", "C5+EU", "Центральная Азия – Европейский Союз")], stem, name_keys)
    for text in ("саммит «Центральная Азия—Европейский союз»", "саммит Центральная Азия - Европейский Союз"):
        assert [m.entry.id for m in resolve(g.find_all(text))] == ["C5+EU"], text
    assert not resolve(g.find_all("саммит центральная азия – европейский союз"))  # the first capital is needed
