"""Tables of the system of record (SQLAlchemy 2). The schema itself is created by Alembic migrations
(store/migrations); these classes map it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# KEY_SEP: between the names of `EventRow.people_key` (a name never holds it)
from kurultai.folding import KEY_SEP as KEY_SEP
from kurultai.folding import name_key


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_key: Mapped[str] = mapped_column(String(1024), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    # how the outlet was found (mark | host | site | feed) and what was read: the mark or the host (0009)
    outlet_by: Mapped[str | None] = mapped_column(String(8))
    outlet_found: Mapped[str | None] = mapped_column(Text)
    # the stems of the title's and text's words, searched with them (`store.search`, migration 0009)
    terms: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    skipped: Mapped[str | None] = mapped_column(Text)  # why the relevance prefilter skipped it (no events)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class DocumentBand(Base):
    """An LSH key of a document's MinHash signature (`merge.band_keys`): documents that share one are
    compared for near-duplicates, found through this index rather than in memory (migration 0007)."""

    __tablename__ = "document_bands"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)


class EventRow(Base):
    __tablename__ = "events"
    # date order with the id as tie-break: newest-first pages are read off this index
    __table_args__ = (Index("ix_events_date_start_id", "date_start", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(16))
    named_format: Mapped[str | None] = mapped_column(String(32), index=True)
    date_start: Mapped[dt.date | None] = mapped_column(Date)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(8))
    location_name: Mapped[str | None] = mapped_column(String(128))
    location_country: Mapped[str | None] = mapped_column(String(3))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    visit_type: Mapped[str | None] = mapped_column(String(16))
    visit_visitor: Mapped[str | None] = mapped_column(String(3))
    visit_host: Mapped[str | None] = mapped_column(String(3))
    summary: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float | None] = mapped_column(Float)
    # Who took part, as one sorted string each (ISO3 codes joined by ",", English names by KEY_SEP):
    # the graph groups events by these instead of self-joining the link tables (migration 0002).
    country_key: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)
    people_key: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)
    # the analysts' review (migration 0004): unreviewed | confirmed | corrected | rejected, and whether a
    # source joined since
    review_state: Mapped[str] = mapped_column(String(16), default="unreviewed", server_default="unreviewed", index=True)
    new_since_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    # Each list is read in a fixed order (by value, or in the order its rows were written): without it
    # SQLite and PostgreSQL hand the rows back in different orders, and what is built from them differs.
    countries: Mapped[list[EventCountry]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                         order_by="EventCountry.iso3")
    organizations: Mapped[list[EventOrganization]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                                  order_by="EventOrganization.org")
    topics: Mapped[list[EventTopic]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                    order_by="EventTopic.topic")
    participants: Mapped[list[ParticipantRow]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                              order_by="ParticipantRow.id")
    outcomes: Mapped[list[OutcomeRow]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                      order_by="OutcomeRow.id")
    figures: Mapped[list[FigureRow]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                    order_by="FigureRow.id")
    sources: Mapped[list[EventDocument]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                        order_by="EventDocument.document_id")


class EventDocument(Base):
    """Which documents report an event."""

    __tablename__ = "event_documents"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True)
    extraction_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String(16))


# The link tables are read both ways: by event (the primary key) and by value; the value indexes
# carry the event id too, so a filter is answered from the index alone (migration 0002).
class EventCountry(Base):
    __tablename__ = "event_countries"
    __table_args__ = (Index("ix_event_countries_iso3_event", "iso3", "event_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)


class EventOrganization(Base):
    __tablename__ = "event_organizations"
    __table_args__ = (Index("ix_event_organizations_org_event", "org", "event_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    org: Mapped[str] = mapped_column(String(16), primary_key=True)


class EventTopic(Base):
    __tablename__ = "event_topics"
    __table_args__ = (Index("ix_event_topics_topic_event", "topic", "event_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(16), primary_key=True)


def _name_key(context) -> str:
    row = context.get_current_parameters()
    return name_key(row["name"], row["name_en"])


class ParticipantRow(Base):
    __tablename__ = "participants"
    __table_args__ = (Index("ix_participants_name_en_event", "name_en", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(256))
    name_en: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(3))
    # the name and English name folded as filters compare them (`kurultai.folding`, migration 0008)
    name_key: Mapped[str] = mapped_column(Text, default=_name_key, server_default="")


class OutcomeRow(Base):
    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)


class FigureRow(Base):
    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer)


class EvidenceRow(Base):
    """One span of one document supporting one field of one event."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    item: Mapped[str | None] = mapped_column(String(512))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class MarkedSpanRow(Base):
    """A span of a source that an analyst marked as the evidence of a field of an event (migration 0011):
    `field` is the guide's (date, participants, ...), `item` which of a list's values (a participant's
    English name, an outcome's title), the offsets [start, end) in code points of the document's text."""

    __tablename__ = "marked_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    item: Mapped[str | None] = mapped_column(String(512))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class ConflictRow(Base):
    """A value a source gave for a field that lost to the better-supported one."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(Text)


class ReportRow(Base):
    """One document's account of one event, as extracted (`payload`: the event's JSON). Events are made
    from their reports (`store.merging`), so they can be re-clustered at any time (migration 0003)."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_document_index", "document_id", "event_index", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    event_index: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # content hash and index: the same in every store
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    component: Mapped[int] = mapped_column(Integer, index=True)  # reports that may be one event with another
    status: Mapped[str] = mapped_column(String(16))
    dated: Mapped[bool] = mapped_column(Boolean)
    lo: Mapped[int | None] = mapped_column(Integer)  # first and last day (ordinal) the event can be on
    hi: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text, deferred=True)  # read when not in the store's cache
    merge_state: Mapped[str] = mapped_column(String(16), default="alone")  # alone | joined | ambiguous
    merge_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    merge_basis: Mapped[str] = mapped_column(Text, default="")


