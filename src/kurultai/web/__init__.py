"""The dashboard: server-rendered Jinja2 pages (search, event with its evidence, timeline, network, map,
country, person, the review queue). The event page has an edit mode (static/review.js) that writes
through the review API with the analyst's token, kept in sessionStorage. Charts are drawn in the
browser by small scripts (static/*.js) over the JSON API, with d3 and the boundaries file bundled
from the npm registry at build time (static/vendor/).

Article text is untrusted: templates autoescape everything, and evidence highlighting is built from
escaped segments, never by splicing markup into text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from kurultai.api import PRINTABLE, resolved
from kurultai.dates import iso_text
from kurultai.store import SearchQuery
from kurultai.store.review import REVIEWS
from kurultai.views import event_dict, outlet_text
from kurultai.web import labels

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def shown(value: Any, most: int = 160) -> str:
    """A value of the review history as short JSON text (escaped by the template like any text)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= most else text[:most - 1] + "…"


templates.env.filters["shown"] = shown
templates.env.filters["as_written"] = iso_text
# words instead of codes (issue 13, item 11): every label from labels.py's tables or the KB
templates.env.filters.update({
    "mode_word": lambda v: labels.word(labels.MODES, v), "role_word": lambda v: labels.word(labels.ROLES, v),
    "status_word": lambda v: labels.word(labels.STATUSES, v), "topic_word": lambda v: labels.word(labels.TOPICS, v),
    "outcome_word": lambda v: labels.word(labels.OUTCOMES, v), "indicator_word": lambda v: labels.word(labels.INDICATORS, v),
    "visit_word": lambda v: labels.word(labels.VISITS, v), "country_name": labels.country,
    "org_name": labels.organization, "figure": lambda f: labels.figure(f.get("value"), f.get("unit")),
    "once": labels.people, "summary": labels.summary,
})
templates.env.globals["format_name"] = labels.format_name
router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
# the sort control of the events page: value -> words (the API's `sort` values)
SORTS = {"-date": "newest first", "date": "oldest first", "-sources": "most sources", "-id": "latest added",
         "id": "first added", "confidence": "least sure first"}
# the facets shown beside the events (store.facet_counts): facet -> (its filter's parameter, heading)
FACETS = {"country": ("country", "country"), "org": ("org", "organisation"), "named": ("format", "named format"),
          "kind": ("format", "kind"), "mode": ("mode", "mode"), "role": ("role", "who took part"),
          "topic": ("topic", "topic"), "status": ("status", "status")}
# the order of the evidence keys on the event page: as the fields are listed
KEY_ORDER = {f: i for i, f in enumerate(("event", "mode", "format", "date", "location", "country", "organization",
                                        "visit", "participant", "topic", "outcome", "figure"))}


@dataclass
class Segment:
    text: str
    keys: tuple[str, ...] = ()  # the evidence keys covering it (the extraction's and the analysts' marks)
    marked: bool = False  # an analyst marked it as the evidence of a field
    label: str = ""  # where marks start: the fields they support, shown before the words
    title: str = ""  # every field its keys support, one a line (shown on hover)


def segments(text: str, spans: list[tuple[int, int, str]], marked: list[tuple[int, int, str]] = (),
             names: dict[str, str] | None = None, short: dict[str, str] | None = None) -> list[Segment]:
    """Cut `text` at every span boundary; each piece knows the evidence keys covering it. `spans` are
    the extraction's, `marked` the analysts' (a piece they cover is `marked`, and the first piece of each
    carries its key's words as `label`: `short`'s, else `names`'); `names` gives the words of a key. Spans may overlap or nest in
    any way; one outside the text or empty is left out. The pieces are plain text, joined they are
    `text`: the template escapes them, so no article text ever becomes markup."""
    names = names or {}
    short = {**names, **(short or {})}
    valid = [(a, b, k, False) for a, b, k in spans if 0 <= a < b <= len(text)]
    valid += [(a, b, k, True) for a, b, k in marked if 0 <= a < b <= len(text)]
    cuts = {0, len(text)}
    for a, b, _, _ in valid:
        cuts.update((a, b))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        covering = [(s, k, m) for s, e, k, m in valid if s <= a and b <= e]
        keys = tuple(sorted({k for _, k, _ in covering}))
        starting = list(dict.fromkeys(k for s, k, m in sorted(covering, key=lambda c: c[1]) if m and s == a))
        out.append(Segment(text[a:b], keys, any(m for _, _, m in covering),
                           " · ".join(short.get(k, k) for k in starting), "\n".join(names.get(k, k) for k in keys)))
    return out


