"""The analyst's desk, second pass (issue 13, items 11-13 and the API docs of 15), without a browser: the
interactive docs at /docs come from the package's own files, the pages speak in words the KB and the
labels table give, facet counts follow the filters, every view links its downloads, documents and
organisations have pages, a search shows the words it matched."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from conftest import BACKENDS, ROOT, SAMPLES, new_store
from kurultai.api import SECURITY_HEADERS, create_app
from kurultai.ingest import ingest
from kurultai.store import SearchQuery, Store

VENDOR = ROOT / "src" / "kurultai" / "web" / "static" / "vendor"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('desk') / 'k.db'}")
    report = ingest(s, [str(SAMPLES)])
    assert report.errors == 0
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(store=store, token="")) as c:
        yield c


APP = "http://testserver"  # the app's own origin, as url_for writes it


def _scripts(html: str) -> list[str]:
    """The script sources of a page, those of the app itself as paths."""
    return [s.removeprefix(APP) for s in re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)]


def test_docs_is_swagger_ui_from_local_files(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    scripts = _scripts(r.text)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in scripts and "/static/docs.js" in scripts
    # nothing from outside the app: no http(s):// or protocol-relative script, style or link
    assert not [s for s in scripts if re.match(r"^(https?:)?//", s)], scripts
    assert not re.search(r"""(src|href)=["'](https?:)?//""", r.text.replace(f'"{APP}/', '"/')), "an asset from another host"
    assert "<script>" not in r.text and not re.search(r"<script(?![^>]*\bsrc=)", r.text)  # no inline script (CSP)
    assert 'id="swagger-ui"' in r.text and 'data-spec="/openapi.json"' in r.text
    assert "/static/vendor/swagger-ui/swagger-ui.css" in r.text
    # the files are served by the app itself
    if not (VENDOR / "swagger-ui" / "swagger-ui-bundle.js").is_file():
        pytest.skip("Swagger UI is not bundled (make vendor)")
    js = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert js.status_code == 200 and "SwaggerUIBundle" in js.text[:200_000]
    assert client.get("/static/vendor/swagger-ui/swagger-ui.css").status_code == 200
    init = client.get("/static/docs.js")
    assert init.status_code == 200 and "/openapi.json" in init.text and "validatorUrl: null" in init.text
    assert client.get("/openapi.json").json()["info"]["title"] == "Kurultai"
    # FastAPI's own CDN-loaded pages are off
    assert client.get("/redoc").status_code == 404
    assert "cdn.jsdelivr.net" not in r.text and "unpkg" not in r.text


# -- item 11: words, not codes ---------------------------------------------------------------------
def test_labels_come_from_the_tables_and_the_kb():
    from kurultai.web import labels

    assert labels.word(labels.MODES, "video") == "online" and labels.word(labels.MODES, "phone") == "by phone"
    assert labels.word(labels.MODES, "in_person") == "in person"
    assert labels.word(labels.ROLES, "head_of_state") == "head of state"
    assert labels.word(labels.ROLES, "foreign_minister") == "foreign minister"
    assert labels.word(labels.ROLES, "new_code") == "new code"  # an unknown code stays readable
    assert labels.format_name("multilateral", "CIS:CFM") == "CIS council of foreign ministers"
    assert labels.format_name("multilateral", "C5+RUS") == "Central Asia + Russia"
    assert labels.format_name("bilateral", None) == "bilateral"
    assert labels.country("KAZ") == "Kazakhstan" and labels.country("XYZ") == "XYZ"
    assert labels.figure(44_000_000_000, "USD") == "44 bn USD"
    assert labels.figure(600_000_000, "USD") == "600 mn USD" and labels.figure(1.5e9, "USD") == "1.5 bn USD"
    assert labels.figure(35_000, "USD") == "35,000 USD"
    assert [p["name_en"] for p in labels.people([{"name_en": "A B", "name": "А Б"}, {"name_en": "A B", "name": "A B"}])] == ["A B"]
    ev = {"status": "held", "mode": "video", "format": "multilateral", "named_format": "C5+RUS",
          "countries": ["KAZ", "KGZ", "RUS", "TJK", "TKM", "UZB"], "organizations": [],
          "participants": [{"name_en": "Murat Nurtleu", "name": "Мурат Нуртлеу", "role": "foreign_minister", "country": "KAZ"},
                           {"name_en": "Sergey Lavrov", "name": "Сергей Лавров", "role": "foreign_minister", "country": "RUS"}]}
    assert labels.summary(ev) == ("Kazakhstan's FM Murat Nurtleu and Russia's FM Sergey Lavrov met by video in the "
                                  "Central Asia + Russia format")
    # an event-level span is keyed by what it names
    assert labels.evidence_key("Российской Федерации", ev) == ("country", "RUS")
    assert labels.evidence_key("в режиме видеоконференции", ev) == ("mode", "video")
    assert labels.evidence_key("Центральной Азии", ev) == ("format", "C5+RUS")
    assert labels.evidence_key("встреча", ev) == ("event", None)


