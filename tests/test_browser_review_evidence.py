"""The review's evidence and lists in a real browser (issue 11; the fixtures of test_browser.py, a store of
its own): mark words of a source as the evidence of a corrected date, reload: the span is highlighted and
labelled on the event page and the document page; add an outcome and a figure in the edit mode (a figure
without its value is refused in the page), reload: they hold and the history names them in words; a
refused value (422) is shown in the form; a marked span is taken back; the edit mode fits a phone. A
screenshot of each state goes to tests/artifacts/screenshots/review-evidence-*.png."""

from __future__ import annotations

from kurultai.store import SearchQuery
from test_browser import TOKEN, browser, page, server, shot  # noqa: F401 - fixtures

# select the code points [a, b) of a source's text, across the pieces its highlighting cut it into
SELECT = """([doc, a, b]) => {
    const text = document.querySelector('#doc-' + doc + ' .text');
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    let pos = 0, node, start = null, end = null;
    while ((node = walker.nextNode())) {
        const n = Array.from(node.data).length;
        const at = (k) => Array.from(node.data).slice(0, k - pos).join('').length;  // code points -> UTF-16
        if (start === null && a < pos + n) start = [node, at(a)];
        if (end === null && b <= pos + n) { end = [node, at(b)]; break; }
        pos += n;
    }
    const r = document.createRange(); r.setStart(...start); r.setEnd(...end);
    const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    return r.toString();
}"""
# the words of every piece of a source's text that a key covers, in order, and the label of its first
MARKED = """(key) => {
    const pieces = Array.from(document.querySelectorAll('mark.ev.marked'))
        .filter(m => m.getAttribute('data-keys').split(' ').includes(key));
    return {text: pieces.map(m => m.textContent).join(''), label: pieces[0] && pieces[0].getAttribute('data-label'),
            shown: pieces[0] && getComputedStyle(pieces[0], '::before').content};
}"""


def _pick(store) -> dict:
    events = store.search_dicts(SearchQuery(limit=None, sort="id"))
    return next(e for e in events if len(e["sources"]) == 1 and e["date"] and e["participants"])


def _edit(pg) -> None:
    pg.click("#rv-edit")
    pg.wait_for_selector("#rv-form:not([hidden])")


def _rows(pg, name: str) -> list[str]:
    return pg.locator(f"section.fields tr:has(th:text-is('{name}')) td").all_inner_texts()


