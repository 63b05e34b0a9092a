"""The review filter through the API, the pages and the CLI: rejected events are out of pages, counts,
aggregates and exports unless asked for; `reviewed` is any state but unreviewed; a bad value is a 422
(or a usage error) of one line; the review queue lists unreviewed events, lowest confidence first; the
KB choices of the edit mode are one GET."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient

from kurultai.api import create_app
from kurultai.models import DateRange, Document, Event, Extraction, Participant
from kurultai.store import SearchQuery, Store
from test_gold import run

D = dt.date(2026, 4, 14)


def talks(day: dt.date, a: str, b: str, confidence: float) -> Event:
    return Event(date=DateRange(start=day, end=day), countries=[a, b], topics=["trade"], confidence=confidence,
                 participants=[Participant(name="x", name_en="Zheenbek Kulubaev", role="foreign_minister", country="KGZ")])


@pytest.fixture()
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'k.db'}")
    for i, (a, b, c) in enumerate([("KGZ", "UZB", 0.9), ("KAZ", "TJK", 0.5), ("TKM", "CHN", 0.7), ("KGZ", "RUS", 0.6)]):
        ev = talks(D + dt.timedelta(days=40 * i), a, b, c)
        if a == "KAZ":  # someone only in the event that is rejected
            ev.participants.append(Participant(name="y", name_en="Only Rejected", role="minister", country="KAZ"))
        s.add(Extraction(document=Document(id=f"d{i}", text=f"report {i} " + "w " * i * 7), events=[ev]))
    s.review(2, "reject", "ana", "not a meeting")
    s.review(3, "confirm", "ana")
    yield s
    s.close()


@pytest.fixture()
def client(store):
    with TestClient(create_app(store=store, token="t")) as c:
        yield c


def ids(answer: dict) -> list[int]:
    return sorted(e["id"] for e in answer["items"])


def test_api_review_filter(client):
    assert ids(client.get("/api/events").json()) == [1, 3, 4]
    assert ids(client.get("/api/events?include_rejected=true").json()) == [1, 2, 3, 4]
    assert ids(client.get("/api/events?review=rejected").json()) == [2]
    assert ids(client.get("/api/events?review=reviewed").json()) == [3]
    assert ids(client.get("/api/events?review=reviewed&include_rejected=true").json()) == [2, 3]
    assert ids(client.get("/api/events?review=unreviewed").json()) == [1, 4]
    assert client.get("/api/events?sort=confidence").json()["items"][0]["id"] == 4  # 0.6; 0.5 is rejected
    assert client.get("/api/stats").json()["events"] == 3
    assert "KAZ" not in {c["iso3"] for c in client.get("/api/countries").json()["items"]}
    assert client.get("/api/countries/KAZ").status_code == 404  # its only event is rejected
    people = client.get("/api/people").json()["items"]
    assert people[0]["name_en"] == "Zheenbek Kulubaev" and people[0]["events"] == 3
    assert len(client.get("/api/timeline?by=all&review=rejected").json()["series"][0]["counts"]) == 1
    lines = client.get("/api/export/jsonl").text.splitlines()
    assert sorted(json.loads(x)["id"] for x in lines) == [1, 3, 4]
    assert [json.loads(x)["id"] for x in client.get("/api/export/jsonl?review=rejected").text.splitlines()] == [2]
    bad = client.get("/api/events?review=maybe")
    assert bad.status_code == 422 and bad.json()["detail"].startswith("review:") and "\n" not in bad.json()["detail"]


def test_someone_only_in_rejected_events_is_nobody(store):
    for use_index in (True, False):
        assert store.people(name="only", use_index=use_index) == []
        assert store.people(country="KAZ", use_index=use_index) == []
        assert store.person("Only Rejected", use_index=use_index) is None
        assert [p["name_en"] for p in store.people(use_index=use_index)] == ["Zheenbek Kulubaev"]
    assert store.page(SearchQuery(person="only", include_rejected=True))[0] == 1
    assert store.page(SearchQuery(person="only", include_rejected=True), use_index=False)[0] == 1


def test_pages_filter_and_queue(client):
    page = client.get("/?review=rejected").text
    assert 'data-id="2"' in page and 'data-id="1"' not in page and "badge review rejected" in page
    assert 'data-id="2"' not in client.get("/").text and 'data-id="2"' in client.get("/?include_rejected=1").text
    queue = client.get("/review").text
    assert queue.index('data-id="4"') < queue.index('data-id="1"')  # confidence 0.6 before 0.9
    assert 'data-id="3"' not in queue and 'data-id="2"' not in queue
    assert 'data-id="3"' in client.get("/review?review=confirmed").text
    bad = client.get("/?review=maybe")
    assert bad.status_code == 422 and "review: one of" in bad.text  # a page of the site (issue 13, item 9)
    assert bad.headers["content-type"].startswith("text/html")
    event = client.get("/events/2").text
    assert "not a meeting" in event and 'id="rv-data"' in event and "/static/review.js" in event


def test_kb_choices(client):
    kb = client.get("/api/kb").json()
    assert {"id": "KGZ", "name": "Kyrgyzstan"} in kb["countries"] and "C5" in kb["formats"]
    assert "deputy_foreign_minister" in kb["roles"] and "water" in kb["topics"]
    assert any(p["name_en"] == "Sergey Lavrov" and p["country"] == "RUS" for p in kb["people"])
    assert any(p["name"] == "Bishkek" and p["country"] == "KGZ" for p in kb["places"])


def test_cli_review_filter(store, tmp_path):
    db = store.url.removeprefix("sqlite:///")
    out = run("search", "--review", "rejected", "--json", "--db", db)
    assert out.returncode == 0 and [e["id"] for e in json.loads(out.stdout)] == [2]
    out = run("search", "--json", "--include-rejected", "--db", db)
    assert sorted(e["id"] for e in json.loads(out.stdout)) == [1, 2, 3, 4]
    bad = run("search", "--review", "maybe", "--db", db)
    assert bad.returncode == 2 and "--review" in bad.stderr
    assert run("export", "-f", "jsonl", "-o", str(tmp_path / "x.jsonl"), "--review", "reviewed", "--db", db).returncode == 0
    assert [json.loads(x)["id"] for x in (tmp_path / "x.jsonl").read_text().splitlines()] == [3]