def test_pages_speak_in_words(client, store):
    ev = next(e for e in store.search_dicts(SearchQuery(limit=None)) if e["named_format"] == "C5+RUS")
    page = client.get(f"/events/{ev['id']}").text
    assert 'id="summary"' in page and "met by video in the Central Asia + Russia format" in page
    assert '<td title="video">online</td>' in page
    assert '<a class="country" href="/countries/KAZ" title="KAZ">Kazakhstan</a>' in page
    assert "foreign minister" in page and "foreign_minister" not in page.split('id="rv-data"')[0]
    # evidence keyed per field: the mode, the format, each state, each topic
    keys = re.findall(r'class="ev-key" data-key="k\d+" data-field="(\w+)"', page)
    for fld in ("mode", "format", "country", "topic", "participant", "date"):
        assert fld in keys, (fld, keys)
    assert "country: Russia" in page and "mode: online" in page and "format: Central Asia + Russia" in page
    # each source headed by title, outlet, date and URL
    assert page.count('<dl class="source-head">') == len(ev["sources"])
    for part in ("outlet", "published", "url"):
        assert page.count(f'<dd class="{part}">') == len(ev["sources"])
    cis = next(e for e in store.search_dicts(SearchQuery(limit=None)) if e["named_format"] == "CIS:CFM")
    assert "CIS council of foreign ministers" in client.get(f"/events/{cis['id']}").text
    listing = client.get("/").text
    assert 'class="summary"' in listing and "Central Asia + Russia" in listing and ">online<" in listing
    fig = next(e for e in store.search_dicts(SearchQuery(limit=None)) if any(f["value"] == 44e9 for f in e["figures"]))
    assert "44 bn USD" in client.get(f"/events/{fig['id']}").text
    people = client.get("/people").text
    assert "head of state" in people and "head_of_state" not in people
    assert 'title="KAZ">Kazakhstan</a>' in people


