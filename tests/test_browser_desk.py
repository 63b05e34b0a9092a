"""The analyst's desk, second pass, in a real browser (the fixtures of test_browser.py, a store of its own):
words instead of codes (item 11), Datasette's habits (item 12), a phone (item 13) and the interactive
API docs (item 15). Screenshots at 1366x768 and 390x844 go to tests/artifacts/screenshots/."""

from __future__ import annotations

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
