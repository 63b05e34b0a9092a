"""The system of record: documents, events (merged across documents and languages), evidence.

`Store(url)` opens SQLite (`sqlite:///kurultai.db`, the default: WAL, FTS5) or PostgreSQL
(`postgresql://...`) with the same code, and brings the schema to the newest Alembic migration.
`Store.add(extraction)` stores one document and its events in ONE transaction: a run killed at any
point leaves whole documents only, and the same content ingested again changes nothing.

Several processes may write one store at once (two `kurultai ingest` runs, an ingest and the API):
every write transaction begins by raising the store version, and that row (PostgreSQL) or the
database's write lock it takes (SQLite, waiting up to `SQLITE_BUSY_TIMEOUT`) makes writers take turns.
So the check that a content is new and its insert are one step, and each document is compared with
everything stored before it, whichever process stored it. Migrations run under a lock of their own,
so two first starts on an empty database make the schema once.

Every choice is ordered (candidates by id, ties by the lowest id, lists by value or by insertion), so
the same documents added in the same order give the same store on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from kurultai.merge import (
    STATUS_RANK,
    Candidate,
    NearDuplicates,
    content_hash,
    from_bytes,
    person_key,
    same_event,
    signature,
    to_bytes,
)
from kurultai.models import Event, Extraction
from kurultai.store.facets import FacetCache
from kurultai.store.models import (
    KEY_SEP,
    ConflictRow,
    DocumentRow,
    EventCountry,
    EventDocument,
    EventOrganization,
    EventRow,
    EventTopic,
    EvidenceRow,
    FigureRow,
    IngestErrorRow,
    OutcomeRow,
    ParticipantRow,
    StoreVersion,
)
from kurultai.store.queries import Queries, SearchQuery

__all__ = ["AddResult", "SearchQuery", "Store", "DEFAULT_URL", "normalise_url"]

DEFAULT_URL = "sqlite:///kurultai.db"
SQLITE_BUSY_TIMEOUT = 60.0  # seconds a SQLite writer waits for another one's transaction to end
MIGRATION_LOCK = 0x6B75_7275  # the PostgreSQL advisory lock key under which migrations run ("kuru")


def normalise_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if "://" not in url:  # a bare path
        return f"sqlite:///{url}"
    return url


@dataclass
class AddResult:
    status: str  # stored | exists
    document_id: int
    duplicate_of: int | None = None
    events_created: int = 0
    events_merged: int = 0


class Store(Queries):
    def __init__(self, url: str = DEFAULT_URL):
        self.url = normalise_url(url)
        sqlite = self.url.startswith("sqlite")
        self.engine: Engine = create_engine(self.url, future=True,
                                            connect_args={"timeout": SQLITE_BUSY_TIMEOUT} if sqlite else {})
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        self.migrate()
        self.facets = FacetCache(self.Session)
        self._dups = NearDuplicates()
        self._dups_upto = 0  # the highest document id whose signature the index has read

    def migrate(self) -> None:
        """Bring the schema to the newest migration. When it is not there yet, the upgrade runs under a
        lock (PostgreSQL: a transaction-level advisory lock; SQLite: BEGIN IMMEDIATE, which DDL then
        runs inside) and Alembic reads the version again under it: of two first starts on an empty
        database one makes the schema, the other waits and finds it made."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with self.engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        if self.dialect == "sqlite":  # refresh the planner's statistics where they have drifted (cheap)
            try:
                with self.engine.begin() as conn:
                    conn.exec_driver_sql("PRAGMA optimize")
            except Exception:  # noqa: BLE001 - a read-only or busy database keeps its old statistics
                pass
        self.engine.dispose()

    # -- writing ------------------------------------------------------------------------------
    def _duplicates(self, session: Session) -> NearDuplicates:
        """The LSH index, brought up to date with the documents stored since it last looked (by this
        process or any other; called under the write lock, when no other writer can add one)."""
        q = (select(DocumentRow.id, DocumentRow.minhash)
             .where(DocumentRow.id > self._dups_upto, DocumentRow.minhash.is_not(None)).order_by(DocumentRow.id))
        for doc_id, blob in session.execute(q):
            self._dups.add(doc_id, from_bytes(blob))
            self._dups_upto = doc_id
        return self._dups

    def has(self, text_: str) -> bool:
        with self.Session() as s:
            return s.scalar(select(DocumentRow.id).where(DocumentRow.content_hash == content_hash(text_))) is not None

    def add(self, ex: Extraction) -> AddResult:
        doc = ex.document
        h = content_hash(doc.text)
        mh = signature(doc.text)
        with self.Session() as s:
            _lock_for_writing(s)
            existing = s.scalar(select(DocumentRow.id).where(DocumentRow.content_hash == h))
            if existing is not None:
                s.rollback()
                return AddResult("exists", existing)
            dups = self._duplicates(s)
            dup = dups.find(mh)
            row = DocumentRow(doc_key=doc.id, content_hash=h, source=doc.source, lang=doc.lang, title=doc.title,
                              outlet=doc.outlet, published=doc.published, text=doc.text, minhash=to_bytes(mh), duplicate_of=dup)
            s.add(row)
            s.flush()
            result = AddResult("stored", row.id, dup)
            for ev in ex.events:
                target = self._match(s, ev, dup, row.id)
                if target is None:
                    target = self._create(s, ev)
                    result.events_created += 1
                else:
                    result.events_merged += 1
                self._attach(s, target, ev, row.id)
            s.commit()
        # the LSH index learns the document only once its transaction is committed
        dups.add(row.id, mh)
        self._dups_upto = row.id
        return result

    def record_error(self, source: str, message: str) -> None:
        with self.Session.begin() as s:
            s.add(IngestErrorRow(source=source, message=message))

    def _match(self, s: Session, ev: Event, dup: int | None, doc_id: int) -> EventRow | None:
        q = select(EventRow).order_by(EventRow.id)
        if ev.date:
            q = q.where(EventRow.date_start.between(ev.date.start - dt.timedelta(days=1), ev.date.start + dt.timedelta(days=1)))
        elif dup is not None:
            q = q.join(EventDocument, EventDocument.event_id == EventRow.id).where(EventDocument.document_id == dup)
        else:
            return None
        best, best_score = None, 0.0
        for row in s.scalars(q).unique():
            if any(d.document_id == doc_id for d in row.sources):
                continue  # the extractor already told this document's events apart
            cand = Candidate(row.id, row.status, row.mode, row.named_format, row.date_start, row.location_name,
                             {c.iso3 for c in row.countries} | {o.org for o in row.organizations},
                             {person_key(p.name_en) for p in row.participants}, {d.document_id for d in row.sources})
            score = same_event(ev, cand, dup)
            if score > best_score:  # of equal scores the first stored wins
                best, best_score = row, score
        return best

    def _create(self, s: Session, ev: Event) -> EventRow:
        row = EventRow(status=ev.status, mode=ev.mode, format=ev.format, named_format=ev.named_format,
                       date_start=ev.date.start if ev.date else None, date_end=ev.date.end if ev.date else None,
                       date_precision=ev.date.precision if ev.date else None,
                       location_name=ev.location.name if ev.location else None,
                       location_country=ev.location.country if ev.location else None,
                       lat=ev.location.lat if ev.location else None, lon=ev.location.lon if ev.location else None,
                       visit_type=ev.visit.type if ev.visit else None, visit_visitor=ev.visit.visitor if ev.visit else None,
                       visit_host=ev.visit.host if ev.visit else None, confidence=ev.confidence, summary="")
        s.add(row)
        s.flush()
        return row

    def _attach(self, s: Session, row: EventRow, ev: Event, doc_id: int) -> None:
        """Add one document's account of an event: sets grow, single values keep the best-supported one
        and record the others as conflicts."""
        new_source = EventDocument(event_id=row.id, document_id=doc_id, extraction_id=ev.id, status=ev.status)
        row.sources.append(new_source)
        if STATUS_RANK.get(ev.status, 0) > STATUS_RANK.get(row.status, 0):
            row.status = ev.status
        n_sources = len(row.sources)
        for fld, value in (
            ("named_format", ev.named_format),
            ("date", ev.date.start.isoformat() if ev.date else None),
            ("location", ev.location.name if ev.location else None),
            ("visit", ev.visit.type if ev.visit else None),
        ):
            current = _current(row, fld)
            if value is None or value == current:
                continue
            if current is None:
                _set(row, fld, ev)
                continue
            alternatives = [c.value for c in s.scalars(select(ConflictRow).where(ConflictRow.event_id == row.id, ConflictRow.field == fld))]
            support_new = 1 + alternatives.count(value)
            support_cur = n_sources - 1 - len(alternatives) + 1
            if support_new > support_cur:
                s.add(ConflictRow(event_id=row.id, document_id=doc_id, field=fld, value=current))
                _set(row, fld, ev)
            else:
                s.add(ConflictRow(event_id=row.id, document_id=doc_id, field=fld, value=value))
        have = {c.iso3 for c in row.countries}
        row.countries.extend(EventCountry(iso3=c) for c in ev.countries if c not in have)
        have = {o.org for o in row.organizations}
        row.organizations.extend(EventOrganization(org=o) for o in ev.organizations if o not in have)
        have = {t.topic for t in row.topics}
        row.topics.extend(EventTopic(topic=t) for t in ev.topics if t not in have)
        have_people = {person_key(p.name_en): p for p in row.participants}
        for p in ev.participants:
            if person_key(p.name_en) not in have_people:
                row.participants.append(ParticipantRow(name=p.name, name_en=p.name_en, role=p.role, country=p.country))
        have_out = {(o.type, o.title) for o in row.outcomes}
        row.outcomes.extend(OutcomeRow(document_id=doc_id, type=o.type, title=o.title) for o in ev.outcomes
                            if (o.type, o.title) not in have_out)
        have_fig = {(f.indicator, f.kind, f.value) for f in row.figures}
        row.figures.extend(FigureRow(document_id=doc_id, indicator=f.indicator, value=f.value, unit=f.unit, kind=f.kind, year=f.year)
                           for f in ev.figures if (f.indicator, f.kind, f.value) not in have_fig)
        countries = {c.iso3 for c in row.countries}
        orgs = {o.org for o in row.organizations}
        row.format = "multilateral" if len(countries | orgs) >= 3 or row.format == "multilateral" else "bilateral"
        s.add_all(_evidence(row.id, doc_id, ev))
        row.summary = _summary(row)
        row.country_key, row.people_key = event_keys(countries, (p.name_en for p in row.participants))
        s.flush()

    # -- reading (filters, paging and aggregates are in queries.Queries) ---------------------------
    def event(self, event_id: int) -> tuple[EventRow, list[DocumentRow], list[EvidenceRow], list[ConflictRow]] | None:
        with self.Session() as s:
            row = s.get(EventRow, event_id)
            if row is None:
                return None
            doc_ids = [d.document_id for d in row.sources]
            docs = list(s.scalars(select(DocumentRow).where(DocumentRow.id.in_(doc_ids)).order_by(DocumentRow.id)))
            ev = list(s.scalars(select(EvidenceRow).where(EvidenceRow.event_id == event_id).order_by(EvidenceRow.document_id, EvidenceRow.start)))
            conflicts = list(s.scalars(select(ConflictRow).where(ConflictRow.event_id == event_id).order_by(ConflictRow.id)))
            return row, docs, ev, conflicts

    def stats(self) -> dict:
        with self.Session() as s:
            out = {
                "documents": s.scalar(select(func.count(DocumentRow.id))),
                "near_duplicates": s.scalar(select(func.count(DocumentRow.id)).where(DocumentRow.duplicate_of.is_not(None))),
                "events": s.scalar(select(func.count(EventRow.id))),
                "evidence_spans": s.scalar(select(func.count(EvidenceRow.id))),
                "ingest_errors": s.scalar(select(func.count(IngestErrorRow.id))),
            }
            out["events_by_status"] = dict(s.execute(select(EventRow.status, func.count()).group_by(EventRow.status)).all())
            out["documents_by_lang"] = dict(s.execute(select(DocumentRow.lang, func.count()).group_by(DocumentRow.lang)).all())
            out["top_countries"] = dict(s.execute(select(EventCountry.iso3, func.count()).group_by(EventCountry.iso3)
                                                   .order_by(func.count().desc()).limit(10)).all())
            return out

    def counts(self) -> tuple[int, int, int]:
        st = self.stats()
        return st["documents"], st["events"], st["ingest_errors"]


