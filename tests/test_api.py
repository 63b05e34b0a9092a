"""The REST API over a store of the project's samples: filters, paging, evidence, aggregates, token,
malformed requests, and untrusted article text rendered as text."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from conftest import SAMPLES
from kurultai.api import create_app
from kurultai.ingest import ingest
from kurultai.store import Store

TOKEN = "test-token-0123456789"
HOSTILE = """Астана, 3 марта 2025 года. <script>alert('x')</script> Министр иностранных дел Казахстана Мурат Нуртлеу
провёл переговоры с министром иностранных дел Кыргызстана Жээнбеком Кулубаевым <img src=x onerror="alert(1)">.
Стороны обсудили вопросы торговли."""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('api') / 'k.db'}")
    report = ingest(s, [str(SAMPLES)])
    assert report.errors == 0 and report.events_created > 5
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store=store, token=TOKEN))


@pytest.fixture(scope="module")
def readonly(store):
    return TestClient(create_app(store=store, token=""))


def test_events_filter_sort_and_page(client, store):
    everything = client.get("/api/events", params={"limit": 500}).json()
    assert everything["total"] == store.stats()["events"] == len(everything["items"])
    kaz = client.get("/api/events", params={"country": "kaz", "limit": 500}).json()
    assert 0 < kaz["total"] < everything["total"]
    assert all("KAZ" in e["countries"] for e in kaz["items"])
    both = client.get("/api/events", params={"country": "KAZ", "status": "held", "limit": 500}).json()
    assert all(e["status"] == "held" and "KAZ" in e["countries"] for e in both["items"])
    dates = [e["date"]["start"] for e in client.get("/api/events", params={"sort": "date", "limit": 500}).json()["items"]
             if e["date"]]
    assert dates == sorted(dates)
    first = client.get("/api/events", params={"limit": 2, "offset": 0, "sort": "id"}).json()["items"]
    second = client.get("/api/events", params={"limit": 2, "offset": 2, "sort": "id"}).json()["items"]
    assert [e["id"] for e in first + second] == sorted(e["id"] for e in first + second)
    assert not {e["id"] for e in first} & {e["id"] for e in second}
    period = client.get("/api/events", params={"from": "2025-01-01", "to": "2025-12-31", "limit": 500}).json()["items"]
    assert period and all("2025-01-01" <= e["date"]["start"] <= "2025-12-31" for e in period)


def test_full_text_and_person(client):
    hits = client.get("/api/events", params={"q": "Япония"}).json()
    assert hits["total"] >= 1
    saidov = client.get("/api/events", params={"person": "saidov"}).json()
    assert saidov["total"] >= 1
    assert all(any("Saidov" in p["name_en"] for p in e["participants"]) for e in saidov["items"])


def test_event_quotes_its_evidence_from_the_stored_text(client, store):
    for item in client.get("/api/events", params={"limit": 500}).json()["items"]:
        ev = client.get(f"/api/events/{item['id']}").json()
        assert ev["evidence"], ev["id"]
        texts = {d["id"]: client.get(f"/api/documents/{d['id']}").json()["text"] for d in ev["documents"]}
        for e in ev["evidence"]:
            a, b = e["span"]
            assert e["quote"] == texts[e["document_id"]][a:b] and e["quote"].strip()


def test_people_countries_organisations(client):
    people = client.get("/api/people").json()["items"]
    top = people[0]
    assert top["events"] >= max(p["events"] for p in people)
    one = client.get(f"/api/people/{top['name_en']}").json()
    assert one["events"]["total"] == top["events"]
    kaz = client.get("/api/countries/KAZ").json()
    assert kaz["name"] == "Kazakhstan" and kaz["partners"] and kaz["events"]["total"] >= 1
    assert {c["iso3"] for c in client.get("/api/countries").json()["items"]} >= {"KAZ", "KGZ", "UZB", "RUS"}
    orgs = client.get("/api/organizations").json()["items"]
    if orgs:
        assert client.get(f"/api/organizations/{orgs[0]['id']}").json()["events"]["total"] == orgs[0]["events"]


def test_graph_weights_count_shared_events(client):
    g = client.get("/api/graph").json()
    events = client.get("/api/events", params={"limit": 500}).json()["items"]
    for edge in g["edges"]:
        shared = sum(1 for e in events if edge["source"] in e["countries"] and edge["target"] in e["countries"])
        assert edge["weight"] == shared
    ids = {n["id"] for n in g["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in g["edges"])
    narrow = client.get("/api/graph", params={"topic": "trade"}).json()
    assert sum(e["weight"] for e in narrow["edges"]) <= sum(e["weight"] for e in g["edges"])
    people = client.get("/api/graph", params={"nodes": "person"}).json()
    assert people["nodes"] and all(n["type"] == "person" for n in people["nodes"])


def test_timeline_counts_add_up(client):
    t = client.get("/api/timeline", params={"by": "all"}).json()
    dated = [e for e in client.get("/api/events", params={"limit": 500}).json()["items"] if e["date"]]
    # a date known only by its year is in `years`, never in a month
    assert sum(t["series"][0]["counts"]) + sum(t["series"][0]["year_counts"]) == len(dated)
    assert sum(t["series"][0]["year_counts"]) == sum(e["date"]["precision"] == "year" for e in dated)
    by_country = client.get("/api/timeline", params={"by": "country", "country": "UZB"}).json()
    uzb = next(s for s in by_country["series"] if s["key"] == "UZB")
    assert uzb["total"] == client.get("/api/events", params={"country": "UZB"}).json()["total"]


def test_places_have_coordinates(client):
    places = client.get("/api/places").json()["items"]
    assert places and all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 and p["events"] >= 1 for p in places)


@pytest.mark.parametrize("url", [
    "/api/events?from=2025-13-40", "/api/events?limit=0", "/api/events?limit=100000", "/api/events?country=KAZAKH",
    "/api/events?status=done", "/api/events?sort=colour", "/api/events?from=2025-02-01&to=2025-01-01",
    "/api/events/abc", "/api/graph?nodes=planets", "/api/timeline?by=weather", "/api/export/xls",
])
def test_malformed_requests_get_a_clear_4xx(client, url):
    r = client.get(url)
    assert 400 <= r.status_code < 500
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


def test_missing_things_are_404(client):
    assert client.get("/api/events/999999").status_code == 404
    assert client.get("/api/countries/XXX").status_code == 404
    assert client.get("/api/people/Nobody Atall").status_code == 404
    assert client.get("/events/999999").status_code == 404


def test_writes_need_the_token(client, readonly):
    body = {"text": "Бишкек, 5 мая 2025 года. Министр иностранных дел Кыргызстана Жээнбек Кулубаев встретился с послом Японии."}
    assert readonly.post("/api/documents", json=body).status_code == 403
    assert client.post("/api/documents", json=body).status_code == 401
    assert client.post("/api/documents", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    for bad in ({}, {"text": ""}, {"text": "x", "url": "http://example.org/"}, {"url": "ftp://x"}, {"text": 5}):
        r = client.post("/api/documents", json=bad, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 422, bad
    r = client.post("/api/documents", content=b"{not json", headers={"Authorization": f"Bearer {TOKEN}",
                                                                     "Content-Type": "application/json"})
    assert r.status_code == 422


def test_posted_document_is_stored_once_and_hostile_markup_renders_as_text(client, store):
    before = store.stats()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/documents", json={"text": HOSTILE, "title": "<b>title</b>", "published": "2025-03-03"}, headers=auth)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["status"] == "stored" and created["events"]
    again = client.post("/api/documents", json={"text": HOSTILE, "published": "2025-03-03"}, headers=auth).json()
    assert again["status"] == "exists" and store.stats()["documents"] == before["documents"] + 1
    page = client.get(f"/events/{created['events'][0]}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page
    assert "onerror=&#34;alert(1)&#34;" in page or "onerror=&quot;alert(1)&quot;" in page
    listing = client.get("/", params={"q": "Нуртлеу"}).text
    assert "<script>alert" not in listing


def test_dashboard_pages_render(client):
    for url in ["/", "/?country=KAZ&topic=trade", "/timeline", "/timeline?by=format", "/network", "/network?nodes=person",
                "/map", "/countries", "/countries/KAZ", "/people", "/people?name=sai", "/api", "/events/1"]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert "text/html" in r.headers["content-type"]
    assert client.get("/?from=yesterday").status_code == 422
    kaz = client.get("/", params={"country": "KAZ"}).text
    total = client.get("/api/events", params={"country": "KAZ"}).json()["total"]
    assert f'<strong id="total">{total}</strong>' in kaz


def test_event_page_marks_every_evidence_span(client):
    ev = client.get("/api/events/1").json()
    page = client.get("/events/1").text
    from kurultai.web.labels import evidence_key

    # one key per field the spans support (an event-level span keyed by what it names: labels.evidence_key)
    assert page.count('class="ev-key"') == len({evidence_key(e["quote"], ev) if e["field"] == "event" else (e["field"], e["item"])
                                                for e in ev["evidence"]})
    assert 'class="ev"' in page
