"""The analysts' review of stored events: correct fields, confirm or reject an event, merge two events,
split sources off one — every decision logged (who, when, before, after, why) and kept through
re-ingest, re-extraction and `remerge`:

- a corrected field is an *override* (`overrides`), applied over what the reports give each time the
  event is rebuilt; confirming an event makes every field an override;
- merges and splits are decisions between reports (`merge_links`, by the reports' keys), which the
  clustering obeys; a reviewed event's reports stay together, and two reviewed events are never merged
  but by an analyst;
- a new source joining a reviewed event adds its evidence, changes no reviewed field, and marks the
  event `new_since_review`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from kurultai.models import Event
from kurultai.store.models import (
    KEY_SEP,
    EventCountry,
    EventOrganization,
    EventRow,
    EventTopic,
    FigureRow,
    MarkedSpanRow,
    MergeLink,
    OutcomeRow,
    OverrideRow,
    ParticipantRow,
    ReportRow,
    ReviewLogRow,
)

FIELDS = ("status", "mode", "format", "named_format", "date", "location", "countries", "organizations",
          "participants", "visit", "topics", "outcomes", "figures")
STATES = ("unreviewed", "confirmed", "corrected", "rejected")
DECISIONS = {"confirm": "confirmed", "reject": "rejected"}
REVIEWS = (*STATES, "reviewed")  # the review filter of searches: a state, or "reviewed" (any but unreviewed)


def review_states(q: Any) -> tuple[str, ...] | None:
    """The review states of the events a `SearchQuery` lets through (None: every state). Rejected
    events are in only when `q.review` is "rejected", or is "reviewed" or absent with
    `q.include_rejected`: they are out of every count, page and export unless asked for."""
    if q.review == "reviewed":
        states = set(STATES) - {"unreviewed"}
    elif q.review:
        states = {q.review}
    else:
        states = set(STATES)
    if not q.include_rejected and q.review != "rejected":
        states.discard("rejected")
    return None if len(states) == len(STATES) else tuple(sorted(states))


class ReviewError(ValueError):
    """An edit that cannot be made: `field` names what is wrong, the message what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def normalise(field: str, value: Any) -> Any:
    """`value` of `field` in the shared contract's JSON form, checked against the schema and the KB."""
    if field not in FIELDS:
        raise ReviewError(field, f"not an editable field; editable: {', '.join(FIELDS)}")
    try:
        ev = Event.model_validate({field: value})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ReviewError(where or field, first["msg"]) from None
    out = ev.model_dump(mode="json")[field]
    if field in ("countries", "organizations", "topics"):
        out = sorted(set(out))  # sets: in the order the event reads them
    from kurultai.kb import load_kb

    kb = load_kb()
    if field == "countries":
        unknown = [c for c in out if c not in kb.countries]
        if unknown:
            raise ReviewError(field, f"not ISO 3166 alpha-3 codes of the KB: {', '.join(unknown)}")
    if field == "organizations":
        unknown = [o for o in out if o not in kb.organizations]
        if unknown:
            raise ReviewError(field, f"not organisations of the KB: {', '.join(unknown)}")
    if field == "participants":
        for p in out:
            if p.get("country") and p["country"] not in kb.countries:
                raise ReviewError("participants.country", f"not an ISO 3166 alpha-3 code of the KB: {p['country']}")
    if field == "location" and out and out["country"] not in kb.countries:
        raise ReviewError("location.country", f"not an ISO 3166 alpha-3 code of the KB: {out['country']}")
    if field == "visit" and out:
        for side in ("visitor", "host"):
            if out[side] not in kb.countries:
                raise ReviewError(f"visit.{side}", f"not an ISO 3166 alpha-3 code of the KB: {out[side]}")
    if field == "named_format" and out is not None and not known_format(kb, out):
        raise ReviewError(field, f"{out[:40]!r} is not a format of the KB (a format id, REGION+ISO3 or ORG:BODY)")
    if _has_nul(out):  # PostgreSQL's text cannot hold one
        raise ReviewError(field, "no NUL characters")
    for where, text, most in _lengths(field, out):
        if len(text) > most:
            raise ReviewError(where, f"at most {most} characters")
    return out


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MARK_FIELDS = FIELDS  # a span may support any field of the guide
LIST_FIELDS = ("countries", "organizations", "participants", "topics", "outcomes", "figures")


