"""The REST API under /api: read-only for everyone, write endpoints only with the configured bearer token.

`create_app(db_url, token)` builds ONE FastAPI application serving the API, the dashboard pages
(`kurultai.web`) and their static files; `kurultai serve` runs it with uvicorn. The token comes from
configuration (`KURULTAI_API_TOKEN`, or `serve --token-file`: one token, or several named ones, one
`NAME TOKEN` a line; the name is who the review log says made a change); with none configured the
write endpoints answer 403. Every filter is a typed, validated query parameter (bad values are a 422 that
names the parameter) and reaches SQL as a bound parameter.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import gc
import json
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, model_validator

from kurultai import ingest, models
from kurultai.api.cache import ResponseCache
from kurultai.api.etag import ETags
from kurultai.api.guard import RequestGuard, challenge, max_body_from_env, token_name, token_refusal
from kurultai.models import Document, Extraction
from kurultai.store import DEFAULT_URL, SearchQuery, Store
from kurultai.views import event_dict

# every answer: scripts, styles, data only from this server; no framing, no sniffing, no referrer
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
MAX_LIMIT = 500
MAX_TEXT_CHARS = 2_000_000
READ_THREADS = 8

# text parameters: no control characters (a NUL cannot reach SQL; FTS5 and PostgreSQL refuse it)
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
Status = Literal["held", "planned", "referenced"]
Mode = Literal["in_person", "video", "phone"]
Sort = Literal["date", "-date", "id", "-id", "sources", "-sources", "confidence"]
Review = Literal["unreviewed", "confirmed", "corrected", "rejected", "reviewed"]


Country = Annotated[str | None, Query(max_length=100, pattern=PRINTABLE,
                                      description="A state: ISO 3166-1 alpha-3 (KAZ) or its name in any language (Kazakhstan, Қазақстан)")]


def resolved(q: SearchQuery) -> SearchQuery:
    """`q` with its values as the store holds them (`kurultai.filters.resolve`); a value that names
    nothing is a 422 saying what is wrong and the valid ids."""
    from kurultai.filters import FilterError, resolve

    try:
        return resolve(q)
    except FilterError as exc:
        raise HTTPException(422, detail=str(exc)) from None


async def filters(
    q: Annotated[str | None, Query(max_length=500, pattern=PRINTABLE, description="Full-text query over articles and event summaries")] = None,
    country: Country = None,
    person: Annotated[str | None, Query(max_length=200, pattern=PRINTABLE, description="Part of a participant's name, any case and script, or of a KB name of theirs")] = None,
    role: Annotated[str | None, Query(max_length=32, pattern=PRINTABLE, description="Someone of this role took part: " + ", ".join(get_args(models.Role)))] = None,
    org: Annotated[str | None, Query(max_length=200, pattern=PRINTABLE, description="Organisation: id (CSTO), name or abbreviation")] = None,
    format: Annotated[str | None, Query(max_length=32, pattern=PRINTABLE, description="Format or named format, e.g. C5+RUS, CSTO:CFM, bilateral")] = None,
    topic: Annotated[str | None, Query(max_length=32, pattern=PRINTABLE, description="One of " + ", ".join(get_args(models.Topic)))] = None,
    date_from: Annotated[dt.date | None, Query(alias="from", description="First day, YYYY-MM-DD")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to", description="Last day, YYYY-MM-DD")] = None,
    status: Status | None = None,
    mode: Mode | None = None,
    review: Annotated[Review | None, Query(description="Review state; reviewed: any but unreviewed")] = None,
    include_rejected: Annotated[bool, Query(description="Count rejected events too (else only review=rejected shows them)")] = False,
) -> SearchQuery:
    return resolved(SearchQuery(text=q or None, country=country or None, person=person or None, role=role or None,
                                org=org or None, format=format or None, topic=topic or None, date_from=date_from,
                                date_to=date_to, status=status, mode=mode, review=review,
                                include_rejected=include_rejected, limit=None))


Filters = Annotated[SearchQuery, Depends(filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


class DocumentIn(BaseModel):
    """A document to ingest: its text, or a URL to fetch."""

    text: str | None = Field(None, min_length=1, max_length=MAX_TEXT_CHARS)
    url: str | None = Field(None, pattern=r"^https?://[^\s\x00-\x1f\x7f]+$", max_length=2000)
    title: str | None = Field(None, max_length=1000)
    published: dt.date | None = None
    source: str | None = Field(None, max_length=2000, description="Where the text comes from (outlet, URL)")

    @model_validator(mode="after")
    def one_of(self) -> DocumentIn:
        if bool(self.text) == bool(self.url):
            raise ValueError("give exactly one of 'text' and 'url'")
        return self


class Json(JSONResponse):
    """JSON straight from plain dicts and lists with `json.dumps`. The large read endpoints return it so
    FastAPI skips its generic encoder (about 10 ms for a page of 50 events); their declared response
    models still document the shape."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class IngestOut(BaseModel):
    document_id: int
    status: str
    duplicate_of: int | None
    events_created: int
    events_merged: int
    events: list[int]