MARK_FIELDS = {"participants": "participant", "outcomes": "outcome", "figures": "figure", "countries": "country",
               "organizations": "organization", "topics": "topic", "named_format": "format"}


def mark_label(mark: dict[str, Any], ev: dict[str, Any]) -> str:
    """A marked span's words: the field it supports as the evidence keys name fields ("date", "participant:
    Sergey Lavrov", "figure: trade turnover 44 bn USD", "country: Kazakhstan")."""
    fld = MARK_FIELDS.get(mark["field"], mark["field"])
    return labels.field_label(fld, mark.get("item"), ev)


def evidence_keys(ev: dict[str, Any], marks: list[dict[str, Any]], prefix: str = "") -> tuple[
        dict[tuple[str, str | None], str], list[tuple[dict, tuple[str, str | None]]], dict[tuple[str, str | None], str]]:
    """The event's evidence keys: ({(field, item): key} of the extraction's spans, each span with its
    (field, item), {(field, item): key} of the analysts' marks), keys made unique by `prefix`. An
    event-level span is keyed by what its words name (a state, the format, a topic, the mode;
    labels.evidence_key), every other by its own field and item."""
    keyed = [(e, labels.evidence_key(e["quote"], ev) if e["field"] == "event" else (e["field"], e["item"]))
             for e in ev["evidence"]]
    keys: dict[tuple[str, str | None], str] = {}
    for _, fi in sorted(keyed, key=lambda k: (KEY_ORDER.get(k[1][0], 99), k[1][1] or "")):
        keys.setdefault(fi, f"{prefix}k{len(keys)}")
    mkeys: dict[tuple[str, str | None], str] = {}
    for m in marks:
        mkeys.setdefault((m["field"], m["item"]), f"{prefix}m{len(mkeys)}")
    return keys, keyed, mkeys


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _text(value: str | None, limit: int = 200) -> str | None:
    value = (value or "").strip()
    if _CONTROL.search(value):
        raise HTTPException(422, detail="control characters are not allowed in a filter")
    return value[:limit] if value else None


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, detail=f"{name}: not a date (YYYY-MM-DD)") from None


def page_filters(request: Request) -> SearchQuery:
    """The filters of a dashboard page, from its query string (lenient: empty fields are absent)."""
    p = request.query_params
    review = _text(p.get("review"), 16)
    if review not in (None, *REVIEWS):
        raise HTTPException(422, detail=f"review: one of {', '.join(REVIEWS)}")
    q = SearchQuery(review=review, include_rejected=p.get("include_rejected") in ("1", "on", "true"),
                    text=_text(p.get("q"), 500), country=_text(p.get("country"), 100),
                    person=_text(p.get("person")), role=_text(p.get("role"), 32), org=_text(p.get("org"), 200),
                    format=_text(p.get("format"), 32), topic=_text(p.get("topic"), 32),
                    date_from=_day(p.get("from"), "from"), date_to=_day(p.get("to"), "to"),
                    status=_text(p.get("status"), 16), mode=_text(p.get("mode"), 16), limit=PAGE_SIZE)
    sort = _text(p.get("sort"), 16)
    if sort is not None:
        if sort not in SORTS:
            raise HTTPException(422, detail=f"sort: one of {', '.join(SORTS)}")
        q.sort = sort
    return resolved(q)