def test_marked_evidence_outcomes_and_figures_hold(server, page, browser):  # noqa: F811
    base, store = server
    ev = _pick(store)
    doc = ev["sources"][0]
    text = store.document(doc)["text"]
    a = text.index(" ", 10) + 1  # a few whole words inside the text
    b = text.index(" ", a + 12)
    quote = text[a:b]

    # 1. the words of a source marked as the evidence of a corrected date
    page.goto(f"{base}/events/{ev['id']}")
    page.fill("#rv-token", TOKEN)
    _edit(page)
    # the form speaks in words, and sends codes
    role = page.locator("#rv-participants-0-role")
    assert role.evaluate("s => s.value") == ev["participants"][0]["role"]
    assert "_" not in role.evaluate("s => s.options[s.selectedIndex].text")
    assert page.locator("#rv-status option:checked").inner_text() in ("held", "planned", "mentioned")
    chip = page.locator("#rv-countries .chip").first.inner_text()
    assert f"({ev['countries'][0]})" in chip and len(chip) > 8  # "Kazakhstan (KAZ) ×"
    hint = page.locator("#rv-participants-0-country + .rv-hint")
    assert len(hint.inner_text()) > 3 and hint.inner_text() != ev["participants"][0]["country"]  # the state by name
    page.fill("#rv-participants-0-country", "XYZ")
    assert hint.inner_text() == "not in the KB"
    page.fill("#rv-participants-0-country", ev["participants"][0]["country"] or "")
    page.fill("#rv-date-start", "2022-05-06")
    page.fill("#rv-date-end", "2022-05-06")
    assert page.evaluate(SELECT, [doc, a, b]) == quote
    page.select_option("#rv-ev-field", "date")
    page.click("#rv-mark")
    assert quote in page.locator("#rv-ev-list li").inner_text()
    page.fill("#rv-reason", "the date in the text")
    with page.expect_navigation():
        page.click("#rv-save")
    page.reload()
    (mark,) = store.marks(ev["id"])
    assert (mark["field"], mark["document_id"], mark["span"], mark["quote"]) == ("date", doc, [a, b], quote)
    key = page.locator(".ev-key[data-field=marked]").get_attribute("data-key")
    shown = page.evaluate(MARKED, key)
    assert shown["text"] == quote and shown["label"] == "date" and "date" in shown["shown"]
    assert page.locator(".ev-key[data-field=marked]").inner_text().strip() == "marked: date"
    page.click(".ev-key[data-field=marked]")
    assert page.locator("mark.ev.marked.active").count() >= 1
    assert _rows(page, "date")[0].startswith("2022-05-06")
    history = page.locator("#rv-history").inner_text()
    assert "marked evidence of date" in history and quote in history
    shot(page, "review-evidence-1-marked")
    # the document page: the same span, labelled with its event, and the extraction's spans
    page.goto(f"{base}/documents/{doc}")
    dkey = page.locator(".ev-key[data-field=marked]").get_attribute("data-key")
    shown = page.evaluate(MARKED, dkey)
    assert shown["text"] == quote and shown["label"] == f"event {ev['id']}: date"
    assert page.locator("mark.ev:not(.marked)").count() >= 1
    shot(page, "review-evidence-2-document")

    # 2. an outcome and a figure added in the page
    page.goto(f"{base}/events/{ev['id']}")
    outcomes, figures = len(_rows(page, "outcome")), len(_rows(page, "figure"))
    _edit(page)
    page.click("#rv-add-outcome")
    o = page.locator(".rv-outcome").last
    o.locator("select").select_option("memorandum")
    assert o.locator("select option:checked").inner_text() == "memorandum"
    o.locator("input[name$='.title']").fill("Memorandum on water <b>cooperation</b>")
    page.click("#rv-add-figure")
    f = page.locator(".rv-figure").last
    f.locator("select[name$='.kind']").select_option("target")
    f.locator("input[name$='.year']").fill("2030")
    page.fill("#rv-reason", "the signing ceremony")
    page.click("#rv-save")  # no value: refused in the page, nothing sent
    assert page.locator("#rv-errors").is_visible()
    assert "value" in page.locator("#rv-errors").inner_text()
    assert "rv-invalid" in f.locator("input[name$='.value']").get_attribute("class")
    shot(page, "review-evidence-3-invalid")
    f.locator("input[name$='.value']").fill("2000000000")
    assert "2 bn USD" in f.locator(".rv-figure-words").inner_text()
    with page.expect_navigation():
        page.click("#rv-save")
    page.reload()
    assert len(_rows(page, "outcome")) == outcomes + 1 and len(_rows(page, "figure")) == figures + 1
    assert "memorandum: Memorandum on water <b>cooperation</b>" in _rows(page, "outcome")  # as text, not markup
    assert page.locator("section.fields b").count() == 0
    assert any("trade turnover" in r and "2 bn USD" in r and "target, 2030" in r for r in _rows(page, "figure"))
    history = page.locator("#rv-history li").all_inner_texts()
    assert any("corrected outcomes" in h and "memorandum: Memorandum on water" in h for h in history)
    assert any("corrected figures" in h and "trade turnover 2 bn USD (target, 2030)" in h for h in history)
    assert not any("trade_turnover" in h or "joint_statement" in h for h in history)  # words, not codes
    shot(page, "review-evidence-4-outcome-figure")
    stored = store.search_dicts(SearchQuery(limit=None, review="corrected"))
    mine = next(e for e in stored if e["id"] == ev["id"])
    assert {"indicator": "trade_turnover", "value": 2e9, "unit": "USD", "kind": "target", "year": 2030} in [
        {k: x[k] for k in ("indicator", "value", "unit", "kind", "year")} for x in mine["figures"]]

    # 3. a value the server refuses is shown in the form; the figure can be removed again
    _edit(page)
    page.fill("#rv-named_format", "NOT-A-FORMAT")
    page.click("#rv-save")
    page.wait_for_selector("#rv-errors:not([hidden])")
    assert "named_format" in page.locator("#rv-errors").inner_text()
    assert "rv-invalid" in page.locator("#rv-named_format").get_attribute("class")
    page.js_errors[:] = [e for e in page.js_errors if not e.startswith("422 ")]  # the refusal asked for
    shot(page, "review-evidence-5-refused")
    page.fill("#rv-named_format", ev["named_format"] or "")

    # 4. the marked span taken back
    page.locator("#rv-ev-list li.rv-ev-stored button").click()
    with page.expect_navigation():
        page.click("#rv-save")
    assert store.marks(ev["id"]) == [] and page.locator("mark.ev.marked").count() == 0
    assert "took back evidence of date" in page.locator("#rv-history").inner_text()
    assert not page.js_errors, page.js_errors

    # 5. on a phone: the edit mode with outcomes and figures fits the screen
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    p = phone.new_page()
    p.goto(f"{base}/events/{ev['id']}")
    _edit(p)
    p.click("#rv-add-figure")
    shot(p, "review-evidence-6-phone")
    width = p.evaluate("() => document.documentElement.scrollWidth")
    wide = p.evaluate("""() => Array.from(document.querySelectorAll('#rv-form *')).filter(e => e.getBoundingClientRect().right > 392)
        .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)""")
    assert width <= 400, f"the edit mode is {width}px wide on a phone: {wide}"
    phone.close()
