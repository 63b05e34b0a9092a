"""The analyst's review in a real browser (the fixtures of test_browser.py, a store of its own): on event
pages, correct a participant's role and the date (with a span of the source marked as the date's
evidence), reject another event, merge two; after reloading, the changes, their history and the review
filters hold. A screenshot of each state goes to tests/artifacts/screenshots/review-*.png."""

from __future__ import annotations

import json

from kurultai.store import SearchQuery
from test_browser import TOKEN, _events_listed, browser, page, server, shot  # noqa: F401 - fixtures


def _pick(store) -> tuple[dict, dict, dict, dict]:
    """(an event to correct, one to reject, two of different sources to merge)."""
    events = store.search_dicts(SearchQuery(limit=None, sort="id"))
    alone = [e for e in events if len(e["sources"]) == 1 and e["date"]]
    fix = next(e for e in alone if len(e["participants"]) >= 2)
    rest = [e for e in alone if e["id"] != fix["id"]]
    a = rest[0]
    b = next(e for e in rest[1:] if e["sources"] != a["sources"])
    drop = next(e for e in rest if e["id"] not in (a["id"], b["id"]) and e["sources"] not in (a["sources"], b["sources"]))
    return fix, drop, a, b


def _field(pg, name: str) -> list[str]:
    return pg.locator(f"section.fields tr:has(th:text-is('{name}')) td").all_inner_texts()


def test_correct_reject_merge_and_reload(server, page, browser):  # noqa: F811
    base, store = server
    fix, drop, a, b = _pick(store)
    who = fix["participants"][0]
    new_role = "head_of_government" if who["role"] != "head_of_government" else "minister"

    # correct a participant's role and the date, with evidence marked in the source
    page.goto(f"{base}/events/{fix['id']}")
    page.fill("#rv-token", TOKEN)
    page.click("#rv-edit")
    page.wait_for_selector("#rv-form:not([hidden])")
    page.select_option("#rv-participants-0-role", new_role)
    page.fill("#rv-date-start", "2023-01-02")
    page.fill("#rv-date-end", "2023-01-02")
    page.evaluate("""() => {  // select the first words of the source as the date's evidence
        const text = document.querySelector('.source .text');
        const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
        const node = walker.nextNode();
        const r = document.createRange(); r.setStart(node, 0); r.setEnd(node, Math.min(12, node.length));
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    }""")
    page.select_option("#rv-ev-field", "date")
    page.click("#rv-mark")
    assert page.locator("#rv-ev-list li").count() == 1
    page.fill("#rv-reason", "the ministry's release")
    shot(page, "review-1-editing")
    with page.expect_navigation():
        page.click("#rv-save")
    assert new_role.replace("_", " ") in " ".join(_field(page, "participant"))  # shown in words (web/labels.py)
    assert _field(page, "date")[0].startswith("2023-01-02")
    assert page.locator("h1 .badge.review.corrected").count() == 1
    history = page.locator("#rv-history li").all_inner_texts()
    assert len(history) == 3 and all("the ministry's release" in h for h in history)  # two fields, one marked span
    assert any(h.startswith(tuple("0123456789")) and "marked evidence of date" in h for h in history)
    assert any("participants" in h and new_role.replace("_", " ") in h for h in history) and any("date" in h for h in history)
    shot(page, "review-2-corrected")
    logged = store.history(fix["id"])
    date_change = next(h for h in logged if h["field"] == "date")
    assert date_change["after"]["evidence"] == [[0, 12]]
    (mark,) = store.marks(fix["id"])  # the span is kept with the source it is in
    assert (mark["field"], mark["span"], mark["document_id"]) == ("date", [0, 12], fix["sources"][0])

    # reject another: the token is kept for the session, not typed again
    page.goto(f"{base}/events/{drop['id']}")
    assert page.locator("#rv-token").is_hidden()
    page.fill("#rv-reason", "not a meeting")
    with page.expect_navigation():
        page.click("#rv-reject")
    assert page.locator("h1 .badge.review.rejected").count() == 1
    assert "not a meeting" in page.locator("#rv-history").inner_text()
    shot(page, "review-3-rejected")

    # merge two
    page.goto(f"{base}/events/{a['id']}")
    page.fill("#rv-merge-id", str(b["id"]))
    page.fill("#rv-reason", "one visit")
    with page.expect_navigation():
        page.click("#rv-merge")
    kept = min(a["id"], b["id"])
    assert page.url.endswith(f"/events/{kept}")
    assert page.locator("article.source").count() == 2
    assert "merge" in page.locator("#rv-history").inner_text()
    shot(page, "review-4-merged")

    # a new page load: everything holds, and the filters see it
    page.goto(f"{base}/events/{fix['id']}")
    assert new_role.replace("_", " ") in " ".join(_field(page, "participant"))  # shown in words (web/labels.py)
    assert _field(page, "date")[0].startswith("2023-01-02")
    assert page.locator("#rv-history li").count() == 3
    page.goto(f"{base}/")
    listed = _events_listed(page)
    assert str(drop["id"]) not in listed and str(fix["id"]) in listed
    assert str(max(a["id"], b["id"])) not in listed  # merged into the other
    page.select_option("#f-review", "rejected")
    with page.expect_navigation():
        page.click("#apply")
    assert _events_listed(page) == [str(drop["id"])]
    page.goto(f"{base}/?review=reviewed")
    assert sorted(_events_listed(page), key=int) == sorted([str(fix["id"]), str(kept)], key=int)
    assert page.locator("li.event .badge.review.corrected").count() == 2
    shot(page, "review-5-filter-reviewed")
    page.goto(f"{base}/review")
    queue = _events_listed(page)
    assert queue and not {str(fix["id"]), str(drop["id"]), str(kept)} & set(queue)
    confidences = [float(t.rsplit(" ", 1)[1]) for t in page.locator("li.event .src").all_inner_texts() if "confidence" in t]
    assert confidences == sorted(confidences)  # lowest first
    shot(page, "review-6-queue")
    page.goto(f"{base}/?include_rejected=1")
    assert str(drop["id"]) in _events_listed(page)
    total = json.loads(page.evaluate("() => fetch('/api/events?limit=1').then(r => r.text())"))["total"]
    assert total == len(store.search_dicts(SearchQuery(limit=None)))
    assert not page.js_errors, page.js_errors

    # the edit mode on a phone
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    p = phone.new_page()
    p.goto(f"{base}/events/{fix['id']}")
    p.click("#rv-edit")
    p.wait_for_selector("#rv-form:not([hidden])")
    width = p.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 400, f"the edit mode is {width}px wide on a phone"
    shot(p, "review-7-phone")
    phone.close()