def query_string(q: SearchQuery, **extra: Any) -> str:
    pairs = {"q": q.text, "country": q.country, "person": q.person, "role": q.role, "org": q.org, "format": q.format,
             "topic": q.topic, "from": q.date_from.isoformat() if q.date_from else None,
             "to": q.date_to.isoformat() if q.date_to else None, "status": q.status, "mode": q.mode,
             "review": q.review, "include_rejected": "1" if q.include_rejected else None,
             "sort": q.sort if q.sort != "-date" else None, **extra}
    return urlencode({k: v for k, v in pairs.items() if v not in (None, "")})


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context)


PageFilters = Annotated[SearchQuery, Depends(page_filters)]
JSON_PREFIXES = ("/api/", "/openapi.json", "/static/")  # what answers errors as JSON (or as Starlette's static files do)


def wants_html(request: Request) -> bool:
    """Whether an error on this request is shown as a page of the dashboard (every route but the API's)."""
    return not request.url.path.startswith(JSON_PREFIXES)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as a page in the site's layout (404 no such thing, 422 a filter that names nothing, 500)."""
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return templates.TemplateResponse(request, "error.html", {"status": status, "phrase": phrase, "message": message,
                                                              "title": f"{status} {phrase}"}, status_code=status)


def _store(request: Request):
    return request.app.state.kurultai.store


def _choices(request: Request) -> dict[str, Any]:
    """What the filter form offers: the stored countries, organisations and named formats, the lexicon's
    topics, the guide's modes and roles, the sort orders."""
    from kurultai import models
    from kurultai.kb.lexicon import load_lexicon

    store = _store(request)
    return {"countries": store.countries(), "organizations": store.organizations(),
            "topics": sorted(load_lexicon("en").get("topics", {}) or {}), "sorts": SORTS,
            "modes": list(models.Mode.__args__), "roles": list(models.ROLES),  # type: ignore[attr-defined]
            "formats": [(k, labels.word(labels.KINDS, k), None) for k in models.FormatKind.__args__]  # type: ignore[attr-defined]
            + [(f, labels.format_name(None, f), n) for f, n in store.named_formats()]}


def facet_links(f: SearchQuery, counts: dict[str, list[tuple[str, int]]]) -> list[dict[str, Any]]:
    """The facets as the page shows them: each value in words with its count (of the events the filters
    match) and the link that adds it to the filters (or, for the value already chosen, takes it off)."""
    active = {"country": f.country, "org": f.org, "format": f.format, "mode": f.mode, "role": f.role,
              "topic": f.topic, "status": f.status}
    out = []
    for facet, (param, heading) in FACETS.items():
        values = []
        for value, n in counts.get(facet, []):
            on = active.get(param) == value
            # a filter takes one value: with one chosen, the others are counts (the states met, say), not links
            href = "/?" + query_string(f, **{param: None}) if on else (
                None if active.get(param) else "/?" + query_string(f, **{param: value}))
            values.append({"value": value, "label": facet_word(facet, value), "n": n, "on": on, "href": href})
        if values:
            out.append({"facet": facet, "param": param, "heading": heading, "choices": values})
    return out


def facet_word(facet: str, value: str) -> str:
    if facet == "country":
        return labels.country(value)
    if facet == "org":
        return labels.organization(value, short=True)
    if facet == "named":
        return labels.format_name(None, value)
    table = {"kind": labels.KINDS, "mode": labels.MODES, "role": labels.ROLES, "topic": labels.TOPICS,
             "status": labels.STATUSES}[facet]
    return labels.word(table, value)


