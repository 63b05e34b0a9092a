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
from kurultai.store import Store

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
