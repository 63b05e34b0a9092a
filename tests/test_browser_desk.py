"""The analyst's desk, second pass, in a real browser (the fixtures of test_browser.py, a store of its own):
words instead of codes (item 11), Datasette's habits (item 12), a phone (item 13) and the interactive
API docs (item 15). Screenshots at 1366x768 and 390x844 go to tests/artifacts/screenshots/."""

from __future__ import annotations

import re

from test_browser import browser, server, shot  # noqa: F401 - fixtures

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _context(browser, size):  # noqa: F811
    if size == PHONE:
        return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
    return browser.new_context(viewport=DESKTOP)


def _watch(pg) -> list[str]:
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


def test_docs_swagger_ui_renders_from_the_app(server, browser):  # noqa: F811
    base, _ = server
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        ctx = _context(browser, size)
        pg = ctx.new_page()
        errors = _watch(pg)
        requests: list[str] = []
        pg.on("request", lambda r, seen=requests: seen.append(r.url))
        pg.goto(base + "/docs")
        pg.wait_for_selector("#swagger-ui[data-rendered='true']", timeout=20000)
        pg.wait_for_selector(".opblock-summary-path", timeout=20000)
        paths = pg.locator(".opblock-summary-path").all_inner_texts()
        assert any("/api/events" in p for p in paths), paths
        # every script on the page and every request it made is the app's own
        srcs = pg.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
        assert srcs and all(s.startswith(base + "/") for s in srcs), srcs
        assert all(u.startswith(base + "/") or u.startswith("data:") for u in requests), requests
        assert not errors, errors  # a CSP refusal would be a console error
        width = pg.evaluate("document.documentElement.scrollWidth")
        if size == PHONE:
            assert width <= 390, f"/docs is {width}px wide on a 390px screen"
        shot(pg, f"docs-{name}")
        ctx.close()


def test_words_not_codes(server, browser):  # noqa: F811
    """Item 11: the one-line summary on cards and the event page, names with the code on hover, the
    evidence keyed per field (a click on a state's key lights that state's words)."""
    base, store = server
    from kurultai.store import SearchQuery

    ev = next(e for e in store.search_dicts(SearchQuery(limit=None)) if e["named_format"] == "C5+RUS")
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        ctx = _context(browser, size)
        pg = ctx.new_page()
        errors = _watch(pg)
        pg.goto(base + "/")
        card = pg.locator(f"li.event[data-id='{ev['id']}']")
        assert "met by video in the Central Asia + Russia format" in card.locator(".summary").inner_text()
        assert card.locator(".badge.mode").inner_text() == "online"
        kaz = card.locator(".who a.country[title='KAZ']")
        assert kaz.inner_text() == "Kazakhstan"
        shot(pg, f"desk-events-{name}")
        pg.goto(f"{base}/events/{ev['id']}")
        assert "Kazakhstan's FM Murat Nurtleu" in pg.locator("#summary").inner_text()
        key = pg.locator("button.ev-key[data-field='country']", has_text="Russia").first
        key.click()
        lit = pg.locator("mark.ev.active").all_inner_texts()
        assert lit and all(any(s in t for s in ("Росс", "Russ", "Ресей", "Rossiya", "Russiýa")) for t in lit), lit
        pg.locator("button.ev-key[data-field='mode']").first.click()
        assert pg.locator("mark.ev.active").count() >= 1
        heads = pg.locator("article.source dl.source-head")
        assert heads.count() == len(ev["sources"])
        assert pg.locator("article.source h2").first.inner_text().strip()
        if size == PHONE:
            assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        shot(pg, f"desk-event-{name}")
        assert not errors, errors
        ctx.close()


def test_datasette_habits(server, browser):  # noqa: F811
    """Item 12: a facet click narrows the events and the counts follow; the sort control; downloads; the
    document and organisation pages; the matched words of a search."""
    base, store = server
    ctx = _context(browser, DESKTOP)
    pg = ctx.new_page()
    errors = _watch(pg)
    pg.goto(base + "/")
    total = int(pg.locator("#total").inner_text())
    link = pg.locator(".facet[data-facet='mode'] a", has_text="by phone")
    n = int(link.locator("xpath=following-sibling::span[@class='n']").inner_text())
    link.click()
    pg.wait_for_url(re.compile(r"mode=phone"))
    assert int(pg.locator("#total").inner_text()) == n < total
    assert pg.locator("#f-mode").input_value() == "phone"
    assert sum(int(t) for t in pg.locator(".facet[data-facet='status'] .n").all_inner_texts()) == n
    pg.select_option("#f-sort", "date")
    pg.click("#apply")
    pg.wait_for_url(re.compile(r"sort=date"))
    assert "sort=date" in pg.locator("a.download", has_text="csv").first.get_attribute("href")
    shot(pg, "desk-facets-desktop")
    pg.goto(base + "/?q=" + "Лавров")
    assert pg.locator("p.snippet mark.hit").count() >= 1
    shot(pg, "desk-search-snippets-desktop")
    ev = next(e for e in store.search_dicts(__import__("kurultai.store", fromlist=["SearchQuery"]).SearchQuery(limit=None))
              if e["organizations"])
    pg.goto(f"{base}/events/{ev['id']}")
    pg.locator("article.source h2 a").first.click()
    pg.wait_for_url(re.compile(r"/documents/\d+"))
    assert pg.locator(f"li.event[data-id='{ev['id']}']").count() == 1
    shot(pg, "desk-document-desktop")
    pg.goto(f"{base}/organizations/{ev['organizations'][0]}")
    assert pg.locator("li.event").count() >= 1
    shot(pg, "desk-organization-desktop")
    assert not errors, errors
    ctx.close()
