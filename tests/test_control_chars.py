"""Control characters in a filter (schemathesis once sent `q=%00`: a 500 from FTS5 / PostgreSQL) are a
422 naming the problem on every API endpoint and dashboard page, and harmless blanks in the store's own
query object (the CLI), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from conftest import BACKENDS, SAMPLES, new_store
from kurultai.api import create_app
from kurultai.ingest import ingest
from kurultai.store import SearchQuery

BAD = ["\x00", "a\x00b", "\x1b[31m", "x\x7f", "line\nbreak", "\x08"]
API = ["/api/events", "/api/graph", "/api/timeline", "/api/places", "/api/export/csv", "/api/export/jsonl"]
PAGES = ["/", "/timeline", "/network", "/map"]


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    s = new_store(request.param, tmp_path_factory.mktemp("ctl"))
    ingest(s, [str(SAMPLES / "ru_visit_two_meetings.txt"), str(SAMPLES / "ru_ministerial_c5_japan.txt")])
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store=store, token="t" * 20))


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("param", ["q", "person", "format"])
def test_api_refuses_control_characters(client, param, value):
    for path in API:
        r = client.get(path, params={param: value})
        assert r.status_code == 422, (path, param, value, r.status_code)
        assert param in r.text
    r = client.get("/api/people", params={"name": value})
    assert r.status_code == 422


@pytest.mark.parametrize("value", BAD)
def test_pages_refuse_control_characters(client, value):
    for path in PAGES:
        for param in ("q", "person", "format"):
            r = client.get(path, params={param: value})
            assert r.status_code == 422, (path, param, value, r.status_code)
            assert "control characters" in r.text


def test_person_path_with_nul_is_a_4xx(client):
    assert client.get("/api/people/La%00vrov").status_code == 422
    assert client.get("/people/La%00vrov").status_code == 422
    assert client.get("/people", params={"name": "\x00"}).status_code == 422


def test_store_query_treats_control_characters_as_blanks(store):
    everything = {e["id"] for e in store.search_dicts(SearchQuery(limit=None))}
    assert everything
    # a NUL alone is no filter at all; around a word it is a blank
    assert {e["id"] for e in store.search_dicts(SearchQuery(text="\x00", limit=None))} == everything
    found = {e["id"] for e in store.search_dicts(SearchQuery(text="Японии\x00", limit=None))}
    assert found == {e["id"] for e in store.search_dicts(SearchQuery(text="Японии", limit=None))}
    store.search_dicts(SearchQuery(person="Лав\x00ров", limit=None))  # no DataError on PostgreSQL


def test_every_answer_has_the_security_headers(client):
    for path in ["/", "/api/events", "/api/stats", "/static/app.js", "/events/999999", "/api/events?q=%00"]:
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
