"""The API's habits (issue 13, item 15): one paging shape `{total, limit, offset, items}` on every list
endpoint, gzip, and ETags on reads (304 on If-None-Match, a new tag after a write)."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from fastapi.testclient import TestClient

from conftest import BACKENDS, new_store
from kurultai.api import create_app
from kurultai.models import DateRange, Document, Event, Extraction, Location, Participant

TOKEN = "t0ken"


def report(i: int) -> Extraction:
    day = dt.date(2025, 1, 1) + dt.timedelta(days=9 * i)
    countries = [["KAZ", "KGZ"], ["UZB", "TJK"], ["KAZ", "RUS"], ["TKM", "CHN"]][i % 4]
    return Extraction(document=Document(id=f"p{i}", text=f"Report {i} on talks of {' and '.join(countries)}. " * 4),
                      events=[Event(date=DateRange(start=day, end=day), countries=countries, topics=["trade"],
                                    organizations=["SCO"] if i % 3 == 0 else [],
                                    location=Location(name=["Astana", "Bishkek", "Tashkent"][i % 3],
                                                      country=["KAZ", "KGZ", "UZB"][i % 3],
                                                      lat=[51.17, 42.87, 41.3][i % 3], lon=[71.43, 74.59, 69.24][i % 3]),
                                    participants=[Participant(name=f"Person {i % 7}", name_en=f"Person {i % 7}",
                                                              role="minister")])])


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    s = new_store(request.param, tmp_path_factory.mktemp("paging"))
    for i in range(24):
        s.add(report(i))
    s.review(1, "confirm", "ana")
    for k in range(4):
        s.record_error(f"https://example.org/broken/{k}", "not an article")
    s.review(1, "reject", "ana", "no meeting")
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store=store, token=TOKEN))


LISTS = ["/api/events", "/api/people", "/api/countries", "/api/organizations", "/api/places", "/api/errors",
         "/api/events/1/history", "/api/people/Person%201", "/api/countries/KAZ", "/api/organizations/SCO"]


def page_of(body: dict, url: str) -> dict:
    """The paged list of an answer: the answer itself, or the `events` of a person, state or organisation."""
    return body["events"] if url.count("/") > 2 and "history" not in url and "events" not in url else body


@pytest.mark.parametrize("url", LISTS)
def test_every_list_endpoint_pages_one_way(client, url):
    whole = page_of(client.get(url, params={"limit": 500}).json(), url)
    assert set(whole) == {"total", "limit", "offset", "items"} and whole["limit"] == 500 and whole["offset"] == 0
    assert whole["total"] == len(whole["items"]) and whole["items"], url
    for limit, offset in ((1, 0), (2, 1), (3, whole["total"] - 1), (5, whole["total"] + 3)):
        part = page_of(client.get(url, params={"limit": limit, "offset": offset}).json(), url)
        assert part == {"total": whole["total"], "limit": limit, "offset": offset,
                        "items": whole["items"][offset:offset + limit]}, (url, limit, offset)


def test_people_total_is_the_same_from_the_index_and_sql(store):
    for kw in ({}, {"name": "person"}, {"country": "KAZ"}, {"name": "Person 3"}, {"name": "nobody"}):
        fast, slow = store.people_page(**kw, limit=2), store.people_page(**kw, limit=2, use_index=False)
        assert fast == slow, kw
        assert fast[0] == len(store.people(**kw, limit=1000))


def test_gzip(client):
    r = client.get("/api/events", params={"limit": 50}, headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and "accept-encoding" in r.headers["vary"].lower()
    with client.stream("GET", "/api/events", params={"limit": 50}, headers={"Accept-Encoding": "gzip"}) as raw:
        packed = b"".join(raw.iter_raw())
    assert len(packed) < len(r.content) and json.loads(gzip.decompress(packed)) == r.json()
    plain = client.get("/api/events", params={"limit": 50}, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == r.json()
    assert plain.headers["etag"] == r.headers["etag"]  # one weak tag for both encodings


@pytest.mark.parametrize("url", ["/api/events?limit=5", "/api/countries", "/api/graph", "/api/events/2", "/countries",
                                 "/", "/api/export/csv"])
def test_etag_and_304(client, url):
    first = client.get(url)
    tag = first.headers["etag"]
    assert first.status_code == 200 and tag.startswith('W/"')
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert again.headers["x-content-type-options"] == "nosniff"
    assert client.get(url, headers={"If-None-Match": f'"other", {tag.removeprefix("W/")}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_a_write_changes_the_tag(client, store):
    before = client.get("/api/events", params={"limit": 5})
    store.add(report(99))
    after = client.get("/api/events", params={"limit": 5}, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert after.json()["total"] == before.json()["total"] + 1


def test_no_tag_on_errors_writes_or_static(client):
    assert "etag" not in client.get("/api/events/999999").headers
    r = client.post("/api/events/2/review", headers={"Authorization": f"Bearer {TOKEN}"}, json={"decision": "confirm"})
    assert r.status_code == 200 and "etag" not in r.headers
    static = client.get("/static/style.css")
    assert static.status_code == 200
    assert client.get("/static/style.css", headers={"If-None-Match": static.headers["etag"]}).status_code == 304


def test_the_map_reads_the_page_of_places():
    """The map's script reads the places' page (`items`), not a bare list."""
    from pathlib import Path

    import kurultai.web as web

    text = (Path(web.__file__).parent / "static" / "map.js").read_text(encoding="utf-8")
    assert "res[0].items" in text and "Array.isArray(res[0])" not in text
