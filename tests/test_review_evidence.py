"""The evidence an analyst marks (issue 11): spans of a source kept with their document, field and item
(migration 0011), through new sources and `remerge`, taken back, dropped with the sources a split takes
away; the API's checks; the pages highlight them in the text, labelled, beside the extraction's own
evidence, with overlaps cut into escaped pieces (web.segments)."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from conftest import BACKENDS, empty_url, new_store
from kurultai.api import create_app
from kurultai.models import DateRange, Document, Event, Extraction, Participant
from kurultai.store import SearchQuery, Store
from kurultai.store.review import ReviewError
from kurultai.web import Segment, segments

D = dt.date(2026, 4, 14)
ANA = {"Authorization": "Bearer secret-a"}
TEXT = "Talks in Tashkent on 14 April: <b onmouseover=alert(1)>Kulubaev</b> & Saidov signed a memorandum."


def talks(day=D, text_spans=True) -> Event:
    date = DateRange(start=day, end=day, evidence=[(21, 29)] if text_spans else []) if day else None
    return Event(date=date, countries=["KGZ", "UZB"],
                 topics=["trade"], participants=[
                     Participant(name="Кулубаев", name_en="Zheenbek Kulubaev", role="foreign_minister", country="KGZ",
                                 evidence=[(55, 63)] if text_spans else []),
                     Participant(name="Saidov", name_en="Bakhtiyor Saidov", role="foreign_minister", country="UZB")])


def doc(name: str, event: Event, text: str = TEXT, published=None) -> Extraction:
    return Extraction(document=Document(id=name, text=text, published=published), events=[event])


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = new_store(request.param, tmp_path)
    yield s
    s.close()


def event_ids(store) -> list[int]:
    return sorted(e["id"] for e in store.search_dicts(SearchQuery(limit=None)))


def source_ids(store, event_id: int) -> list[int]:
    return [d.id for d in store.event(event_id)[1]]


def test_marked_spans_are_kept_logged_and_survive_new_sources_and_remerge(store):
    store.add(doc("a", talks()))
    (eid,) = event_ids(store)
    (d1,) = source_ids(store, eid)
    assert store.correct(eid, {"date": {"start": "2026-04-15", "end": "2026-04-15"}}, "ana", "the release",
                         marks=[{"field": "date", "document_id": d1, "span": [21, 29]},
                                {"field": "participants", "item": "Zheenbek Kulubaev", "document_id": d1, "span": [46, 54]}])
    marks = store.marks(eid)
    assert [(m["field"], m["item"], m["span"], m["quote"], m["actor"]) for m in marks] == [
        ("date", None, [21, 29], "14 April", "ana"), ("participants", "Zheenbek Kulubaev", [46, 54], "alert(1)", "ana")]
    assert store.marks(document_id=d1) == marks
    logged = [h for h in store.history(eid) if h["action"] == "mark"]
    assert [(h["field"], h["after"]["span"], h["after"]["document_id"]) for h in logged] == [
        ("date", [21, 29], d1), ("participants", [46, 54], d1)]
    store.add(doc("b", talks(day=None, text_spans=False), text=TEXT + " Again.", published=D + dt.timedelta(days=1)))
    store.remerge()
    assert [m["span"] for m in store.marks(eid)] == [[21, 29], [46, 54]]
    # taken back: gone from the store, logged with what it was
    assert store.correct(eid, {}, "ben", "wrong words", unmark=[marks[1]["id"]])
    assert [m["field"] for m in store.marks(eid)] == ["date"]
    last = store.history(eid)[-1]
    assert last["action"] == "unmark" and last["before"]["quote"] == "alert(1)" and last["actor"] == "ben"


def test_bad_marks_name_what_is_wrong(store):
    store.add(doc("a", talks()))
    (eid,) = event_ids(store)
    (d1,) = source_ids(store, eid)
    cases = [({"field": "colour", "document_id": d1, "span": [0, 3]}, "evidence.field"),
             ({"field": "date", "document_id": d1 + 50, "span": [0, 3]}, "evidence.document_id"),
             ({"field": "date", "document_id": d1, "span": [5, 5]}, "evidence.span"),
             ({"field": "date", "document_id": d1, "span": [0, len(TEXT) + 1]}, "evidence.span"),
             ({"field": "date", "document_id": d1, "span": [-1, 3]}, "evidence.span"),
             ({"field": "date", "item": "x", "document_id": d1, "span": [0, 3]}, "evidence.item")]
    for mark, field in cases:
        with pytest.raises(ReviewError) as e:
            store.correct(eid, {}, "ana", marks=[mark])
        assert e.value.field == field, mark
    with pytest.raises(ReviewError) as e:
        store.correct(eid, {}, "ana", unmark=[12345])
    assert e.value.field == "unmark"
    assert store.marks(eid) == [] and store.history(eid) == []


def test_a_split_drops_the_marks_in_the_sources_it_takes_away(store):
    store.add(doc("a", talks()))
    store.add(doc("b", talks(day=D + dt.timedelta(days=3)), text=TEXT + " Later."))
    a, b = event_ids(store)
    assert store.merge_events([a, b], "ana") == a
    d1, d2 = source_ids(store, a)
    store.correct(a, {}, "ana", marks=[{"field": "date", "document_id": d1, "span": [21, 29]},
                                       {"field": "date", "document_id": d2, "span": [0, 5]}])
    store.split_event(a, [d2], "ana", "two meetings")
    assert [m["document_id"] for m in store.marks(a)] == [d1]
    assert store.marks(document_id=d2) == []


# -- the API ------------------------------------------------------------------------------------------
@pytest.fixture()
def client(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'k.db'}")
    s.add(doc("a", talks()))
    with TestClient(create_app(store=s, token="ana secret-a")) as c:
        yield c
    s.close()


def test_the_api_marks_evidence_and_names_a_bad_span(client):
    body = {"changes": {"date": {"start": "2026-04-15", "end": "2026-04-15"}}, "reason": "the release",
            "evidence": [{"field": "date", "document_id": 1, "span": [21, 29]}]}
    assert client.patch("/api/events/1", json=body).status_code == 401
    r = client.patch("/api/events/1", headers=ANA, json=body)
    assert r.status_code == 200, r.text
    (m,) = r.json()["marked_evidence"]
    assert (m["field"], m["document_id"], m["span"], m["quote"], m["actor"]) == ("date", 1, [21, 29], "14 April", "ana")
    assert client.get("/api/events/1").json()["marked_evidence"] == [m]
    r = client.patch("/api/events/1", headers=ANA, json={"evidence": [{"field": "date", "document_id": 1, "span": [3, 9999]}]})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "evidence.span"
    r = client.patch("/api/events/1", headers=ANA, json={"evidence": [{"field": "date", "document_id": 1, "span": [3]}]})
    assert r.status_code == 422
    r = client.patch("/api/events/1", headers=ANA, json={"unmark": [m["id"]]})
    assert r.status_code == 200 and r.json()["marked_evidence"] == []
    assert client.patch("/api/events/1", headers=ANA, json={}).status_code == 422


def test_the_pages_highlight_marked_and_extracted_evidence_escaped(client):
    client.patch("/api/events/1", headers=ANA, json={
        "changes": {"date": {"start": "2026-04-15", "end": "2026-04-15"}},
        "evidence": [{"field": "date", "document_id": 1, "span": [21, 29]},  # the same words as the extraction's
                     {"field": "participants", "item": "Zheenbek Kulubaev", "document_id": 1, "span": [31, 70]}]})
    for url in ("/events/1", "/documents/1"):
        page = client.get(url).text
        text = re.search(r'<div class="text">(.*?)</div>', page, re.S).group(1)
        assert "<b " not in text and "&lt;b onmouseover=alert(1)&gt;" in text  # the article's markup is text
        assert html.unescape(re.sub(r"<[^>]+>", "", text)) == TEXT  # the pieces are the text, nothing added
        marks = re.findall(r'<mark class="ev( marked)?" data-keys="([^"]*)" title="([^"]*)"( data-label="([^"]*)")?>(.*?)</mark>', text)
        labelled = {html.unescape(m[5]): html.unescape(m[4]) for m in marks if m[4]}
        assert labelled["14 April"].endswith("date")  # extracted and marked: one piece, labelled by the mark
        assert labelled["<b onmouseover=alert(1)>"].endswith("participant: Zheenbek Kulubaev")
        inner = next(m for m in marks if html.unescape(m[5]) == "Kulubaev")  # extracted inside the marked span
        assert inner[0] == " marked" and len(inner[1].split()) == 2 and not inner[4]
    page = client.get("/events/1").text
    assert "marked: date" in page and "2 marked by analysts" in page
    history = re.search(r'<ol class="history" id="rv-history">(.*?)</ol>', page, re.S).group(1)
    assert "marked evidence of" in history and "“14 April” in source 1" in history


# -- web.segments: overlaps, nesting, escaping --------------------------------------------------------
def test_segments_cut_overlapping_and_nested_spans():
    text = "abcdefghij"
    out = segments(text, [(0, 4, "k0"), (2, 6, "k1")], [(3, 9, "m0"), (3, 5, "m1"), (20, 30, "m2"), (4, 4, "m3")],
                   {"k0": "date", "m0": "marked: date", "m1": "marked: place"}, {"m0": "date", "m1": "place"})
    assert [(s.text, s.keys, s.marked, s.label) for s in out] == [
        ("ab", ("k0",), False, ""), ("c", ("k0", "k1"), False, ""), ("d", ("k0", "k1", "m0", "m1"), True, "date · place"),
        ("e", ("k1", "m0", "m1"), True, ""), ("f", ("k1", "m0"), True, ""), ("ghi", ("m0",), True, ""), ("j", (), False, "")]
    assert out[2].title == "date\nk1\nmarked: date\nmarked: place"
    assert segments("<i>", [(0, 9, "k")], [(2, 1, "m")]) == [Segment("<i>")]  # spans outside the text are left out


@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-3, 45), st.integers(-3, 45), st.sampled_from("abc")), max_size=6),
       st.lists(st.tuples(st.integers(-3, 45), st.integers(-3, 45), st.sampled_from("xy")), max_size=4))
def test_segments_always_join_to_the_text(text, spans, marked):
    out = segments(text, [(a, b, f"k{k}") for a, b, k in spans], [(a, b, f"m{k}") for a, b, k in marked])
    assert "".join(s.text for s in out) == text
    pos = 0
    for s in out:  # each piece is covered by exactly the valid spans around it
        want = {k for a, b, k in [(a, b, f"k{k}") for a, b, k in spans] + [(a, b, f"m{k}") for a, b, k in marked]
                if 0 <= a < b <= len(text) and a <= pos and pos + len(s.text) <= b}
        assert set(s.keys) == want and s.marked == any(k.startswith("m") for k in want)
        pos += len(s.text)


# -- the history in words (web/labels.py) ----------------------------------------------------------------
def test_values_and_history_in_words():
    from kurultai.web import history_rows, labels

    assert labels.value_words("participants", [{"name": "Лавров", "name_en": "Sergey Lavrov", "role": "foreign_minister",
                                                "country": "RUS"}]) == "Sergey Lavrov, foreign minister, Russia"
    assert labels.value_words("countries", ["KAZ", "UZB"]) == "Kazakhstan, Uzbekistan"
    assert labels.value_words("named_format", "C5+RUS") == "Central Asia + Russia"
    assert labels.value_words("visit", {"type": "state", "visitor": "KAZ", "host": "CHN"}) == "state visit: Kazakhstan → China"
    assert labels.value_words("outcomes", [{"type": "joint_statement", "title": "On water"}]) == "joint statement: On water"
    assert labels.value_words("figures", [{"indicator": "trade_turnover", "value": 4.4e10, "unit": "USD", "kind": "target",
                                           "year": 2030}]) == "trade turnover 44 bn USD (target, 2030)"
    assert labels.value_words("date", {"start": "2024-03-01", "end": "2024-03-31", "precision": "month"}) == \
        "2024-03-01 – 2024-03-31 (known to the month)"
    assert labels.value_words("status", "referenced") == "mentioned" and labels.value_words("topics", []) == "none"
    ev = {"format": "bilateral", "countries": ["KAZ"]}
    rows = history_rows([
        {"id": 1, "actor": "ana", "at": "2026-04-14T10:00:00", "action": "correct", "field": "mode", "before": "in_person",
         "after": "video", "reason": ""},
        {"id": 2, "actor": "ana", "at": "2026-04-14T10:01:00", "action": "mark", "field": "participants", "before": None,
         "after": {"id": 7, "document_id": 3, "field": "participants", "item": "Sergey Lavrov", "span": [0, 6],
                   "quote": "<i>Лавров"}, "reason": ""},
        {"id": 3, "actor": "ben", "at": "2026-04-14T10:02:00", "action": "reject", "field": "review_state",
         "before": "corrected", "after": "rejected", "reason": "no meeting"}], ev)
    assert [(r["did"], r["field_words"], r["before_words"], r["after_words"]) for r in rows] == [
        ("corrected", "mode", "in person", "online"),
        ("marked evidence of", "participant: Sergey Lavrov", None, "“<i>Лавров” in source 3"),
        ("rejected", "review", "corrected", "rejected")]
    assert rows[0]["after_code"] == '"video"' and rows[0]["when"] == "2026-04-14 10:00"


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_carries_over_the_spans_kept_inside_corrected_values(tmp_path, backend):
    """Before migration 0011 the edit mode kept a marked span only in the corrected value's `evidence` and
    named its source in the reason: the upgrade makes marked spans of them where the source is known."""
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    import kurultai.store as store_pkg

    url = empty_url(backend, tmp_path)
    s = Store(url)
    s.add(doc("a", talks()))
    s.add(doc("b", talks(day=D + dt.timedelta(days=40)), text="Other talks. " + TEXT))
    s.add(doc("c", talks(day=D + dt.timedelta(days=43)), text="More talks. " + TEXT))
    one, two, three = event_ids(s)
    (d1,) = source_ids(s, one)
    assert s.merge_events([two, three], "ana") == two
    d2, d3 = source_ids(s, two)
    people = [p.model_dump(mode="json") for p in talks().participants]
    people[0]["evidence"] = [[55, 63]]
    s.correct(one, {"date": {"start": "2026-04-15", "end": "2026-04-15", "evidence": [[21, 29]]}, "participants": people},
              "ana", f"the release; evidence: date in source {d1}; participants.0 in source {d1}")
    s.correct(two, {"date": {"start": "2026-05-25", "end": "2026-05-25", "evidence": [[0, 5], [1, 6]]}}, "ben",
              f"evidence: date in source {d3}, {d2}")
    s.correct(two, {"mode": "video"}, "ben")  # nothing marked
    s.close()
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_pkg.__file__).parent / "migrations"))
    with engine.begin() as conn:  # the store as it was before 0011
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0010")
    engine.dispose()
    s = Store(url)  # upgraded again on opening
    assert [(m["field"], m["item"], m["document_id"], m["quote"], m["actor"]) for m in s.marks(one)] == [
        ("date", None, d1, "14 April", "ana"), ("participants", "Zheenbek Kulubaev", d1, "Kulubaev", "ana")]
    assert [(m["document_id"], m["span"], m["quote"]) for m in s.marks(two)] == [(d2, [1, 6], "ther "), (d3, [0, 5], "More ")]
    s.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_nul_in_an_edit_is_refused_not_a_server_error(tmp_path, backend):
    """PostgreSQL's text holds no NUL: an edit, a mark or a reason with one is a 422, on both backends."""
    s = new_store(backend, tmp_path)
    s.add(doc("a", talks()))
    with TestClient(create_app(store=s, token="ana secret-a"), raise_server_exceptions=False) as c:
        for method, url, body in [
                ("PATCH", "/api/events/1", {"changes": {"status": "planned"}, "reason": "a\x00b"}),
                ("PATCH", "/api/events/1", {"changes": {"outcomes": [{"type": "other", "title": "x\x00"}]}}),
                ("PATCH", "/api/events/1", {"evidence": [{"field": "participants", "item": "a\x00", "document_id": 1,
                                                          "span": [0, 3]}]}),
                ("POST", "/api/events/1/review", {"decision": "confirm", "reason": "\x00"})]:
            r = c.request(method, url, headers=ANA, json=body)
            assert r.status_code == 422, (body, r.status_code, r.text)
        assert c.patch("/api/events/1", headers=ANA, json={"changes": {"status": "planned"}, "reason": "line\nbreak"}).status_code == 200
    assert [h["action"] for h in s.history(1)] == ["correct"]
    s.close()