class ReportKey(Base):
    """The keys a report can be found by when another may be the same event (`Report.keys`)."""

    __tablename__ = "report_keys"
    __table_args__ = (Index("ix_report_keys_key_report", "key", "report_id"),)

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)


class MergeCandidateRow(Base):
    """A report left apart because it fits several events that cannot be one: the reports it fits."""

    __tablename__ = "merge_candidates"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float] = mapped_column(Float)


class EventChange(Base):
    """An event that adding a document changed although the document does not report it (merged into
    another, split, rebuilt): readers' indexes read these as well as the document's own events."""

    __tablename__ = "event_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    event_id: Mapped[int] = mapped_column(Integer)


class OverrideRow(Base):
    """A field of an event as an analyst set it (JSON, the shared contract's form): applied over what
    the reports give whenever the event is rebuilt, so no re-ingest, re-extraction or remerge undoes it."""

    __tablename__ = "overrides"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class MergeLink(Base):
    """An analyst's decision that two reports are one event (`same`) or two (`apart`), by the reports'
    keys, which survive re-ingest and remerge; the clustering obeys it."""

    __tablename__ = "merge_links"

    a_key: Mapped[str] = mapped_column(String(80), primary_key=True)  # a_key < b_key
    b_key: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(8))


class ReviewLogRow(Base):
    """Every review decision: who (the token's name), when, what, the value before and after, why."""

    __tablename__ = "review_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer, index=True)  # kept when the event is merged away
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(16))  # correct | confirm | reject | merge | split
    field: Mapped[str | None] = mapped_column(String(32))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")


class StoreVersion(Base):
    """One row: a number every write transaction raises, so readers that keep derived data in memory
    (`facets.FacetCache`) know when it is out of date, whichever process wrote."""

    __tablename__ = "store_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # raised by the writes that change stored events without adding documents (reviews, remerge)
    rewrites: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class IngestErrorRow(Base):
    """A source that could not be stored: one row per source however often it is tried (migration 0005),
    with the latest message, how many times it failed and when last."""

    __tablename__ = "ingest_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text, unique=True)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    times: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_seen: Mapped[dt.datetime | None] = mapped_column(DateTime)