def event_keys(countries: Iterable[str], names_en: Iterable[str]) -> tuple[str, str]:
    """`EventRow.country_key` and `people_key`: the sorted distinct ISO3 codes and English names."""
    return ",".join(sorted(set(countries))), KEY_SEP.join(sorted(set(names_en)))


def _lock_for_writing(s: Session) -> None:
    """Begin a write transaction by raising the store version. Its row lock (PostgreSQL) or the write
    lock the update takes before anything is read (SQLite) is held until commit: writers take turns."""
    s.execute(update(StoreVersion).where(StoreVersion.id == 1).values(version=StoreVersion.version + 1))


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _current(row: EventRow, fld: str):
    return {"named_format": row.named_format, "date": row.date_start.isoformat() if row.date_start else None,
            "location": row.location_name, "visit": row.visit_type}[fld]


def _set(row: EventRow, fld: str, ev: Event) -> None:
    if fld == "named_format":
        row.named_format = ev.named_format
    elif fld == "date" and ev.date:
        row.date_start, row.date_end, row.date_precision = ev.date.start, ev.date.end, ev.date.precision
    elif fld == "location" and ev.location:
        row.location_name, row.location_country = ev.location.name, ev.location.country
        row.lat, row.lon = ev.location.lat, ev.location.lon
    elif fld == "visit" and ev.visit:
        row.visit_type, row.visit_visitor, row.visit_host = ev.visit.type, ev.visit.visitor, ev.visit.host


