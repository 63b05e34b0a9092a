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


def _pages(store) -> list[str]:
    from kurultai.store import SearchQuery

    events = store.search_dicts(SearchQuery(limit=None))
    ev = max(events, key=lambda e: len(e["sources"]))
    org = next(e for e in events if e["organizations"])["organizations"][0]
    return ["/", f"/events/{ev['id']}", "/people", "/countries", "/countries/KAZ", "/timeline", "/network",
            "/network?nodes=person", "/map", f"/documents/{ev['sources'][0]}", f"/organizations/{org}", "/organizations",
            "/docs", "/review", "/api", "/people/" + ev["participants"][0]["name_en"] if ev["participants"] else "/people"]


def test_no_page_is_wider_than_a_phone(server, browser):  # noqa: F811
    """Item 13: every page fits a 390 px screen (it scrolls vertically only); screenshots of each at
    390x844 and 1366x768."""
    base, store = server
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        ctx = _context(browser, size)
        pg = ctx.new_page()
        errors = _watch(pg)
        too_wide = {}
        for url in _pages(store):
            pg.goto(base + url)
            for chart in ("#network", "#map", "#timeline", "#swagger-ui"):
                if pg.locator(chart).count():
                    pg.wait_for_selector(f"{chart}[data-rendered='true']", timeout=20000)
            width = pg.evaluate("document.documentElement.scrollWidth")
            if size == PHONE and width > 390:
                too_wide[url] = width
            slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "events"
            shot(pg, f"desk-{slug}-{name}")
        assert not too_wide, f"wider than a 390 px phone: {too_wide}"
        assert not errors, errors
        ctx.close()


OVERLAPS = """els => {
  const r = els.map(e => e.getBoundingClientRect()).filter(b => b.width > 0 && b.height > 0);
  const out = [];
  for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
    const a = r[i], b = r[j];
    // a pixel of slack: glyph boxes of neighbouring labels may touch
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      out.push([els[i].textContent, els[j].textContent]);
  }
  return out;
}"""


def test_phone_map_network_and_filters(server, browser):  # noqa: F811
    """Item 13: the map opens on Central Asia with labels that do not collide; the network draws its edges
    under its nodes, labels that do not overlap and a legend; the filter form folds away on a phone."""
    base, _ = server
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        ctx = _context(browser, size)
        pg = ctx.new_page()
        errors = _watch(pg)
        pg.goto(base + "/map")
        pg.wait_for_selector("#map[data-rendered='true']", timeout=20000)
        box = pg.locator("#map svg").bounding_box()
        inside = {}
        for g in pg.locator("#map svg g.place").all():
            b = g.locator("circle").bounding_box()
            cx, cy = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
            inside[g.get_attribute("data-name")] = box["x"] <= cx <= box["x"] + box["width"] and box["y"] <= cy <= box["y"] + box["height"]
        assert inside.get("Astana") and inside.get("Tashkent") and inside.get("Dushanbe"), inside  # Central Asia in view
        assert inside.get("Tokyo") is False, inside  # far places wait for "All places"
        texts = pg.locator("#map svg g.place-names text, #map svg g.country-names text")
        assert texts.count() >= 3
        assert texts.evaluate_all(OVERLAPS) == []
        assert "KAZAKHSTAN" in pg.locator("#map svg g.country-names").text_content()
        assert "Astana (Kazakhstan)" in pg.locator("#map svg g.place[data-name='Astana'] > title").text_content()
        pg.click("button[aria-label='All places']")
        pg.wait_for_timeout(400)
        b = pg.locator("#map svg g.place[data-name='Tokyo'] circle").bounding_box()
        assert box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"]
        pg.click("button[aria-label='Central Asia']")
        # the filter form: folded on a phone, open on a laptop; it opens with a tap
        details = pg.locator("details.filter-box")
        assert details.evaluate("d => d.open") is (size == DESKTOP)
        if size == PHONE:
            assert not pg.locator("#f-country").is_visible()
            pg.locator("details.filter-box > summary").click()
            assert pg.locator("#f-country").is_visible()
        shot(pg, f"desk-map-{name}")
        for nodes in ("country", "person"):
            pg.goto(f"{base}/network?nodes={nodes}")
            pg.wait_for_selector("#network[data-rendered='true']", timeout=20000)
            order = pg.evaluate("""() => [...document.querySelectorAll('#network svg g.view > g')].map(g => g.getAttribute('class'))""")
            assert order.index("edges") < order.index("nodes"), order  # edges under the nodes
            labels = pg.locator("#network svg text.label")
            assert labels.count() >= 3
            assert labels.evaluate_all(OVERLAPS) == []
            circles = pg.locator("#network svg circle").evaluate_all(
                "cs => cs.map(c => getComputedStyle(c).fillOpacity)")
            assert set(circles) == {"1"}  # opaque: no edge shows through a node
            legend = pg.locator("#network .legend .legend-item")
            assert legend.count() >= 2
            if nodes == "country":
                assert "Central Asian state" in pg.locator("#network .legend").inner_text()
            else:
                assert "Kazakhstan" in pg.locator("#network .legend").inner_text()
                tips = pg.locator("#network svg a.node > title").all_text_contents()
                assert any("foreign minister" in t for t in tips) and not any("_" in t for t in tips), tips
            svg = pg.locator("#network svg").bounding_box()
            for t in labels.all():
                b = t.bounding_box()
                assert svg["x"] - 1 <= b["x"] and b["x"] + b["width"] <= svg["x"] + svg["width"] + 1, t.text_content()
            shot(pg, f"desk-network-{nodes}-{name}")
        pg.goto(base + "/people")
        assert pg.evaluate("document.documentElement.scrollWidth") <= (390 if size == PHONE else 1366)
        shot(pg, f"desk-people-{name}")
        assert not errors, errors
        ctx.close()