def marks_checked(marks: list[dict[str, Any]], lengths: dict[int, int]) -> list[dict[str, Any]]:
    """Marked spans checked against the event's sources (`lengths`: document id -> length of its text):
    {field, item, document_id, span: [start, end]} with 0 <= start < end <= the text's length."""
    out = []
    for m in marks:
        if not isinstance(m, dict):
            raise ReviewError("evidence", "each marked span is {field, item, document_id, span: [start, end]}")
        field, item, doc, span = m.get("field"), m.get("item"), m.get("document_id"), m.get("span")
        if field not in MARK_FIELDS:
            raise ReviewError("evidence.field", f"one of {', '.join(MARK_FIELDS)}")
        if item is not None and (not isinstance(item, str) or len(item) > 512 or _CONTROL.search(item)):
            raise ReviewError("evidence.item", "a text of at most 512 characters without control characters, or null")
        if isinstance(item, str) and not item.strip():
            item = None
        if item is not None and field not in LIST_FIELDS:
            raise ReviewError("evidence.item", f"only for the fields that are lists: {', '.join(LIST_FIELDS)}")
        if type(doc) is not int or doc not in lengths:
            raise ReviewError("evidence.document_id", "one of the event's sources: " + ", ".join(map(str, sorted(lengths))))
        if (not isinstance(span, list | tuple) or len(span) != 2 or not all(type(x) is int for x in span)
                or not 0 <= span[0] < span[1] <= lengths[doc]):
            raise ReviewError("evidence.span", f"[start, end) with 0 <= start < end <= {lengths[doc]}, "
                                               f"the length of source {doc}'s text")
        out.append({"field": field, "item": item, "document_id": doc, "span": [span[0], span[1]]})
    return out


def mark_dict(m: MarkedSpanRow, text: str) -> dict[str, Any]:
    """A marked span as the API, the pages and the log give it (`quote`: the words it covers, cut at 200)."""
    quote = text[m.start:m.end]
    return {"id": m.id, "event_id": m.event_id, "document_id": m.document_id, "field": m.field, "item": m.item,
            "span": [m.start, m.end], "quote": quote if len(quote) <= 200 else quote[:199] + "…", "actor": m.actor,
            "at": m.at.isoformat() if m.at else None}


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def known_format(kb, value: str) -> bool:
    if value in kb.formats.fixed:
        return True
    org, colon, body = value.partition(":")
    if colon:
        return org in kb.organizations and body in kb.formats.bodies
    region, plus, partner = value.partition("+")
    return region in kb.formats.regions and (not plus or partner in kb.countries)


def _lengths(field: str, value: Any):
    """(where, text, most characters) of the strings the store keeps in columns of a fixed size."""
    if field == "participants":
        for p in value:
            yield "participants.name", p["name"], 256
            yield "participants.name_en", p["name_en"], 256
    elif field == "figures":
        for f in value:
            yield "figures.unit", f["unit"], 8
    elif field == "location" and value:
        yield "location.name", value["name"], 128
    elif field == "outcomes":
        for o in value:
            yield "outcomes.title", o["title"], 5000


def read(row: EventRow, field: str) -> Any:
    """The event's current value of `field`, in the form `normalise` gives."""
    if field in ("status", "mode", "format", "named_format"):
        return getattr(row, field)
    if field == "date":
        return {"start": row.date_start.isoformat(), "end": (row.date_end or row.date_start).isoformat(),
                "precision": row.date_precision or "day", "evidence": []} if row.date_start else None
    if field == "location":
        return {"name": row.location_name, "country": row.location_country or "", "lat": row.lat, "lon": row.lon,
                "evidence": []} if row.location_name else None
    if field == "visit":
        return {"type": row.visit_type, "visitor": row.visit_visitor or "", "host": row.visit_host or "",
                "evidence": []} if row.visit_type else None
    if field == "countries":
        return sorted(c.iso3 for c in row.countries)
    if field == "organizations":
        return sorted(o.org for o in row.organizations)
    if field == "topics":
        return sorted(t.topic for t in row.topics)
    if field == "participants":
        return [{"name": p.name, "name_en": p.name_en, "role": p.role, "country": p.country, "evidence": []}
                for p in row.participants]
    if field == "outcomes":
        return [{"type": o.type, "title": o.title, "evidence": []} for o in row.outcomes]
    return [{"indicator": f.indicator, "value": f.value, "unit": f.unit, "kind": f.kind, "year": f.year, "evidence": []}
            for f in row.figures]