bearer = HTTPBearer(auto_error=False)


class App:
    """What the routes share: the store, the token, and the way a posted document is written: read and
    stored in a thread of its own (one at a time, never queued behind the readers' requests in the
    thread pool of the sync endpoints), extracted in a process of its own (started on the first write,
    the models loaded there once), whose CPU time is not a share of the GIL the read threads hold."""

    def __init__(self, store: Store, token: str | None, fetcher_factory=None):
        self.store = store
        self.token = token
        self.fetcher_factory = fetcher_factory or _default_fetcher
        self._writer: ThreadPoolExecutor | None = None
        self._extractor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def writer(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._writer is None:
                self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kurultai-write")
            return self._writer

    def extract(self, doc: Document) -> Extraction:
        with self._lock:
            if self._extractor is None:
                self._extractor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                      initializer=_start_extractor, initargs=(os.getpid(),))
            extractor = self._extractor
        try:
            return extractor.submit(ingest._extract, doc).result()
        except BrokenProcessPool:  # the process died (killed, out of memory): the next write starts another
            with self._lock:
                self._extractor = None
            raise HTTPException(503, detail="the extraction process stopped; try again") from None

    def close(self) -> None:
        """End the writer's thread and process (the next write, if any, starts them again)."""
        with self._lock:
            writer, extractor, self._writer, self._extractor = self._writer, self._extractor, None, None
        if writer is not None:
            writer.shutdown(wait=True)
        if extractor is not None:
            extractor.shutdown(wait=True, cancel_futures=True)


def _start_extractor(server: int) -> None:
    """In the extraction process: load the models, and end when the server's process is gone, even
    killed (then no shutdown reaches this process)."""
    ingest._init_worker()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="kurultai-watch-server").start()


@asynccontextmanager
async def lifespan(_app: FastAPI):
    """Load the knowledge base before the first request, then move everything loaded so far into the
    collector's permanent generation: full collections, which large aggregates (graph, timeline) trigger,
    then walk only what requests allocate (measured: the 100k-event graph went from 95-175 ms to ~85 ms)."""
    from kurultai.kb import load_kb

    load_kb()
    gc.collect()
    gc.freeze()
    # the sync endpoints' threads: reads are CPU-bound under one GIL, so a few threads answer as many
    # requests as anyio's default 40 while sharing the interpreter with far fewer (the writer among them)
    anyio.to_thread.current_default_thread_limiter().total_tokens = READ_THREADS
    yield
    _app.state.kurultai.close()


def _default_fetcher():
    from kurultai.sources.url import Fetcher

    return Fetcher(timeout=15, retries=1)


async def state(request: Request) -> App:
    return request.app.state.kurultai


State = Annotated[App, Depends(state)]


