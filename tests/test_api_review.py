"""The review endpoints: correct, confirm / reject, merge, split, history — behind named bearer tokens,
malformed edits answered 422 naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from kurultai.api import create_app
from kurultai.api.guard import token_name, tokens
from kurultai.models import DateRange, Document, Event, Extraction, Participant
from kurultai.store import Store

D = dt.date(2026, 4, 14)
TOKENS = "ana secret-a\nben secret-b"
ANA = {"Authorization": "Bearer secret-a"}
BEN = {"Authorization": "Bearer secret-b"}


def talks(day):
    return Event(date=DateRange(start=day, end=day), countries=["KGZ", "UZB"], topics=["trade"],
                 participants=[Participant(name="a", name_en="Zheenbek Kulubaev", role="foreign_minister", country="KGZ"),
                               Participant(name="b", name_en="Bakhtiyor Saidov", role="foreign_minister", country="UZB")])


@pytest.fixture()
def client(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    for i, day in enumerate([D, D + dt.timedelta(days=2), D + dt.timedelta(days=60)]):
        store.add(Extraction(document=Document(id=f"d{i}", text=f"report {i} " + "w " * i * 7), events=[talks(day)]))
    with TestClient(create_app(store=store, token=TOKENS)) as c:
        yield c


def test_named_tokens():
    assert tokens("just-one") == {"just-one": "api"}
    assert tokens("ana secret-a\n\nben secret-b; carl x") == {"secret-a": "ana", "secret-b": "ben", "x": "carl"}
    assert token_name(TOKENS, "Bearer secret-b") == "ben" and token_name(TOKENS, "Bearer nope") is None


def test_corrections_reviews_and_history(client):
    r = client.patch("/api/events/1", headers=ANA, json={
        "changes": {"participants": [{"name": "a", "name_en": "Zheenbek Kulubaev", "role": "deputy_foreign_minister", "country": "KGZ"}],
                    "date": {"start": "2026-04-15", "end": "2026-04-15"}}, "reason": "the ministry's release"})
    assert r.status_code == 200, r.text
    ev = r.json()
    assert ev["date"]["start"] == "2026-04-15" and ev["participants"][0]["role"] == "deputy_foreign_minister"
    assert ev["review"] == {"state": "corrected", "new_since_review": False}
    assert client.post("/api/events/3/review", headers=BEN, json={"decision": "reject", "reason": "not a meeting"}).json()["review"]["state"] == "rejected"
    history = client.get("/api/events/1/history").json()["items"]
    assert [(h["actor"], h["field"]) for h in history] == [("ana", "participants"), ("ana", "date")]
    assert client.get("/api/events/3/history").json()["items"][0]["actor"] == "ben"
    assert client.get("/api/events/1").json()["date"]["start"] == "2026-04-15"  # the cached page followed


def test_merge_and_split(client):
    r = client.post("/api/events/merge", headers=ANA, json={"ids": [2, 1], "reason": "one visit"})
    assert r.status_code == 200 and r.json()["id"] == 1 and len(r.json()["sources"]) == 2
    assert client.get("/api/events/2").status_code == 404
    r = client.post("/api/events/1/split", headers=ANA, json={"documents": [2], "reason": "two visits after all"})
    assert r.status_code == 200, r.text
    assert r.json()["event"]["sources"] == [1] and len(r.json()["moved_to"]) == 1
    assert [h["action"] for h in client.get("/api/events/1/history").json()["items"]] == ["merge", "split"]


def test_edits_are_refused_without_the_right_token_and_name_the_wrong_field(client, tmp_path):
    body = {"changes": {"status": "planned"}}
    assert client.patch("/api/events/1", json=body).status_code == 401
    assert client.patch("/api/events/1", headers={"Authorization": "Bearer wrong"}, json=body).status_code == 401
    r = client.patch("/api/events/1", headers=ANA, json={"changes": {"status": "done"}})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "status" and "'planned'" in r.json()["detail"]["message"]
    r = client.patch("/api/events/1", headers=ANA, json={"changes": {"countries": ["ZZZ"]}})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "countries"
    r = client.patch("/api/events/1", headers=ANA, json={"changes": {"named_format": "NOPE"}})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "named_format"
    assert client.patch("/api/events/99", headers=ANA, json=body).status_code == 404
    assert client.post("/api/events/merge", headers=ANA, json={"ids": [1, 99]}).status_code == 404
    assert client.post("/api/events/1/review", headers=ANA, json={"decision": "approve"}).status_code == 422
    assert client.post("/api/events/1/split", headers=ANA, json={"documents": [1]}).status_code == 422  # all of them
    store = Store(f"sqlite:///{tmp_path / 'off.db'}")
    with TestClient(create_app(store=store, token="")) as off:
        assert off.patch("/api/events/1", headers=ANA, json=body).status_code == 403
    assert client.get("/api/events/1").json()["review"]["state"] == "unreviewed"


def test_errors_endpoint_lists_each_failed_source_once(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'e.db'}")
    store.record_error("https://example.org/a", "https://example.org/a: HTTP 404")
    store.record_error("https://example.org/a", "https://example.org/a: HTTP 410")
    store.record_error("/data/b.pdf", "/data/b.pdf: no text in PDF")
    with TestClient(create_app(store=store, token="")) as c:
        page = c.get("/api/errors").json()
        assert page["total"] == 2 and {e["source"]: e["times"] for e in page["items"]} == {
            "https://example.org/a": 2, "/data/b.pdf": 1}
        assert next(e for e in page["items"] if e["times"] == 2)["message"].endswith("HTTP 410")
        assert c.get("/api/errors?limit=0").status_code == 422