def write(s: Session, row: EventRow, field: str, value: Any) -> None:
    """Set `field` of the event to `value` (as `normalise` gives it)."""
    if field in ("status", "mode", "format", "named_format"):
        setattr(row, field, value)
    elif field == "date":
        row.date_start, row.date_end, row.date_precision = (
            (dt.date.fromisoformat(value["start"]), dt.date.fromisoformat(value["end"]), value["precision"])
            if value else (None, None, None))
    elif field == "location":
        row.location_name, row.location_country, row.lat, row.lon = (
            (value["name"], value["country"], value.get("lat"), value.get("lon")) if value else (None, None, None, None))
    elif field == "visit":
        row.visit_type, row.visit_visitor, row.visit_host = (
            (value["type"], value["visitor"], value["host"]) if value else (None, None, None))
    else:
        rel = getattr(row, field)
        rel.clear()
        s.flush()
        doc = row.sources[0].document_id if row.sources else None
        if field == "countries":
            rel.extend(EventCountry(iso3=c) for c in dict.fromkeys(value))
        elif field == "organizations":
            rel.extend(EventOrganization(org=o) for o in dict.fromkeys(value))
        elif field == "topics":
            rel.extend(EventTopic(topic=t) for t in dict.fromkeys(value))
        elif field == "participants":
            rel.extend(ParticipantRow(name=p["name"], name_en=p["name_en"], role=p["role"], country=p["country"])
                       for p in value)
        elif field == "outcomes":
            rel.extend(OutcomeRow(document_id=doc, type=o["type"], title=o["title"]) for o in value)
        else:
            rel.extend(FigureRow(document_id=doc, indicator=f["indicator"], value=f["value"], unit=f["unit"],
                                 kind=f["kind"], year=f["year"]) for f in value)
    if field in ("countries", "participants"):
        row.country_key = ",".join(sorted(c.iso3 for c in row.countries))
        row.people_key = KEY_SEP.join(sorted({p.name_en for p in row.participants}))


def apply_overrides(s: Session, row: EventRow) -> None:
    """Every override of the event over what its reports gave (called by each rebuild)."""
    for o in s.scalars(select(OverrideRow).where(OverrideRow.event_id == row.id).order_by(OverrideRow.field)):
        write(s, row, o.field, json.loads(o.value))


def log(s: Session, event_id: int, actor: str, action: str, reason: str, field: str | None = None,
        before: Any = None, after: Any = None) -> None:
    s.add(ReviewLogRow(event_id=event_id, actor=actor, at=dt.datetime.now(dt.UTC).replace(tzinfo=None), action=action,
                       field=field, before=None if before is None else json.dumps(before, ensure_ascii=False),
                       after=None if after is None else json.dumps(after, ensure_ascii=False), reason=reason or ""))


def link(s: Session, a: str, b: str, kind: str) -> None:
    """Record that reports `a` and `b` are one event (`same`) or two (`apart`); the latest decision holds."""
    a, b = sorted((a, b))
    s.execute(delete(MergeLink).where(MergeLink.a_key == a, MergeLink.b_key == b))
    s.add(MergeLink(a_key=a, b_key=b, kind=kind))


def links_of(s: Session, keys: list[str]) -> list[MergeLink]:
    if not keys:
        return []
    return list(s.scalars(select(MergeLink).where(or_(MergeLink.a_key.in_(keys), MergeLink.b_key.in_(keys)))
                          .order_by(MergeLink.a_key, MergeLink.b_key)))


def reports_of(s: Session, event_id: int) -> list[ReportRow]:
    return list(s.scalars(select(ReportRow).where(ReportRow.event_id == event_id).order_by(ReportRow.key)))