def with_snippets(store, q: str | None, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` with `snippets`: where the words of the full-text query `q` occur in each event's sources."""
    if not q or not rows:
        return rows
    from kurultai.web.snippets import snippets

    texts = store.texts(d for e in rows for d in e["sources"][:5])
    for e in rows:
        e["snippets"] = snippets(q, [texts[d] for d in e["sources"][:5] if d in texts])
    return rows


def downloads(*links: tuple[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "href": href} for label, href in links]


def _q(qs: str) -> str:
    return "?" + qs if qs else ""


def csv_response(name: str, header: list[str], rows) -> Response:
    """A table as CSV (UTF-8, a header row), downloaded as `name`; cells as the exports write them
    (`export.csv_cell`: text a spreadsheet would run as a formula gets a leading apostrophe)."""
    import csv
    import io

    from kurultai.export import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([csv_cell(v) for v in row] for row in rows)
    return Response(buf.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, f: PageFilters, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    store = _store(request)
    f.offset = (page - 1) * PAGE_SIZE
    total, rows = store.page(f)
    qs = query_string(f)
    facets = facet_links(f, store.facet_counts(f))
    files = downloads(*[(fmt, f"/api/export/{fmt}{_q(qs)}") for fmt in ("csv", "jsonl", "parquet", "geojson", "gexf", "plover")],
                      ("participants csv", f"/api/export/csv?{query_string(f, table='participants')}"),
                      ("json", f"/api/events?{query_string(f, limit=500)}"))
    return render(request, "search.html", f=f, rows=with_snippets(store, f.text, rows), total=total, page=page,
                  pages=max(1, -(-total // PAGE_SIZE)), qs=qs, facets=facets, downloads=files, **_choices(request),
                  title="Events")


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, f: PageFilters, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    """The review queue: unreviewed events (or the review state asked for), lowest confidence first."""
    store = _store(request)
    f.review = f.review or "unreviewed"
    f.sort, f.offset = "confidence", (page - 1) * PAGE_SIZE
    total, rows = store.page(f)
    return render(request, "review.html", f=f, rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
                  qs=query_string(f), **_choices(request), title="Review")


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> HTMLResponse:
    found = _store(request).event(event_id)
    if found is None:
        raise HTTPException(404, detail=f"no event {event_id}")
    ev = event_dict(*found)
    store = _store(request)
    marks = [m for m in store.marks(event_id) if m["document_id"] in ev["sources"]]
    keys, keyed, mkeys = evidence_keys(ev, marks)
    names = {k: labels.field_label(f, item, ev) for (f, item), k in keys.items()}
    shorts = {k: mark_label({"field": f, "item": item}, ev) for (f, item), k in mkeys.items()}
    mnames = {k: "marked: " + v for k, v in shorts.items()}
    sources = []
    for doc in found[1]:
        spans = [(e["span"][0], e["span"][1], keys[fi]) for e, fi in keyed if e["document_id"] == doc.id]
        marked = [(m["span"][0], m["span"][1], mkeys[(m["field"], m["item"])]) for m in marks if m["document_id"] == doc.id]
        meta = next(d for d in ev["documents"] if d["id"] == doc.id)
        sources.append({**meta, "outlet_text": outlet_text(meta), "spans": len(spans), "marked": len(marked),
                        "segments": segments(doc.text, spans, marked, {**names, **mnames}, shorts)})
    fields = [{"field": f, "item": item, "key": k, "label": names[k]} for (f, item), k in keys.items()]
    fields += [{"field": "marked", "item": item, "key": k, "label": mnames[k]} for (f, item), k in mkeys.items()]
    for m in marks:  # what the edit mode lists (and can take back)
        m["label"] = mark_label(m, ev)
    return render(request, "event.html", ev=ev, sources=sources, fields=fields, marks=marks,
                  history=history_rows(store.history(event_id), ev), title=f"Event {event_id}")


def history_rows(history: list[dict[str, Any]], ev: dict[str, Any]) -> list[dict[str, Any]]:
    """The review log as the event page shows it: actions, fields and values in words (web/labels.py),
    each value's stored form (codes) kept beside it for hovering."""
    out = []
    for h in history:
        row = {**h, "when": h["at"][:16].replace("T", " "), "did": labels.ACTIONS.get(h["action"], h["action"]),
               "field_words": labels.FIELD_NAMES.get(h["field"] or "", h["field"]), "before_words": None,
               "after_words": None, "before_code": shown(h["before"], 400), "after_code": shown(h["after"], 400)}
        if h["action"] in ("mark", "unmark") and isinstance(h["after"] or h["before"], dict):
            m = h["after"] or h["before"]
            row["field_words"] = mark_label(m, ev)
            row["after_words"] = f"“{m.get('quote', '')}” in source {m.get('document_id')}"
        elif h["after"] is not None:
            row["before_words"] = labels.value_words(h["field"], h["before"])
            row["after_words"] = labels.value_words(h["field"], h["after"])
        out.append(row)
    return out


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, f: PageFilters, by: str = "country") -> HTMLResponse:
    by = by if by in ("country", "format", "all") else "country"
    qs = query_string(f, by=by)
    files = downloads(("csv", f"/timeline.csv?{qs}"), ("json", f"/api/timeline?{qs}"))
    names = series_labels(_store(request).timeline(f, by=by)) if by == "format" else {}
    return render(request, "timeline.html", f=f, by=by, qs=qs, downloads=files, series_labels=names, **_choices(request),
                  title="Timeline")


def series_labels(t: dict[str, Any]) -> dict[str, str]:
    """The words of a timeline's format series: a kind ("bilateral") or a named format as the KB names it."""
    if t.get("by") != "format":
        return {}
    return {s["key"]: labels.format_name(s["key"], None) if s["key"] in labels.KINDS else labels.format_name(None, s["key"])
            for s in t["series"]}


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, f: PageFilters, nodes: str = "country") -> HTMLResponse:
    nodes = nodes if nodes in ("country", "person") else "country"
    qs = query_string(f, nodes=nodes)
    files = downloads(("edges csv", f"/network.csv?{qs}"), ("json", f"/api/graph?{qs}"), ("gexf", f"/api/export/gexf?{qs}"))
    choices = _choices(request)
    names = {c["iso3"]: c["name"] for c in choices["countries"]}  # the legend's states, by name
    return render(request, "network.html", f=f, nodes=nodes, qs=qs, downloads=files, names=names, role_words=labels.ROLES,
                  **choices, title="Network")


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, f: PageFilters) -> HTMLResponse:
    qs = query_string(f)
    files = downloads(("places csv", f"/places.csv{_q(qs)}"), ("json", f"/api/places{_q(query_string(f, limit=500))}"),
                      ("geojson", f"/api/export/geojson{_q(qs)}"))
    choices = _choices(request)
    places = _store(request).places(f)
    names = {c: labels.country(c) for c in {p["country"] for p in places if p["country"]}}  # the tooltips' states
    return render(request, "map.html", f=f, qs=qs, places=places, downloads=files, names=names, **choices, title="Map")


@router.get("/countries", response_class=HTMLResponse)
def countries_page(request: Request) -> HTMLResponse:
    files = downloads(("csv", "/countries.csv"), ("json", "/api/countries"))
    return render(request, "countries.html", countries=_store(request).countries(), downloads=files, title="Countries")


@router.get("/countries/{iso3}", response_class=HTMLResponse)
def country_page(request: Request, iso3: Annotated[str, PathParam(pattern=r"^[A-Za-z]{3}$")],
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    store = _store(request)
    info = store.country(iso3)
    if info is None:
        raise HTTPException(404, detail=f"no events of {iso3.upper()}")
    q = SearchQuery(country=info["iso3"], limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    _, rows = store.page(q)  # from the in-memory index
    files = downloads(("events csv", f"/api/export/csv?country={info['iso3']}"), ("json", f"/api/countries/{info['iso3']}"))
    return render(request, "country.html", info=info, rows=rows, page=page, downloads=files,
                  pages=max(1, -(-info["events"] // PAGE_SIZE)), qs=query_string(q), title=info["name"])


@router.get("/people", response_class=HTMLResponse)
def people_page(request: Request, name: Annotated[str | None, Query(max_length=200, pattern=PRINTABLE)] = None) -> HTMLResponse:
    qs = urlencode({"name": name}) if name else ""
    files = downloads(("csv", f"/people.csv{_q(qs)}"), ("json", f"/api/people?{urlencode({'name': name or '', 'limit': 500})}"))
    return render(request, "people.html", people=_store(request).people(name=name or None, limit=300), name=name or "",
                  downloads=files, title="People")


@router.get("/people/{name_en}", response_class=HTMLResponse)
def person_page(request: Request, name_en: Annotated[str, PathParam(min_length=1, max_length=256, pattern=PRINTABLE)]) -> HTMLResponse:
    store = _store(request)
    info = store.person(name_en)
    if info is None:
        raise HTTPException(404, detail=f"no person {name_en!r}")
    _, rows = store.page(SearchQuery(extra={"person_exact": name_en}, limit=200))
    files = downloads(("json", f"/api/people/{quote(name_en, safe='')}"))
    return render(request, "person.html", info=info, rows=rows, qs=urlencode({"person": name_en}), downloads=files,
                  title=name_en)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> HTMLResponse:
    """One stored document: where it comes from, its events, its cleaned text."""
    store = _store(request)
    doc = store.document(document_id)
    if doc is None:
        raise HTTPException(404, detail=f"no document {document_id}")
    events, spans, marked, names, shorts, fields = [], [], [], {}, {}, []
    marks = store.marks(document_id=document_id)
    for eid in doc["events"]:
        found = store.event(eid)
        if found is None:
            continue
        ev = event_dict(*found)
        events.append(event_dict(found[0]))
        # the evidence of each of its events in this text, keyed per event: "event 12: date"
        mine = [m for m in marks if m["event_id"] == eid]
        keys, keyed, mkeys = evidence_keys(ev, mine, prefix=f"e{eid}")
        here = {fi for e, fi in keyed if e["document_id"] == document_id}
        for (f, item), k in keys.items():
            if (f, item) in here:
                names[k] = f"event {eid}: {labels.field_label(f, item, ev)}"
                fields.append({"field": f, "item": item, "key": k, "label": names[k]})
        for (f, item), k in mkeys.items():
            shorts[k] = f"event {eid}: {mark_label({'field': f, 'item': item}, ev)}"
            names[k] = f"event {eid}: marked: {mark_label({'field': f, 'item': item}, ev)}"
            fields.append({"field": "marked", "item": item, "key": k, "label": names[k]})
        spans += [(e["span"][0], e["span"][1], keys[fi]) for e, fi in keyed if e["document_id"] == document_id]
        marked += [(m["span"][0], m["span"][1], mkeys[(m["field"], m["item"])]) for m in mine]
    files = downloads(("json", f"/api/documents/{document_id}"))
    source = {"segments": segments(doc["text"], spans, marked, names, shorts), "spans": len(spans), "marked": len(marked)}
    return render(request, "document.html", doc={**doc, "outlet_text": outlet_text(doc)}, rows=events, downloads=files,
                  s=source, fields=fields, title=doc["title"] or doc["key"] or f"Document {document_id}")


@router.get("/organizations", response_class=HTMLResponse)
def organizations_page(request: Request) -> HTMLResponse:
    files = downloads(("csv", "/organizations.csv"), ("json", "/api/organizations"))
    return render(request, "organizations.html", organizations=_store(request).organizations(), downloads=files,
                  title="Organisations")


@router.get("/organizations/{org_id}", response_class=HTMLResponse)
def organization_page(request: Request, org_id: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_+:-]{1,32}$")],
                      page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    """One organisation: its names, members, and its events (those it took part in)."""
    store = _store(request)
    found = next((o for o in store.organizations() if o["id"] == org_id.upper()), None)
    if found is None:
        raise HTTPException(404, detail=f"no events of {org_id}")
    q = SearchQuery(org=found["id"], limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    total, rows = store.page(q)
    qs = query_string(q)
    files = downloads(("events csv", f"/api/export/csv?{qs}"), ("json", f"/api/organizations/{found['id']}"))
    return render(request, "organization.html", org=found, abbr=labels.organization(found["id"], short=True), rows=rows,
                  total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)), qs=qs, downloads=files,
                  title=found["name"])


# -- downloads of the views that have no export of their own: CSV, with the page's filters ---------------
@router.get("/people.csv")
def people_csv(request: Request, name: Annotated[str | None, Query(max_length=200, pattern=PRINTABLE)] = None) -> Response:
    rows = _store(request).people(name=name or None, limit=100_000)
    return csv_response("people.csv", ["name_en", "name", "role", "country", "events"],
                        ([p["name_en"], p["name"], p["role"], p["country"] or "", p["events"]] for p in rows))


@router.get("/countries.csv")
def countries_csv(request: Request) -> Response:
    return csv_response("countries.csv", ["iso3", "name", "events", "last"],
                        ([c["iso3"], c["name"], c["events"], c["last"] or ""] for c in _store(request).countries()))


@router.get("/organizations.csv")
def organizations_csv(request: Request) -> Response:
    return csv_response("organizations.csv", ["id", "name", "events", "members"],
                        ([o["id"], o["name"], o["events"], " ".join(o["members"])] for o in _store(request).organizations()))


@router.get("/timeline.csv")
def timeline_csv(request: Request, f: PageFilters, by: str = "country") -> Response:
    """One row per series and period (a month, or a year for dates known only by year)."""
    by = by if by in ("country", "format", "all") else "country"
    t = _store(request).timeline(f, by=by)
    names = series_labels(t)
    rows = []
    for sr in t["series"]:
        sr = {**sr, "label": names.get(sr["key"], sr["label"])}
        rows += [[sr["key"], sr["label"], m, n] for m, n in zip(t["months"], sr["counts"], strict=True) if n]
        rows += [[sr["key"], sr["label"], y, n] for y, n in zip(t["years"], sr["year_counts"], strict=True) if n]
    return csv_response(f"timeline-{by}.csv", ["series", "label", "period", "events"], rows)


@router.get("/places.csv")
def places_csv(request: Request, f: PageFilters) -> Response:
    return csv_response("places.csv", ["name", "country", "lat", "lon", "events", "first", "last"],
                        ([p["name"], p["country"] or "", p["lat"], p["lon"], p["events"], p["first"] or "", p["last"] or ""]
                         for p in _store(request).places(f)))


@router.get("/network.csv")
def network_csv(request: Request, f: PageFilters, nodes: str = "country") -> Response:
    """The edges of the network: two nodes and the events they share."""
    nodes = nodes if nodes in ("country", "person") else "country"
    g = _store(request).graph(f, nodes=nodes, limit=2000)
    return csv_response(f"network-{nodes}.csv", ["source", "target", "weight"],
                        ([e["source"], e["target"], e["weight"]] for e in g["edges"]))


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """The API's interactive docs: Swagger UI from the package's own files (static/vendor/swagger-ui/, bundled
    from npm by web/build.mjs) on /openapi.json; FastAPI's default /docs, which loads it from a CDN, is off."""
    return render(request, "docs.html", spec_url=request.app.openapi_url or "/openapi.json", title="API docs")


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    """The API's endpoints and parameters, from its OpenAPI schema (the interactive docs are at /docs)."""
    spec = request.app.openapi()
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description") or p.get("schema", {}).get("description", "")}
                      for p in op.get("parameters", [])]
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""), "params": params})
    return render(request, "api.html", ops=ops, title="API")
