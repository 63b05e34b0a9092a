"""Filters fold case in every script (issue 13, item 1): a person written in Cyrillic, Kazakh or Uzbek
Latin (oʻ / gʻ with any apostrophe) is found by any case of any part of their name, and the in-memory
index, SQLite and PostgreSQL give the same events; a KB name in another script finds the person too;
migration 0008 fills the folded keys of a store made before it."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BACKENDS, new_store, old_store
from kurultai.folding import fold, kb_people
from kurultai.models import DateRange, Document, Event, Extraction, Participant
from kurultai.store import SearchQuery, Store
from kurultai.store.models import ParticipantRow

RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
KK = RU + "әғқңөұүһі"
UZ = ["a", "b", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v",
      "x", "y", "z", "oʻ", "gʻ", "sh", "ch"]
APOSTROPHES = "ʻ'‘’`ʼ"
ALPHABETS = {"ru": list(RU), "kk": list(KK), "uz": UZ}


def word(rnd: random.Random, letters: list[str]) -> str:
    return "".join(rnd.choice(letters) for _ in range(rnd.randint(3, 8))).capitalize()


def people(seed: int = 11) -> list[tuple[str, str, str]]:
    """(script, name as written, English name): names of each script, some written in capitals (a
    headline), Uzbek ones with their apostrophes written several ways."""
    rnd = random.Random(seed)
    out = []
    for script, letters in ALPHABETS.items():
        for i in range(8):
            name = f"{word(rnd, letters)} {word(rnd, letters)}"
            if i % 3 == 0:
                name = name.upper()
            if script == "uz":
                name = "".join(rnd.choice(APOSTROPHES) if c == "ʻ" else c for c in name)
            out.append((script, name, f"Person {script} {i}"))
    return out


PEOPLE = people()


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    s = new_store(request.param, tmp_path_factory.mktemp("fold"))
    rnd = random.Random(5)
    for d in range(40):
        chosen = [PEOPLE[d % len(PEOPLE)], *rnd.sample(PEOPLE, rnd.randint(0, 2))]  # everyone takes part
        day = dt.date(2024, 1, 1) + dt.timedelta(days=d * 5)
        s.add(Extraction(document=Document(id=f"f{d}", text=f"Report {d}: " + " ".join(n for _, n, _ in chosen) * 3),
                         events=[Event(date=DateRange(start=day, end=day), countries=["KAZ", "UZB"],
                                       participants=[Participant(name=n, name_en=en, role="minister")
                                                     for _, n, en in chosen])]))
    # an English report only: the KB's Russian name of Lavrov finds it
    day = dt.date(2025, 3, 5)
    s.add(Extraction(document=Document(id="en", text="Sergey Lavrov met Murat Nurtleu in Astana. " * 3, lang="en"),
                     events=[Event(date=DateRange(start=day, end=day), countries=["KAZ", "RUS"],
                                   participants=[Participant(name="Sergey Lavrov", name_en="Sergey Lavrov",
                                                             role="foreign_minister", country="RUS")])]))
    # the same person written another way, with no state: a name of one row and the state of another find him
    day = dt.date(2025, 4, 7)
    s.add(Extraction(document=Document(id="ru", text="С. В. Лавров провёл переговоры в Ташкенте. " * 3, lang="ru"),
                     events=[Event(date=DateRange(start=day, end=day), countries=["UZB", "RUS"],
                                   participants=[Participant(name="С. В. Лавров", name_en="Sergey Lavrov",
                                                             role="foreign_minister")])]))
    yield s
    s.close()


def three_ways(store: Store, person: str) -> list[int]:
    """The events the person filter finds: SQL's IN lists, SQL's EXISTS, the joined count and the
    in-memory index must agree; returns them."""
    q = SearchQuery(person=person, limit=None)
    sql = [e.id for e in store.search(q)]
    assert [e["id"] for e in store.search_dicts(SearchQuery(person=person, limit=500), total=10**9)] == sql
    assert store.count(q) == len(sql)
    with store.Session() as s:
        index = store.facets.get(s)
        assert index is not None
        assert index.page(s, SearchQuery(person=person, limit=500), None) == (len(sql), sql)
    return sql


def events_of(store: Store, name_en: str) -> list[int]:
    return [e.id for e in store.search(SearchQuery(extra={"person_exact": name_en}, limit=None))]


def recased(text: str, flips: list[bool]) -> str:
    return "".join(c.swapcase() if flips[i % len(flips)] else c for i, c in enumerate(text))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(who=st.integers(0, len(PEOPLE) - 1), cut=st.tuples(st.integers(0, 30), st.integers(2, 30)),
       flips=st.lists(st.booleans(), min_size=1, max_size=7), apostrophe=st.sampled_from(APOSTROPHES))
def test_any_case_of_any_part_of_a_name_in_any_script(store, who, cut, flips, apostrophe):
    _script, name, name_en = PEOPLE[who]
    start = min(cut[0], len(name) - 2)
    part = name[start:start + cut[1]]
    for a in APOSTROPHES:  # the analyst types the apostrophe their keyboard has
        part = part.replace(a, apostrophe)
    asked = recased(part, flips)
    found = three_ways(store, asked)
    assert events_of(store, name_en) and set(events_of(store, name_en)) <= set(found), (asked, name)
    # whoever it finds has a way of being written (in the store or in the KB) that holds the part
    kb = kb_people(fold(asked))
    for eid in found:
        names = [(p.name, p.name_en) for p in store.event(eid)[0].participants]
        assert any(fold(asked) in fold(n) or fold(asked) in fold(en) or en in kb for n, en in names), (asked, names)
    # the people list agrees with itself and with the filter
    listed = store.people(name=asked, limit=1000)
    assert listed == store.people(name=asked, limit=1000, use_index=False)
    assert name_en in {p["name_en"] for p in listed}


@pytest.mark.parametrize("asked", ["Лавров", "ЛАВРОВ", "лавров", "Lavrov", "LAVROV", "Lawrow", "Sergei"])
def test_a_kb_name_in_another_script_finds_the_person(store, asked):
    found = three_ways(store, asked)
    assert found == events_of(store, "Sergey Lavrov") and found
    assert [p["name_en"] for p in store.people(name=asked)] == ["Sergey Lavrov"]
    assert store.people(name=asked) == store.people(name=asked, use_index=False)


def test_nobody_and_blanks(store):
    assert three_ways(store, "Щъщъщ") == []
    assert three_ways(store, "%") == [] and three_ways(store, "_") == []  # no LIKE wildcards
    assert SearchQuery(person="   ").person is None


def test_migration_folds_the_names_of_an_older_store(tmp_path):
    url = old_store(
        tmp_path / "old.db", "0005",
        "INSERT INTO events (id, status, mode, format, summary, people_key) VALUES (1, 'held', 'phone', 'bilateral', '',"
        " 'Kassym-Jomart Tokayev' || char(31) || 'Shavkat Mirziyoyev' || char(31) || 'X Y')",
        "INSERT INTO participants (event_id, name, name_en, role) VALUES "
        "(1, 'ТОҚАЕВ Қасым-Жомарт', 'Kassym-Jomart Tokayev', 'head_of_state'),"
        " (1, 'SHAVKAT MIRZIYOYEV', 'Shavkat Mirziyoyev', 'head_of_state'), (1, 'Gʻulomjon Oʻrinboyev', 'X Y', 'other')")
    s = Store(url)
    with s.Session() as ses:
        keys = set(ses.scalars(sa.select(ParticipantRow.name_key)))
    assert keys == {"тоқаев қасым-жомарт\x1fkassym-jomart tokayev", "shavkat mirziyoyev\x1fshavkat mirziyoyev",
                    "gʻulomjon oʻrinboyev\x1fx y"}
    for asked in ("тоқаев", "Mirziyoyev", "G'ulomjon", "O‘RINBOYEV"):
        assert [e.id for e in s.search(SearchQuery(person=asked))] == [1], asked
        assert s.page(SearchQuery(person=asked))[0] == 1, asked
    s.close()


def test_the_people_list_takes_a_name_and_a_state_from_any_row(store):
    for kw in ({"name": "С. В.", "country": "RUS"}, {"name": "с. в. лавров"}, {"country": "rus"}):
        got = store.people_page(**kw)
        assert got == store.people_page(**kw, use_index=False), kw
        assert [p["name_en"] for p in got[1]] == ["Sergey Lavrov"] and got[0] == 1, kw
