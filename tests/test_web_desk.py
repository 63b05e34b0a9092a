"""The analyst's desk, second pass (issue 13, items 11-13 and the API docs of 15), without a browser: the
interactive docs at /docs come from the package's own files, the pages speak in words the KB and the
labels table give, facet counts follow the filters, every view links its downloads, documents and
organisations have pages, a search shows the words it matched."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from conftest import ROOT, SAMPLES
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