# -- item 12: Datasette's habits ---------------------------------------------------------------------
def _facets(html: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for facet, body in re.findall(r'<section class="facet" data-facet="(\w+)">(.*?)</section>', html, re.S):
        out[facet] = {v: int(n) for v, n in re.findall(r'title="\w+=([^" ]+)[^"]*">.*?</a> <span class="n">(\d+)</span>', body)}
    return out


def test_facet_counts_follow_the_filters(client, store):
    everything = _facets(client.get("/").text)
    assert {"country", "mode", "role", "topic", "status", "kind"} <= set(everything)
    assert everything["country"]["KAZ"] == store.count(SearchQuery(country="KAZ"))
    kaz = _facets(client.get("/?country=KAZ").text)
    for mode, n in kaz["mode"].items():  # each count is the total of the page its link opens
        assert n == store.count(SearchQuery(country="KAZ", mode=mode))
        page = client.get("/", params={"country": "KAZ", "mode": mode}).text
        assert f'<strong id="total">{n}</strong>' in page
    for role, n in kaz["role"].items():
        assert n == store.count(SearchQuery(country="KAZ", role=role)), role
    assert sum(kaz["mode"].values()) == store.count(SearchQuery(country="KAZ")) < sum(everything["mode"].values())
    # the chosen value links back to the page without it
    page = client.get("/?country=KAZ&mode=video").text
    mode = re.search(r'data-facet="mode">.*?<li class="on"><a href="([^"]+)"', page, re.S)
    assert mode and mode.group(1).replace("&amp;", "&") == "/?country=KAZ"
    country = re.search(r'data-facet="country">.*?<li class="on"><a href="([^"]+)"', page, re.S)
    assert country and country.group(1).replace("&amp;", "&") == "/?mode=video"


def test_sort_mode_and_role_filters(client, store):
    page = client.get("/").text
    for name in ("sort", "mode", "role"):
        assert f'name="{name}"' in page
    assert '<option value="video" >online</option>' in page and '>head of state</option>' in page
    assert '<option value="-date" selected>newest first</option>' in page
    oldest = client.get("/?sort=date").text
    ids = re.findall(r'<li class="event" data-id="(\d+)"', oldest)
    dated = [e for e in store.search_dicts(SearchQuery(limit=None, sort="date"))]
    assert ids == [str(e["id"]) for e in dated]
    assert '<option value="date" selected>oldest first</option>' in oldest
    assert 'sort=date' in re.search(r'<p class="downloads">.*?</p>', oldest, re.S).group(0)
    assert client.get("/?sort=nonsense").status_code == 422
    video = client.get("/?mode=video").text
    assert f'<strong id="total">{store.count(SearchQuery(mode="video"))}</strong>' in video
    heads = client.get("/?role=head_of_state").text
    assert f'<strong id="total">{store.count(SearchQuery(role="head_of_state"))}</strong>' in heads


DOWNLOADS = {"/": ["csv", "jsonl", "geojson", "gexf", "json"], "/people": ["csv", "json"], "/countries": ["csv", "json"],
             "/timeline?country=KAZ": ["csv", "json"], "/map?country=KAZ": ["places csv", "json", "geojson"],
             "/network?country=KAZ&nodes=person": ["edges csv", "json", "gexf"], "/organizations": ["csv", "json"],
             "/countries/KAZ": ["events csv", "json"]}


def test_every_view_links_its_downloads_with_its_filters(client):
    for url, wanted in DOWNLOADS.items():
        html = client.get(url).text
        block = re.search(r'<p class="downloads">(.*?)</p>', html, re.S)
        assert block, url
        links = {label: href.replace("&amp;", "&") for href, label in re.findall(r'<a class="download" href="([^"]+)">([^<]+)</a>', block.group(1))}
        assert set(wanted) <= set(links), (url, links)
        for label, href in links.items():
            if "country=KAZ" in url:
                assert "country=KAZ" in href, (url, label, href)
            r = client.get(href)
            assert r.status_code == 200, (url, label, href, r.text[:200])
            if "csv" in label:
                assert r.headers["content-type"].startswith("text/csv") and "\n" in r.text
            if label == "json":
                assert r.headers["content-type"].startswith("application/json")
            if label == "gexf":
                assert "<gexf" in r.text
    assert "nodes=person" in re.search(r'href="(/api/export/gexf[^"]+)"', client.get("/network?nodes=person").text).group(1)
    rows = client.get("/timeline.csv?by=all").text.splitlines()
    assert rows[0] == "series,label,period,events" and all(r.startswith("all,") for r in rows[1:])


def test_document_and_organization_pages(client, store):
    ev = next(e for e in store.search_dicts(SearchQuery(limit=None)) if e["organizations"])
    doc_id = ev["sources"][0]
    doc = store.document(doc_id)
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    assert (doc["title"] or doc["key"]) in page.text and f'data-id="{ev["id"]}"' in page.text
    assert '<dd class="published">' in page.text and '<dd class="url">' in page.text
    assert f'href="/api/documents/{doc_id}"' in page.text
    assert client.get("/documents/999999").status_code == 404
    event_page = client.get(f"/events/{ev['id']}").text
    assert f'href="/documents/{doc_id}"' in event_page  # the source's title opens its page
    org = ev["organizations"][0]
    page = client.get(f"/organizations/{org}")
    assert page.status_code == 200 and f'data-id="{ev["id"]}"' in page.text
    assert client.get("/organizations/NOPE").status_code == 404
    assert f'href="/organizations/{org}"' in client.get("/organizations").text
    assert f'href="/organizations/{org}"' in event_page


def test_search_shows_the_matched_words(client):
    page = client.get("/", params={"q": "Лавров"}).text
    snips = re.findall(r'<p class="snippet">(.*?)</p>', page, re.S)
    assert snips and all('<mark class="hit">' in s for s in snips)
    assert all(re.search(r'<mark class="hit">Лавров\w*</mark>', s) for s in snips)
    # a stem finds the word as the article inflects it
    inflected = client.get("/", params={"q": "Ташкент"}).text
    hits = re.findall(r'<mark class="hit">([^<]+)</mark>', inflected)
    assert hits and all(h.lower().startswith(("ташкент", "тошкент")) for h in hits), hits
    assert 'class="snippet"' not in client.get("/").text
    # the article's markup is text in a snippet too
    assert "<script" not in "".join(snips)


@pytest.mark.parametrize("backend", BACKENDS)
def test_facet_counts_on_each_backend(backend, tmp_path):
    s = new_store(backend, tmp_path)
    try:
        ingest(s, [str(SAMPLES)])
        for q in (SearchQuery(), SearchQuery(country="KAZ"), SearchQuery(text="Лавров"), SearchQuery(mode="phone")):
            counts = s.facet_counts(q)
            assert counts == s.facet_counts(q, use_index=False), q  # the in-memory index and SQL agree
            for facet, param in (("country", "country"), ("mode", "mode"), ("topic", "topic"), ("role", "role"),
                                 ("status", "status"), ("org", "org"), ("named", "format")):
                if getattr(q, param, None):  # one value of a filter at a time: the others are co-occurrence counts
                    assert [v for v, _ in counts[facet] if v == getattr(q, param)], (facet, counts[facet])
                    continue
                for value, n in counts[facet]:
                    wanted = SearchQuery(**{**{k: getattr(q, k) for k in ("text", "country", "mode")}, param: value})
                    assert n == s.count(wanted), (backend, q, facet, value)
    finally:
        s.close()


def test_timeline_series_of_formats_in_words(client):
    page = client.get("/timeline?by=format").text
    labels = re.search(r'data-labels="([^"]*)"', page).group(1).replace("&#34;", '"')
    assert '"C5+RUS": "Central Asia + Russia"' in labels and '"CIS:CFM": "CIS council of foreign ministers"' in labels
    rows = client.get("/timeline.csv?by=format").text
    assert "C5+RUS,Central Asia + Russia," in rows


def test_view_csv_cells_are_never_formulas(tmp_path):
    """A name an article gives is untrusted: in the CSV of people it is text, never a formula."""
    from kurultai.models import Document, Event, Extraction, Participant

    s = Store(f"sqlite:///{tmp_path / 'f.db'}")
    try:
        text = "=HYPERLINK(1) met Murat Nurtleu."
        doc = Document(id="f", text=text, lang="en", title="t")
        ev = Event(countries=["KAZ", "KGZ"], participants=[
            Participant(name="=HYPERLINK(1)", name_en="=HYPERLINK(1)", role="other", evidence=[(0, 13)])], evidence=[(14, 17)])
        s.add(Extraction(document=doc, events=[ev]))
        with TestClient(create_app(store=s, token="")) as c:
            rows = c.get("/people.csv").text.splitlines()
        assert any(r.startswith("'=HYPERLINK(1)") for r in rows), rows
        assert not any(r.startswith("=") for r in rows)
    finally:
        s.close()


def test_format_filter_offers_the_formats_by_name(client):
    page = client.get("/?format=CIS:CFM").text
    select = re.search(r'<select name="format" id="f-format">(.*?)</select>', page, re.S).group(1)
    assert '<option value="CIS:CFM" title="CIS:CFM" selected>CIS council of foreign ministers (1)</option>' in select
    assert ">Central Asia + Russia (" in select and '<option value="bilateral"' in select
