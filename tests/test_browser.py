"""The dashboard in a real browser: Playwright drives Debian's Chromium (headless) against the app served
by uvicorn on a free loopback port over a store of the project's samples. Each test saves a screenshot
of its page to tests/artifacts/screenshots/ (desktop, and a phone-sized one for the search page).

Chromium comes from Debian's package (`make test` runs scripts/chromium.sh); Playwright never downloads
a browser. Outside CI the tests skip when Chromium or the bundled chart libraries are missing; in CI
(CI=true) they fail instead.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES
from kurultai.api import create_app
from kurultai.ingest import ingest
from kurultai.store import SearchQuery, Store

CHROMIUM = os.environ.get("KURULTAI_CHROMIUM", "/usr/bin/chromium")
VENDOR = ROOT / "src" / "kurultai" / "web" / "static" / "vendor"
TOKEN = "browser-test-token-0123456789"
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _missing() -> str | None:
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is missing (bash scripts/chromium.sh installs Debian's chromium)"
    if not (VENDOR / "vendor.js").is_file() or not (VENDOR / "countries-50m.json").is_file():
        return "the chart libraries are not bundled (make vendor)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    why = _missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {why}")
        pytest.skip(why)
    import uvicorn

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'k.db'}")
    report = ingest(store, [str(SAMPLES)])
    assert report.errors == 0 and report.events_created > 5
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(store=store, token=TOKEN), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    srv.should_exit = True
    thread.join(10)
    store.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None)
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000, f"screenshot {path} is empty"
    return path


def _events_listed(page) -> list[str]:
    return page.locator("ol.events li.event").evaluate_all("els => els.map(e => e.dataset.id)")


def test_search_page_filters_by_country(server, page):
    base, store = server
    page.goto(base + "/")
    everything = _events_listed(page)
    assert len(everything) == store.stats()["events"]
    # pick Japan from the country list the page offers, and apply
    page.select_option("#f-country", "JPN")
    page.click("#apply")
    page.wait_for_url(re.compile(r"country=JPN"))
    japan = _events_listed(page)
    assert 0 < len(japan) < len(everything)
    for row in page.locator("ol.events li.event").all():
        assert "JPN" in row.locator(".who a.country").evaluate_all("els => els.map(e => e.title)")  # the name shows, the code on hover
    assert page.locator("#f-country").input_value() == "JPN"  # the filter stays shown
    shot(page, "search-country-JPN")
    # a country with no event gives the empty message, not an error
    page.goto(base + "/?country=BRA")
    assert page.locator("ol.events li.empty").count() == 1
    assert not page.js_errors, page.js_errors


def test_search_page_on_a_phone(server, browser):
    base, _ = server
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    pg.goto(base + "/?country=KAZ")
    # nothing wider than the screen: the page scrolls vertically only
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"page is {width}px wide on a 390px screen"
    assert pg.locator("ol.events li.event").count() > 0
    shot(pg, "search-phone")
    ctx.close()


def test_event_page_highlights_evidence(server, page):
    base, store = server
    # the event with the most people in it
    hits = sorted(store.search_dicts(SearchQuery(status="held")), key=lambda e: -len(e["participants"]))
    assert hits and hits[0]["participants"]
    page.goto(f"{base}/events/{hits[0]['id']}")
    keys = page.locator("button.ev-key")
    assert keys.count() >= 5
    assert page.locator("mark.ev.active").count() == 0
    # the participants' evidence: click the first participant key
    key = page.locator("button.ev-key", has_text="participant").first
    key.click()
    active = page.locator("mark.ev.active")
    assert active.count() >= 1
    assert key.get_attribute("aria-pressed") == "true"
    wanted = key.get_attribute("data-key")
    for m in active.all():
        assert wanted in m.get_attribute("data-keys").split()
    # the highlighted words are the participant's name as written in the article
    cell = page.locator("tr:has(th:text-is('participant')) td").first  # the name as written, if not the English one
    name = cell.locator("small .written").inner_text() if cell.locator("small .written").count() else cell.locator("a").inner_text()
    assert any(name.split()[-1][:5] in t for t in active.all_inner_texts()), (name, active.all_inner_texts())
    # the active marks are drawn differently from the others
    bg_on = active.first.evaluate("m => getComputedStyle(m).backgroundColor")
    others = page.locator("mark.ev:not(.active)")
    if others.count():
        assert others.first.evaluate("m => getComputedStyle(m).backgroundColor") != bg_on
    # another key moves the highlight
    other = page.locator("button.ev-key", has_text="date").first
    other.click()
    assert key.get_attribute("aria-pressed") == "false"
    assert page.locator("mark.ev.active").count() >= 1
    shot(page, "event-evidence")
    assert not page.js_errors, page.js_errors


def test_network_renders(server, page):
    base, _ = server
    for nodes in ("country", "person"):
        page.goto(f"{base}/network?nodes={nodes}")
        page.wait_for_selector("#network[data-rendered='true']", timeout=15000)
        assert page.locator("#network[data-error]").count() == 0
        assert page.locator("#network svg a.node").count() >= 3
        assert page.locator("#network svg g.edges line, #network svg g.edges path").count() >= 2
        shot(page, f"network-{nodes}")
    # a click on a state opens its page
    page.goto(f"{base}/network?nodes=country")
    page.wait_for_selector("#network[data-rendered='true']")
    href = page.locator("#network svg a.node").first.get_attribute("href")
    assert href and href.startswith("/countries/")
    assert not page.js_errors, page.js_errors


def test_map_renders(server, page):
    base, _ = server
    page.goto(base + "/map")
    page.wait_for_selector("#map[data-rendered='true']", timeout=20000)
    assert page.locator("#map[data-error]").count() == 0
    # the bundled boundaries are drawn (many countries), and the meeting places on top of them
    assert page.locator("#map svg g.countries path").count() > 150
    assert page.locator("#map svg g.place").count() >= 3
    labels = " ".join(page.locator("#map svg g.place-names text").all_text_contents())
    assert "Astana" in labels or "Tashkent" in labels or "Bishkek" in labels, labels
    shot(page, "map")
    assert not page.js_errors, page.js_errors


def test_timeline_renders(server, page):
    base, _ = server
    page.goto(base + "/timeline")
    page.wait_for_selector("#timeline[data-rendered='true']", timeout=15000)
    assert page.locator("#timeline[data-error]").count() == 0
    assert page.locator("#timeline svg g.bars rect").count() >= 1
    shot(page, "timeline")
    assert not page.js_errors, page.js_errors


def test_country_and_person_pages(server, page):
    base, _ = server
    page.goto(base + "/countries/KAZ")
    assert page.locator("ol.events li.event").count() > 0
    shot(page, "country-KAZ")
    link = page.locator("ol.events .people a").first
    link.click()
    page.wait_for_url(re.compile(r"/people/"))
    assert page.locator("ol.events li.event").count() > 0
    shot(page, "person")
    assert not page.js_errors, page.js_errors


def test_hostile_article_is_text_in_the_browser(server, page):
    """Markup in an article posted through the API is shown as text: no script runs, no handler fires."""
    import httpx

    base, _ = server
    text = ("Астана, 3 марта 2025 года. <script>window.__pwned=1</script> Министр иностранных дел Казахстана "
            "Мурат Нуртлеу провёл переговоры с министром иностранных дел Кыргызстана Жээнбеком Кулубаевым "
            '<img src=x onerror="window.__pwned=2">. Стороны обсудили вопросы торговли.')
    r = httpx.post(base + "/api/documents", json={"text": text, "title": "<b onmouseover=alert(1)>t</b>"},
                   headers={"Authorization": f"Bearer {TOKEN}"}, timeout=300)  # the first write starts the extraction process
    assert r.status_code == 201, r.text
    event_id = r.json()["events"][0]
    page.goto(f"{base}/events/{event_id}")
    page.locator("button.ev-key").first.click()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("section.sources img, section.sources script, section.sources b").count() == 0
    shown = page.locator("section.sources").inner_text()
    assert "<script>window.__pwned=1</script>" in shown and 'onerror="window.__pwned=2"' in shown
    page.goto(base + "/?q=" + "Нуртлеу")
    assert page.evaluate("window.__pwned") is None
