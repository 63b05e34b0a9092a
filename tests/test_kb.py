import datetime as dt
from collections import defaultdict

import pytest

from kurultai.kb import C5, load_kb

KB = load_kb()


def test_every_un_member_state_is_there():
    import pycountry

    assert len(KB.countries) >= 193
    for iso3 in KB.countries:
        assert pycountry.countries.get(alpha_3=iso3) or iso3 in {"XKX"}, iso3


def test_cldr_names_in_every_language():
    for lang in ("ru", "kk", "ky", "uz", "en"):
        for iso3 in C5 + ("RUS", "CHN"):
            assert KB.countries[iso3].names.get(lang), (iso3, lang)


@pytest.mark.parametrize("name_en, country", [
    ("Cholpon-Ata", "KGZ"), ("Bishkek", "KGZ"), ("Astana", "KAZ"), ("Nur-Sultan", "KAZ"), ("Xi'an", "CHN"),
    ("Avaza", "TKM"), ("Samarkand", "UZB"), ("Burabay", "KAZ"), ("Dushanbe", "TJK"), ("Omsk", "RUS"),
])
def test_places_are_in_their_country(name_en, country):
    place = KB.place(name_en)
    assert place is not None, name_en
    assert place.country == country
    assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


def test_officials_terms_do_not_overlap():
    """Two people never hold the same post of the same state at once (a few days of hand-over allowed)."""
    posts = defaultdict(list)
    for p in KB.persons.values():
        for t in p.terms:
            if t.role in ("head_of_state", "head_of_government", "foreign_minister") and t.country:
                posts[(t.role, t.country)].append((t.start, t.end or dt.date(2100, 1, 1), p.id))
    for post, terms in posts.items():
        terms.sort()
        for (_s1, e1, a), (s2, _e2, b) in zip(terms, terms[1:], strict=False):
            assert (e1 - s2).days <= 31, f"{post}: {a} until {e1} overlaps {b} from {s2}"


@pytest.mark.parametrize("role, country, day, name_en", [
    ("foreign_minister", "KGZ", dt.date(2021, 5, 12), "Ruslan Kazakbaev"),
    ("foreign_minister", "KGZ", dt.date(2025, 6, 29), "Zheenbek Kulubaev"),
    ("foreign_minister", "KAZ", dt.date(2020, 10, 15), "Mukhtar Tileuberdi"),
    ("foreign_minister", "RUS", dt.date(2019, 10, 9), "Sergey Lavrov"),
    ("head_of_state", "KGZ", dt.date(2024, 1, 1), "Sadyr Japarov"),
    ("head_of_state", "KAZ", dt.date(2024, 1, 1), "Kassym-Jomart Tokayev"),
    ("head_of_state", "UZB", dt.date(2018, 1, 1), "Shavkat Mirziyoyev"),
    ("head_of_state", "TJK", dt.date(2015, 1, 1), "Emomali Rahmon"),
])
def test_who_held_the_post(role, country, day, name_en):
    assert [p.name_en for p in KB.holders(role, country, day)] == [name_en]


def test_a_user_can_add_a_person_by_editing_data(tmp_path, monkeypatch):
    import shutil

    from kurultai.kb import KB as KnowledgeBase
    from kurultai.kb import resources

    src = resources.files("kurultai.kb") / "data"
    for name in ("countries.yaml", "organizations.yaml", "formats.yaml", "places.yaml", "officials.yaml"):
        shutil.copy(str(src / name), tmp_path / name)
    with open(tmp_path / "officials.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n- id: test-person\n  gender: f\n  names: {ru: Айгуль Тестова, en: Aigul Testova}\n"
                 "  terms: [{role: ambassador, country: KAZ, start: 2024-01-01, end: null}]\n")
    kb = KnowledgeBase(tmp_path)
    assert kb.persons["test-person"].term_at(dt.date(2025, 1, 1)).role == "ambassador"


def test_a_wrong_data_file_names_the_entry(tmp_path):
    from kurultai.kb import KB as KnowledgeBase
    from kurultai.kb import KBError

    (tmp_path / "countries.yaml").write_text("- {iso3: KAZ}\n", encoding="utf-8")
    (tmp_path / "places.yaml").write_text("- {name_en: Nowhere, country: ZZZ, lat: 0, lon: 0}\n", encoding="utf-8")
    with pytest.raises(KBError, match="places.yaml entry 1 .*ZZZ"):
        KnowledgeBase(tmp_path)