async def require_token(app: State, request: Request,
                        _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """The write token, checked again here (`RequestGuard` checked it before the body was read); `_bearer`
    declares the scheme in the OpenAPI schema."""
    problem = token_refusal(app.token, request.headers.get("authorization"))
    if problem:
        raise HTTPException(problem[0], detail=problem[1], headers=challenge(problem[0]))


def page(store: Store, q: SearchQuery, limit: int, offset: int, sort: str) -> dict[str, Any]:
    q.limit, q.offset, q.sort = limit, offset, sort
    total, items = store.page(q)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


router = APIRouter(prefix="/api")


@router.get("/events", response_model=Page, summary="Events, filtered, sorted and paged")
def events(app: State, f: Filters, limit: Limit = 50, offset: Offset = 0, sort: Sort = "-date") -> Response:
    return Json(page(app.store, f, limit, offset, sort))


@router.get("/events/{event_id}", summary="One event with its sources, evidence (quoted), the spans analysts marked "
            "as evidence and conflicting values")
def event(app: State, event_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> dict[str, Any]:
    return _event_or_404(app, event_id)


@router.get("/documents/{document_id}", summary="One stored document with its cleaned text")
def document(app: State, document_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> dict[str, Any]:
    doc = app.store.document(document_id)
    if doc is None:
        raise HTTPException(404, detail=f"no document {document_id}")
    return doc


def listed(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """A page of a whole list, in the shape of every list endpoint."""
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset:offset + limit]}


@router.get("/people", response_model=Page, summary="People who took part in events, most active first")
def people(app: State, name: Annotated[str | None, Query(max_length=200, pattern=PRINTABLE)] = None, country: Country = None,
           limit: Limit = 100, offset: Offset = 0) -> Response:
    iso3 = resolved(SearchQuery(country=country)).country if country else None
    total, items = app.store.people_page(name=name, country=iso3, limit=limit, offset=offset)
    return Json({"total": total, "limit": limit, "offset": offset, "items": items})


@router.get("/people/{name_en}", summary="One person: names, roles, whom they met, their events")
def person(app: State, name_en: Annotated[str, PathParam(min_length=1, max_length=256, pattern=PRINTABLE)], limit: Limit = 50,
           offset: Offset = 0) -> dict[str, Any]:
    info = app.store.person(name_en)
    if info is None:
        raise HTTPException(404, detail=f"no person {name_en!r}")
    info["events"] = page(app.store, SearchQuery(extra={"person_exact": name_en}), limit, offset, "-date")
    return info


@router.get("/countries", response_model=Page, summary="States that took part in events, most events first")
def countries(app: State, limit: Limit = MAX_LIMIT, offset: Offset = 0) -> Response:
    return Json(listed(app.store.countries(), limit, offset))


@router.get("/countries/{iso3}", summary="One state: partners, topics, people, events")
def country(app: State, iso3: Annotated[str, PathParam(pattern=r"^[A-Za-z]{3}$")], limit: Limit = 50,
            offset: Offset = 0) -> dict[str, Any]:
    info = app.store.country(iso3)
    if info is None:
        raise HTTPException(404, detail=f"no events of {iso3.upper()}")
    info["events"] = page(app.store, SearchQuery(country=iso3.upper()), limit, offset, "-date")
    return info


@router.get("/organizations", response_model=Page, summary="Organisations that took part in events, most events first")
def organizations(app: State, limit: Limit = MAX_LIMIT, offset: Offset = 0) -> Response:
    return Json(listed(app.store.organizations(), limit, offset))


@router.get("/organizations/{org_id}", summary="One organisation with its events")
def organization(app: State, org_id: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_+:-]{1,32}$")], limit: Limit = 50,
                 offset: Offset = 0) -> dict[str, Any]:
    found = [o for o in app.store.organizations() if o["id"] == org_id.upper()]
    if not found:
        raise HTTPException(404, detail=f"no events of {org_id}")
    return {**found[0], "events": page(app.store, SearchQuery(org=org_id.upper()), limit, offset, "-date")}


@router.get("/graph", summary="Who meets whom: states or people, edges weighted by shared events")
def graph(app: State, f: Filters, nodes: Literal["country", "person"] = "country",
          min_weight: Annotated[int, Query(ge=1, le=100_000)] = 1,
          limit: Annotated[int, Query(ge=1, le=2000)] = 300) -> Response:
    return Json(app.store.graph(f, nodes=nodes, min_weight=min_weight, limit=limit))


@router.get("/timeline", summary="Events per month, by country, by format or in total")
def timeline(app: State, f: Filters, by: Literal["country", "format", "all"] = "country") -> Response:
    return Json(app.store.timeline(f, by=by))


@router.get("/places", response_model=Page, summary="Meeting places with coordinates and event counts, most events first")
def places(app: State, f: Filters, limit: Limit = MAX_LIMIT, offset: Offset = 0) -> Response:
    return Json(listed(app.store.places(f), limit, offset))


@router.get("/kb", summary="The knowledge base's choices for review edits: states, organisations, formats, people, places, ids")
def kb_choices() -> Response:
    return Json(_kb_choices())


@functools.cache
def _kb_choices() -> dict[str, Any]:
    """What an edit may pick (the KB is read once per process)."""
    from typing import get_args

    from kurultai import models
    from kurultai.kb import load_kb

    kb = load_kb()
    bodies = [f"{o.id}:{b}" for o in kb.organizations.values() for b in o.bodies if b in kb.formats.bodies]
    return {
        "countries": sorted(({"id": c.iso3, "name": c.name("en")} for c in kb.countries.values()), key=lambda c: c["name"]),
        "organizations": sorted(({"id": o.id, "name": (o.names.get("en") or [o.id])[0]} for o in kb.organizations.values()),
                                key=lambda o: o["id"]),
        "formats": sorted(set(kb.formats.fixed) | set(bodies)),
        "people": sorted(({"name_en": p.name_en, "roles": sorted(p.roles()), "country": next(
            (t.country for t in p.terms if t.country), None)} for p in kb.persons.values()), key=lambda p: p["name_en"]),
        "places": sorted(({"name": p.name_en, "country": p.country, "lat": p.lat, "lon": p.lon} for p in kb.places),
                         key=lambda p: (p["name"], p["country"])),
        **{name: list(get_args(getattr(models, kind))) for name, kind in (
            ("statuses", "Status"), ("modes", "Mode"), ("kinds", "FormatKind"), ("precisions", "Precision"),
            ("roles", "Role"), ("visit_types", "VisitType"), ("topics", "Topic"), ("outcome_types", "OutcomeType"),
            ("indicators", "Indicator"), ("figure_kinds", "FigureKind"))},
        "words": _kb_words(bodies),
    }


def _kb_words(bodies: list[str]) -> dict[str, dict[str, str]]:
    """The words an edit form shows for the codes it sends (web/labels.py, the dashboard's): {list: {code: words}}."""
    from kurultai.kb import load_kb
    from kurultai.web import labels

    kb = load_kb()
    return {"statuses": labels.STATUSES, "modes": labels.MODES, "kinds": labels.KINDS, "precisions": labels.PRECISIONS,
            "roles": labels.ROLES, "visit_types": labels.VISITS, "topics": labels.TOPICS, "outcome_types": labels.OUTCOMES,
            "indicators": labels.INDICATORS, "figure_kinds": labels.FIGURE_KINDS,
            "formats": {f: labels.format_name(None, f) for f in sorted(set(kb.formats.fixed) | set(bodies))}}


@router.get("/stats", summary="Counts of documents, events, evidence and errors")
def stats(app: State) -> dict[str, Any]:
    return app.store.stats()


@router.get("/errors", response_model=Page, summary="Sources that could not be stored, one per source, the latest first")
def errors(app: State, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    total, items = app.store.errors(limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/export/{fmt}", summary="The filtered events as csv, jsonl, parquet, geojson, gexf or plover",
            response_class=Response)
def export(app: State, f: Filters, fmt: Literal["csv", "jsonl", "parquet", "geojson", "gexf", "plover"],
           table: Literal["events", "participants"] = "events",
           nodes: Literal["country", "person"] = "country") -> Response:
    from kurultai import export as exporter

    data, media_type, filename = exporter.export_bytes(app.store, fmt, f, table=table, nodes=nodes)
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post("/documents", status_code=201, response_model=IngestOut, dependencies=[Depends(require_token)],
             summary="Ingest one document (text or URL); needs the bearer token",
             responses={401: {"description": "missing or wrong token"}, 403: {"description": "writes are off"}})
async def add_document(app: State, body: DocumentIn) -> dict[str, Any]:
    return await asyncio.get_running_loop().run_in_executor(app.writer(), ingest_document, app, body)


# -- review (issue: the analyst's review) ----------------------------------------------------------
class Reason(BaseModel):
    # no NUL: PostgreSQL's text refuses it (any other character, line breaks too, is kept)
    reason: str = Field("", max_length=2000, pattern=r"^[^\x00]*$", description="Why (kept in the event's history)")


class MarkIn(BaseModel):
    field: str = Field(..., max_length=32, description="The field of the guide the span supports (date, participants, ...)")
    item: str | None = Field(None, max_length=512, pattern=PRINTABLE, description="Of a list field, which value: a participant's English "
                             "name, an outcome's title, a state's code")
    document_id: Annotated[int, Field(ge=1, le=2**62, description="The source the offsets point into")]
    span: list[Annotated[int, Field(ge=0, le=2**31)]] = Field(..., min_length=2, max_length=2,
                                                             description="[start, end) in code points of its text")


class CorrectionIn(Reason):
    changes: dict[str, Any] = Field(default_factory=dict, description="Fields of the guide and their new values, e.g. "
                                    '{"status": "planned", "date": {"start": "2026-04-15", "end": "2026-04-15"}}')
    evidence: list[MarkIn] = Field(default_factory=list, max_length=200,
                                   description="Spans of the event's sources marked as the evidence of a field")
    unmark: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(default_factory=list, max_length=200,
                                                                description="Ids of marked spans to take back")


class ReviewIn(Reason):
    decision: Literal["confirm", "reject"]


class MergeIn(Reason):
    ids: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(..., min_length=2, max_length=100)


class SplitIn(Reason):
    documents: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(..., min_length=1, max_length=1000,
                                                                    description="The sources to take out")


EventId = Annotated[int, PathParam(ge=1, le=2**62)]
WRITE_RESPONSES = {401: {"description": "missing or wrong token"}, 403: {"description": "writes are off"},
                   404: {"description": "no such event"}, 422: {"description": "names the field and the allowed values"}}


def actor(app: App, request: Request) -> str:
    return token_name(app.token, request.headers.get("authorization")) or "api"


async def _review_write(app: App, fn, *args) -> Any:
    """A review write, in the writer thread; a refused edit is a 422 naming the field."""
    from kurultai.store.review import ReviewError

    try:
        return await asyncio.get_running_loop().run_in_executor(app.writer(), fn, *args)
    except ReviewError as exc:
        raise HTTPException(422, detail={"field": exc.field, "message": exc.message}) from None


def _event_or_404(app: App, event_id: int) -> dict[str, Any]:
    found = app.store.event(event_id)
    if found is None:
        raise HTTPException(404, detail=f"no event {event_id}")
    return {**event_dict(*found), "marked_evidence": app.store.marks(event_id)}


@router.patch("/events/{event_id}", dependencies=[Depends(require_token)], responses=WRITE_RESPONSES,
              summary="Correct fields of an event (each kept over any later extraction); needs the token")
async def correct_event(app: State, request: Request, event_id: EventId, body: CorrectionIn) -> dict[str, Any]:
    marks = [m.model_dump() for m in body.evidence]
    if not await _review_write(app, app.store.correct, event_id, body.changes, actor(app, request), body.reason,
                               marks, body.unmark):
        raise HTTPException(404, detail=f"no event {event_id}")
    return _event_or_404(app, event_id)


@router.post("/events/{event_id}/review", dependencies=[Depends(require_token)], responses=WRITE_RESPONSES,
             summary="Confirm or reject an event; needs the token")
async def review_event(app: State, request: Request, event_id: EventId, body: ReviewIn) -> dict[str, Any]:
    if not await _review_write(app, app.store.review, event_id, body.decision, actor(app, request), body.reason):
        raise HTTPException(404, detail=f"no event {event_id}")
    return _event_or_404(app, event_id)


@router.post("/events/merge", dependencies=[Depends(require_token)], responses=WRITE_RESPONSES,
             summary="Make several events one (the lowest id stays); needs the token")
async def merge_events(app: State, request: Request, body: MergeIn) -> dict[str, Any]:
    kept = await _review_write(app, app.store.merge_events, body.ids, actor(app, request), body.reason)
    if kept is None:
        raise HTTPException(404, detail="no such event among " + ", ".join(map(str, body.ids)))
    return _event_or_404(app, kept)


@router.post("/events/{event_id}/split", dependencies=[Depends(require_token)], responses=WRITE_RESPONSES,
             summary="Take sources out of an event into an event of their own; needs the token")
async def split_event(app: State, request: Request, event_id: EventId, body: SplitIn) -> dict[str, Any]:
    moved = await _review_write(app, app.store.split_event, event_id, body.documents, actor(app, request), body.reason)
    if moved is None:
        raise HTTPException(404, detail=f"no event {event_id}")
    return {"event": _event_or_404(app, event_id), "moved_to": moved}


@router.get("/events/{event_id}/history", response_model=Page, summary="Every review decision on an event, oldest first")
def event_history(app: State, event_id: EventId, limit: Limit = MAX_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    history = app.store.history(event_id)
    if not history and app.store.event(event_id) is None:
        raise HTTPException(404, detail=f"no event {event_id}")
    return listed(history, limit, offset)


def ingest_document(app: App, body: DocumentIn) -> dict[str, Any]:
    """Read, extract and store one posted document (in the writer thread)."""
    from kurultai.clean import InputError
    from kurultai.sources import open_source, read_txt

    try:
        if body.text:
            doc = read_txt(body.text.encode("utf-8"), body.title or "api", body.source, body.published)
            if body.title and not doc.title:
                doc.title = body.title
        else:
            fetcher = app.fetcher_factory()
            try:
                items = list(open_source(body.url, published=body.published, fetcher=fetcher))
            finally:
                fetcher.close()
            errors = [i for i in items if isinstance(i, InputError)]
            docs = [i for i in items if isinstance(i, Document)]
            if len(docs) != 1:
                reason = str(errors[0]) if errors and not docs else (
                    f"{body.url}: gives {len(docs)} articles (a feed?); ingest feeds with `kurultai ingest`")
                raise InputError(reason)
            doc = docs[0]
    except InputError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - a fetch or decode failure on odd input is the client's 4xx
        raise HTTPException(422, detail=f"cannot read this document: {type(exc).__name__}: {exc}"[:300]) from None
    res = app.store.add(app.extract(doc))
    if res.status == "failed":  # undone, nothing stored: what the database refused is said
        raise HTTPException(422, detail=f"cannot store this document: {res.error}")
    return {"document_id": res.document_id, "status": res.status, "duplicate_of": res.duplicate_of,
            "events_created": res.events_created, "events_merged": res.events_merged,
            "events": app.store.events_of_document(res.document_id)}


def create_app(db_url: str | None = None, token: str | None = None, store: Store | None = None,
               fetcher_factory=None, max_body: int | None = None) -> FastAPI:
    """The API + dashboard on one store. `token=None` reads KURULTAI_API_TOKEN; "" turns writes off.
    `max_body=None` reads KURULTAI_MAX_BODY (see `kurultai.api.guard`)."""
    from fastapi.exception_handlers import http_exception_handler
    from fastapi.exceptions import RequestValidationError
    from fastapi.staticfiles import StaticFiles
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from kurultai import web

    if token is None:
        token = os.environ.get("KURULTAI_API_TOKEN") or None
    st = store or Store(db_url or os.environ.get("KURULTAI_DB") or DEFAULT_URL)
    app = FastAPI(title="Kurultai", version="0.1.0", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Diplomatic events of Central Asia, each field with the words that support it.")
    app.state.kurultai = App(st, token or None, fetcher_factory)
    app.add_middleware(ResponseCache, version=st.version)  # the innermost layer: every guard runs before it
    app.include_router(router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=Path(web.__file__).parent / "static"), name="static")

    app.add_middleware(RequestGuard, token=lambda: app.state.kurultai.token, max_body=max_body or max_body_from_env())
    app.add_middleware(ETags)  # outside the cache and the guard: a cached answer is tagged, a refusal is not
    # outside the tags (one weak tag for both encodings); level 1: it runs on every answer, cached ones too (a page of
    # 500 events: 1.7 ms at level 1, 7.4 ms at 9, for about the same size)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=1)

    @app.middleware("http")  # added after the guard, so around it: its refusals get the headers too
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body"))
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else first.get("msg", "invalid request")
        if web.wants_html(request):
            return web.error_page(request, 422, message)
        return JSONResponse(status_code=422, content={"detail": message, "errors": [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]})

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, exc: StarletteHTTPException) -> Response:
        """The dashboard's errors as its pages; the API's as JSON `{"detail": ...}`."""
        if web.wants_html(request) and exc.status_code >= 400:
            message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=False)
            if exc.status_code == 404 and message == "Not Found":
                message = f"nothing at {request.url.path}"
            response = web.error_page(request, exc.status_code, message)
            for name, value in (exc.headers or {}).items():
                response.headers[name] = value
            return response
        return await http_exception_handler(request, exc)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> Response:
        """An unexpected failure (logged by the server): a page in the site's layout or a JSON 500, with
        the security headers (this answer is made outside the middlewares that add them)."""
        if web.wants_html(request):
            response: Response = web.error_page(request, 500, "Something went wrong on the server; it has been logged.")
        else:
            response = JSONResponse(status_code=500, content={"detail": "internal server error"})
        response.headers.update(SECURITY_HEADERS)
        return response

    return app
