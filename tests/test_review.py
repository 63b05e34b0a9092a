"""The analysts' review in the store: corrections, confirm / reject, merge and split survive new sources
and `remerge`, on SQLite and PostgreSQL; bad edits name the field; the log replays to the stored event."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from conftest import BACKENDS, new_store
from kurultai.models import DateRange, Document, Event, Extraction, Participant
from kurultai.store.models import EventRow
from kurultai.store.review import FIELDS, ReviewError, read

D = dt.date(2026, 4, 14)
PEOPLE = [Participant(name="Кулубаев", name_en="Zheenbek Kulubaev", role="foreign_minister", country="KGZ"),
          Participant(name="Saidov", name_en="Bakhtiyor Saidov", role="foreign_minister", country="UZB")]


def talks(day=D, status="held", people=PEOPLE, countries=("KGZ", "UZB")) -> Event:
    return Event(status=status, date=DateRange(start=day, end=day) if day else None, countries=list(countries),
                 participants=list(people), topics=["trade"])


def doc(name: str, *events: Event, published=None) -> Extraction:
    return Extraction(document=Document(id=name, text=f"Report {name}: " + " ".join(f"w{name}{i}" for i in range(30)),
                                        published=published), events=list(events))


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = new_store(request.param, tmp_path)
    yield s
    s.close()


def the_event(store, event_id):
    with store.Session() as s:
        row = s.get(EventRow, event_id)
        return None if row is None else {f: read(row, f) for f in FIELDS} | {
            "review_state": row.review_state, "new_since_review": row.new_since_review,
            "sources": sorted(d.document_id for d in row.sources)}


def ids(store) -> list[int]:
    with store.Session() as s:
        return list(s.scalars(select(EventRow.id).order_by(EventRow.id)))


def test_a_correction_survives_a_new_source_and_remerge(store):
    store.add(doc("a", talks()))
    (eid,) = ids(store)
    role = [dict(p.model_dump(mode="json"), role="deputy_foreign_minister") if p.country == "UZB" else p.model_dump(mode="json")
            for p in PEOPLE]
    assert store.correct(eid, {"participants": role, "date": {"start": "2026-04-15", "end": "2026-04-15"}}, "ana", "the ministry's page")
    store.add(doc("b", talks(day=None), published=D + dt.timedelta(days=1)))  # joins: held, published the next day
    ev = the_event(store, eid)
    assert len(ev["sources"]) == 2 and ev["new_since_review"] and ev["review_state"] == "corrected"
    assert ev["date"]["start"] == "2026-04-15" and {p["role"] for p in ev["participants"]} == {"foreign_minister", "deputy_foreign_minister"}
    store.remerge()
    again = the_event(store, eid)
    assert again["date"] == ev["date"] and again["participants"] == ev["participants"]
    history = store.history(eid)
    assert [h["field"] for h in history] == ["participants", "date"] and history[0]["actor"] == "ana"
    assert history[1]["before"]["start"] == "2026-04-14" and history[1]["reason"] == "the ministry's page"


def test_rejection_and_confirmation_hold(store):
    store.add(doc("a", talks()))
    store.add(doc("c", talks(day=D + dt.timedelta(days=30))))
    first, second = ids(store)
    assert store.review(first, "reject", "ana", "not a meeting")
    assert store.review(second, "confirm", "ben")
    store.add(doc("d", talks(day=None), published=D + dt.timedelta(days=30)))  # joins the confirmed one
    store.remerge()
    assert the_event(store, first)["review_state"] == "rejected"
    ev = the_event(store, second)
    assert ev["review_state"] == "confirmed" and ev["new_since_review"] and len(ev["sources"]) == 2
    assert not store.review(999, "confirm", "ana")


def test_merge_and_split_by_an_analyst_hold(store):
    store.add(doc("a", talks()))
    store.add(doc("b", talks(day=D + dt.timedelta(days=3))))  # three days apart: two events for the rules
    a, b = ids(store)
    assert store.merge_events([b, a], "ana", "one visit of three days") == a
    assert ids(store) == [a] and len(the_event(store, a)["sources"]) == 2
    store.remerge()
    assert ids(store) == [a]
    store.add(doc("c", talks(day=None), published=D + dt.timedelta(days=3)))  # its week holds both days
    docs = the_event(store, a)["sources"]
    assert len(docs) == 3
    moved = store.split_event(a, [docs[-1]], "ben", "another meeting")
    assert moved and moved[0] != a and the_event(store, a)["sources"] == docs[:-1]
    store.remerge()
    assert the_event(store, a)["sources"] == docs[:-1]
    assert [h["action"] for h in store.history(a)] == ["merge", "split"]


def test_bad_edits_name_the_field_and_the_allowed_values(store):
    store.add(doc("a", talks()))
    (eid,) = ids(store)
    with pytest.raises(ReviewError) as e:
        store.correct(eid, {"status": "done"}, "ana")
    assert e.value.field == "status" and "'planned'" in e.value.message
    with pytest.raises(ReviewError) as e:
        store.correct(eid, {"countries": ["KAZ", "XXX"]}, "ana")
    assert e.value.field == "countries" and "XXX" in e.value.message
    with pytest.raises(ReviewError) as e:
        store.correct(eid, {"colour": "red"}, "ana")
    assert e.value.field == "colour"
    with pytest.raises(ReviewError):
        store.review(eid, "approve", "ana")
    assert the_event(store, eid)["review_state"] == "unreviewed" and store.history(eid) == []


EDITS = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(["held", "planned", "referenced"])),
    st.tuples(st.just("mode"), st.sampled_from(["in_person", "video", "phone"])),
    st.tuples(st.just("topics"), st.lists(st.sampled_from(["trade", "water", "energy", "security"]), unique=True)),
    st.tuples(st.just("countries"), st.lists(st.sampled_from(["KAZ", "KGZ", "UZB", "RUS"]), unique=True, min_size=1)),
    st.tuples(st.just("date"), st.dates(dt.date(2020, 1, 1), dt.date(2027, 1, 1)).map(
        lambda d: {"start": d.isoformat(), "end": d.isoformat(), "precision": "day"})),
    st.tuples(st.just("review"), st.sampled_from(["confirm", "reject"])),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=6))
def test_the_log_replays_to_the_stored_event(tmp_path_factory, edits):
    """The fields as extracted, with every logged change applied in order, are the stored fields —
    after a new source and a remerge too."""
    folder = tmp_path_factory.mktemp("replay")
    s = new_store("sqlite", folder)
    s.add(doc("a", talks()))
    (eid,) = ids(s)
    extracted = the_event(s, eid)
    for field, value in edits:
        if field == "review":
            s.review(eid, value, "ana")
        else:
            s.correct(eid, {field: value}, "ana")
    s.add(doc("b", talks(day=None), published=D))
    s.remerge()
    replayed = {f: extracted[f] for f in FIELDS}
    for h in s.history(eid):
        if h["action"] == "correct":
            replayed[h["field"]] = h["after"]
    stored = the_event(s, eid)
    reviewed = {h["field"] for h in s.history(eid) if h["action"] == "correct"} | (
        set(FIELDS) if any(h["action"] == "confirm" for h in s.history(eid)) else set())
    for f in reviewed:
        assert stored[f] == replayed[f], f
    s.close()
