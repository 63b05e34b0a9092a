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
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
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
# the order of the evidence keys on the event page: as the fields are listed
KEY_ORDER = {f: i for i, f in enumerate(("event", "mode", "format", "date", "location", "country", "organization",
                                        "visit", "participant", "topic", "outcome", "figure"))}


@dataclass
class Segment:
    text: str
    keys: tuple[str, ...] = ()


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Cut `text` at every span boundary; each piece knows the evidence keys covering it."""
    cuts = {0, len(text)}
    for a, b, _ in spans:
        if 0 <= a < b <= len(text):
            cuts.update((a, b))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        keys = tuple(sorted({k for s, e, k in spans if s <= a and b <= e}))
        out.append(Segment(text[a:b], keys))
    return out


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
    return resolved(q)


def query_string(q: SearchQuery, **extra: Any) -> str:
    pairs = {"q": q.text, "country": q.country, "person": q.person, "role": q.role, "org": q.org, "format": q.format,
             "topic": q.topic, "from": q.date_from.isoformat() if q.date_from else None,
             "to": q.date_to.isoformat() if q.date_to else None, "status": q.status, "mode": q.mode,
             "review": q.review, "include_rejected": "1" if q.include_rejected else None, **extra}
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
    """What the filter form offers: the stored countries and organisations, the lexicon's topics."""
    from kurultai.kb.lexicon import load_lexicon

    store = _store(request)
    return {"countries": store.countries(), "organizations": store.organizations(),
            "topics": sorted(load_lexicon("en").get("topics", {}) or {})}


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, f: PageFilters, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    store = _store(request)
    f.offset = (page - 1) * PAGE_SIZE
    total, rows = store.page(f)
    return render(request, "search.html", f=f, rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
                  qs=query_string(f), **_choices(request), title="Events")


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
    # each span keyed by the field it supports: an event-level span by what its words name (a state,
    # the format, a topic, the mode; labels.evidence_key), every other by its own field and item
    keyed = [(e, labels.evidence_key(e["quote"], ev) if e["field"] == "event" else (e["field"], e["item"]))
             for e in ev["evidence"]]
    keys: dict[tuple[str, str | None], str] = {}
    for _, fi in sorted(keyed, key=lambda k: (KEY_ORDER.get(k[1][0], 99), k[1][1] or "")):
        keys.setdefault(fi, f"k{len(keys)}")
    sources = []
    for doc in found[1]:
        spans = [(e["span"][0], e["span"][1], keys[fi]) for e, fi in keyed if e["document_id"] == doc.id]
        meta = next(d for d in ev["documents"] if d["id"] == doc.id)
        sources.append({**meta, "outlet_text": outlet_text(meta), "segments": segments(doc.text, spans), "spans": len(spans)})
    fields = [{"field": f, "item": item, "key": k, "label": labels.field_label(f, item, ev)} for (f, item), k in keys.items()]
    return render(request, "event.html", ev=ev, sources=sources, fields=fields, history=_store(request).history(event_id),
                  title=f"Event {event_id}")


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, f: PageFilters, by: str = "country") -> HTMLResponse:
    by = by if by in ("country", "format", "all") else "country"
    return render(request, "timeline.html", f=f, by=by, qs=query_string(f, by=by), **_choices(request),
                  title="Timeline")


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, f: PageFilters, nodes: str = "country") -> HTMLResponse:
    nodes = nodes if nodes in ("country", "person") else "country"
    return render(request, "network.html", f=f, nodes=nodes, qs=query_string(f, nodes=nodes), **_choices(request),
                  title="Network")


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, f: PageFilters) -> HTMLResponse:
    return render(request, "map.html", f=f, qs=query_string(f), places=_store(request).places(f), **_choices(request),
                  title="Map")


@router.get("/countries", response_class=HTMLResponse)
def countries_page(request: Request) -> HTMLResponse:
    return render(request, "countries.html", countries=_store(request).countries(), title="Countries")


@router.get("/countries/{iso3}", response_class=HTMLResponse)
def country_page(request: Request, iso3: Annotated[str, PathParam(pattern=r"^[A-Za-z]{3}$")],
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    store = _store(request)
    info = store.country(iso3)
    if info is None:
        raise HTTPException(404, detail=f"no events of {iso3.upper()}")
    q = SearchQuery(country=info["iso3"], limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    _, rows = store.page(q)  # from the in-memory index
    return render(request, "country.html", info=info, rows=rows, page=page,
                  pages=max(1, -(-info["events"] // PAGE_SIZE)), qs=query_string(q), title=info["name"])


@router.get("/people", response_class=HTMLResponse)
def people_page(request: Request, name: Annotated[str | None, Query(max_length=200, pattern=PRINTABLE)] = None) -> HTMLResponse:
    return render(request, "people.html", people=_store(request).people(name=name or None, limit=300), name=name or "",
                  title="People")


@router.get("/people/{name_en}", response_class=HTMLResponse)
def person_page(request: Request, name_en: Annotated[str, PathParam(min_length=1, max_length=256, pattern=PRINTABLE)]) -> HTMLResponse:
    store = _store(request)
    info = store.person(name_en)
    if info is None:
        raise HTTPException(404, detail=f"no person {name_en!r}")
    _, rows = store.page(SearchQuery(extra={"person_exact": name_en}, limit=200))
    return render(request, "person.html", info=info, rows=rows, qs=urlencode({"person": name_en}), title=name_en)


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
