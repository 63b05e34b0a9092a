"""The project's data model, defined once: what a document and an event are.

These pydantic models serialise to exactly the shared contract
(`../shared/schema/extraction.schema.json`); see `../shared/schema/GUIDE.md` for the meaning of each field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from kurultai.clean import drop_controls
from kurultai.limits import MAX_ID_CHARS

Span = tuple[int, int]

Status = Literal["held", "planned", "referenced"]
Mode = Literal["in_person", "video", "phone"]
FormatKind = Literal["bilateral", "multilateral"]
Precision = Literal["day", "month", "year"]
# how a document's outlet was found: its mark in the text (a dateline or agency credit), the host of its
# URL, the page's site name (HTML metadata), the feed it came in
OutletBy = Literal["mark", "host", "site", "feed"]
Role = Literal[
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "deputy_foreign_minister",
    "minister",
    "ambassador",
    "head_of_organization",
    "other",
]
VisitType = Literal["state", "official", "working", "unspecified"]
Topic = Literal[
    "security", "borders", "trade", "transport", "energy", "water", "investment", "industry",
    "agriculture", "health", "migration", "culture", "education", "digital", "environment",
    "afghanistan", "international",
]
OutcomeType = Literal["agreement", "memorandum", "joint_statement", "declaration", "plan", "protocol", "other"]
Indicator = Literal["trade_turnover", "investment", "other"]
FigureKind = Literal["actual", "target"]

ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
TOPICS: tuple[str, ...] = Topic.__args__  # type: ignore[attr-defined]
OUTCOME_TYPES: tuple[str, ...] = OutcomeType.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Document(_Model):
    """A cleaned article: every evidence offset of its events points into `text`."""

    id: str
    source: str | None = None
    lang: str = "und"
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    text: str
    # where the outlet was read (not part of the contract's JSON: `Extraction.to_dict` leaves them out):
    # how, and what: the mark as written ("/Кабар/" gives "Кабар") or the host ("ru.sputnik.kz")
    outlet_by: OutletBy | None = None
    outlet_found: str | None = None

    @field_validator("id", "source", "title", "outlet", "outlet_found", "text")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        """No control character reaches the store (PostgreSQL refuses a NUL), whichever reader or client
        made the document; the text loses them before any evidence offset points into it."""
        return drop_controls(value) if value is not None else None

    @field_validator("id")
    @classmethod
    def _fits_the_store(cls, value: str) -> str:
        """An id longer than the store's key (a deep path, a long URL or JSON Lines id) keeps its start and
        a hash of the whole: still stable and distinct, and PostgreSQL does not refuse it."""
        if len(value) <= MAX_ID_CHARS:
            return value
        return value[: MAX_ID_CHARS - 17] + "~" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]

    @field_serializer("published")
    def _iso(self, value: dt.date | None) -> str | None:
        return value.isoformat() if value else None


class DateRange(_Model):
    start: dt.date
    end: dt.date
    precision: Precision = "day"
    evidence: list[Span] = Field(default_factory=list)

    @field_serializer("start", "end")
    def _iso(self, value: dt.date) -> str:
        return value.isoformat()


class Location(_Model):
    name: str
    country: str
    lat: float | None = None
    lon: float | None = None
    evidence: list[Span] = Field(default_factory=list)


class Participant(_Model):
    name: str
    name_en: str
    role: Role = "other"
    country: str | None = None
    evidence: list[Span] = Field(default_factory=list)


class Visit(_Model):
    type: VisitType = "unspecified"
    visitor: str
    host: str
    evidence: list[Span] = Field(default_factory=list)


class Outcome(_Model):
    type: OutcomeType
    title: str
    evidence: list[Span] = Field(default_factory=list)


class Figure(_Model):
    indicator: Indicator
    value: float
    unit: str
    kind: FigureKind = "actual"
    year: int | None = None
    evidence: list[Span] = Field(default_factory=list)


class Event(_Model):
    id: str | None = None
    status: Status = "held"
    mode: Mode = "in_person"
    format: FormatKind = "bilateral"
    named_format: str | None = None
    date: DateRange | None = None
    location: Location | None = None
    countries: list[str] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    visit: Visit | None = None
    topics: list[Topic] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)
    confidence: float | None = None


class Extraction(_Model):
    schema_version: Literal["1"] = "1"
    document: Document
    events: list[Event] = Field(default_factory=list)

    def to_dict(self) -> dict:
        """The contract's JSON form: optional keys the schema types as non-null are left out when unset."""
        return _drop_unset(self.model_dump(mode="json", exclude={"document": set(NOT_IN_CONTRACT)}))

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


# the document's own fields that the contract does not have
NOT_IN_CONTRACT = ("outlet_by", "outlet_found")
# keys that are optional in the schema but may not be null there
_OMIT_WHEN_NONE = {"id", "confidence", "lat", "lon"}


def _drop_unset(value):
    if isinstance(value, dict):
        return {k: _drop_unset(v) for k, v in value.items() if not (v is None and k in _OMIT_WHEN_NONE)}
    if isinstance(value, list):
        return [_drop_unset(v) for v in value]
    return value