def _evidence(event_id: int, doc_id: int, ev: Event) -> Iterable[EvidenceRow]:
    def rows(fld: str, item: str | None, spans):
        for a, b in spans or []:
            yield EvidenceRow(event_id=event_id, document_id=doc_id, field=fld, item=item, start=a, end=b)

    yield from rows("event", None, ev.evidence)
    if ev.date:
        yield from rows("date", ev.date.start.isoformat(), ev.date.evidence)
    if ev.location:
        yield from rows("location", ev.location.name, ev.location.evidence)
    if ev.visit:
        yield from rows("visit", ev.visit.type, ev.visit.evidence)
    for p in ev.participants:
        yield from rows("participant", p.name_en, p.evidence)
    for o in ev.outcomes:
        yield from rows("outcome", o.title[:500], o.evidence)
    for f in ev.figures:
        yield from rows("figure", f"{f.indicator} {f.value:g} {f.unit}", f.evidence)


def _summary(row: EventRow) -> str:
    from kurultai.kb import load_kb

    kb = load_kb()
    parts = [row.named_format or "", row.location_name or ""]
    for iso3 in sorted(c.iso3 for c in row.countries):
        country = kb.countries.get(iso3)
        parts.append(iso3)
        if country:
            parts.extend(n for lang in ("en", "ru") for n in country.names.get(lang, [])[:1])
    parts += sorted(o.org for o in row.organizations)
    parts += [f"{p.name} {p.name_en}" for p in row.participants]  # in the order they were stored
    parts += sorted(t.topic for t in row.topics)
    parts += [o.title for o in row.outcomes]
    return " ".join(p for p in parts if p)
