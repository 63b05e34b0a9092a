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

from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from kurultai.merge import NearDuplicates, content_hash, from_bytes, signature, to_bytes
from kurultai.models import Extraction
from kurultai.store.facets import FacetCache
from kurultai.store.locking import lock_for_writing
from kurultai.store.merging import Merger, ReportCache
from kurultai.store.models import (
    KEY_SEP,
    ConflictRow,
    DocumentRow,
    EventChange,
    EventCountry,
    EventDocument,
    EventRow,
    EvidenceRow,
    IngestErrorRow,
    ReportRow,
)
from kurultai.store.queries import VISIBLE, Queries, SearchQuery
from kurultai.store.reviewing import Reviews
from kurultai.store.search import document_terms

__all__ = ["AddResult", "SearchQuery", "Store", "DEFAULT_URL", "normalise_url", "store_exists"]

DEFAULT_URL = "sqlite:///kurultai.db"
SQLITE_BUSY_TIMEOUT = 60.0  # seconds a SQLite writer waits for another one's transaction to end
MAX_ERROR_SOURCE = 2000  # characters of a failed source kept (a URL, a path)
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


def store_exists(url: str) -> bool:
    """Whether `url` holds a Kurultai store (made by a migration), without creating anything."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path in ("", ":memory:") or not Path(path).is_file():
            return False
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            from sqlalchemy import inspect

            return inspect(conn).has_table("alembic_version") and inspect(conn).has_table("events")
    finally:
        engine.dispose()


class Store(Queries, Reviews):
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
        self._merge_cache = ReportCache()

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
            lock_for_writing(s)
            existing = s.scalar(select(DocumentRow.id).where(DocumentRow.content_hash == h))
            if existing is not None:
                s.rollback()
                return AddResult("exists", existing)
            dups = self._duplicates(s)
            dup = dups.find(mh)
            row = DocumentRow(doc_key=doc.id, content_hash=h, source=doc.source, lang=doc.lang, title=doc.title,
                              outlet=doc.outlet, outlet_by=doc.outlet_by, outlet_found=doc.outlet_found,
                              terms=document_terms(doc.title, doc.text, doc.lang),
                              published=doc.published, text=doc.text, minhash=to_bytes(mh), duplicate_of=dup)
            s.add(row)
            s.flush()
            result = AddResult("stored", row.id, dup)
            self._merge_cache.trim()
            merger = Merger(s, self._merge_cache)
            try:
                reports = merger.add_reports(row, h, ex.events)
                merger.place(reports)
                for rep in reports:
                    if rep.merge_state == "joined":
                        result.events_merged += 1
                    else:
                        result.events_created += 1
                mine = set(s.scalars(select(EventDocument.event_id).where(EventDocument.document_id == row.id)))
                s.add_all(EventChange(document_id=row.id, event_id=e) for e in sorted(merger.touched - mine))
                s.commit()
            except BaseException:
                self._merge_cache = ReportCache()  # it may hold rows this transaction made, now undone
                raise
        # the LSH index learns the document only once its transaction is committed
        dups.add(row.id, mh)
        self._dups_upto = row.id
        return result

    def remerge(self) -> dict:
        """Re-cluster every stored report into events (one transaction): what a change of merge rules or
        of the KB makes of the store. Returns the counts before and after."""
        with self.Session() as s:
            lock_for_writing(s)
            before = s.scalar(select(func.count(EventRow.id)))
            merger = Merger(s)
            components = merger.remerge()
            s.flush()
            after = s.scalar(select(func.count(EventRow.id)))
            last_doc = s.scalar(select(func.max(DocumentRow.id))) or 0
            s.add_all(EventChange(document_id=last_doc, event_id=e) for e in sorted(merger.touched))
            lock_for_writing(s)  # a second raise: readers' indexes are rebuilt, not read on
            s.commit()
        return {"events_before": before, "events_after": after, "components": components,
                "events_changed": len(merger.touched)}

    def record_error(self, source: str, message: str) -> None:
        """Record that `source` failed: one row per source, with the latest message and a count."""
        source = source[:MAX_ERROR_SOURCE]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with self.Session.begin() as s:
            lock_for_writing(s)
            row = s.scalar(select(IngestErrorRow).where(IngestErrorRow.source == source))
            if row is None:
                s.add(IngestErrorRow(source=source, message=message, times=1, last_seen=now))
            else:
                row.message, row.times, row.last_seen = message, row.times + 1, now

    def errors(self, limit: int = 100, offset: int = 0) -> tuple[int, list[dict]]:
        """(how many sources failed, a page of them, the latest first)."""
        with self.Session() as s:
            total = s.scalar(select(func.count(IngestErrorRow.id))) or 0
            rows = s.scalars(select(IngestErrorRow).order_by(IngestErrorRow.last_seen.desc(), IngestErrorRow.id.desc())
                             .limit(limit).offset(offset))
            return total, [{"source": r.source, "message": r.message, "times": r.times,
                            "first_seen": r.created_at.isoformat() if r.created_at else None,
                            "last_seen": r.last_seen.isoformat() if r.last_seen else None} for r in rows]

    # -- reading (filters, paging and aggregates are in queries.Queries) ---------------------------
    def event(self, event_id: int) -> tuple[EventRow, list[DocumentRow], list[EvidenceRow], list[ConflictRow],
                                            list[ReportRow]] | None:
        with self.Session() as s:
            row = s.get(EventRow, event_id)
            if row is None:
                return None
            doc_ids = [d.document_id for d in row.sources]
            docs = list(s.scalars(select(DocumentRow).where(DocumentRow.id.in_(doc_ids)).order_by(DocumentRow.id)))
            ev = list(s.scalars(select(EvidenceRow).where(EvidenceRow.event_id == event_id).order_by(EvidenceRow.document_id, EvidenceRow.start)))
            conflicts = list(s.scalars(select(ConflictRow).where(ConflictRow.event_id == event_id).order_by(ConflictRow.id)))
            reports = list(s.scalars(select(ReportRow).where(ReportRow.event_id == event_id).order_by(ReportRow.document_id)))
            return row, docs, ev, conflicts, reports

    def stats(self) -> dict:
        with self.Session() as s:
            out = {
                "documents": s.scalar(select(func.count(DocumentRow.id))),
                "near_duplicates": s.scalar(select(func.count(DocumentRow.id)).where(DocumentRow.duplicate_of.is_not(None))),
                "events": s.scalar(select(func.count(EventRow.id)).where(VISIBLE)),  # rejected ones are not events
                "evidence_spans": s.scalar(select(func.count(EvidenceRow.id))),
                "ingest_errors": s.scalar(select(func.count(IngestErrorRow.id))),
            }
            out["events_by_status"] = dict(s.execute(select(EventRow.status, func.count()).where(VISIBLE)
                                                     .group_by(EventRow.status)).all())
            out["events_by_review"] = dict(s.execute(select(EventRow.review_state, func.count())
                                                     .group_by(EventRow.review_state).order_by(EventRow.review_state)).all())
            out["documents_by_lang"] = dict(s.execute(select(DocumentRow.lang, func.count()).group_by(DocumentRow.lang)).all())
            out["top_countries"] = dict(s.execute(select(EventCountry.iso3, func.count())
                                                   .join(EventRow, EventRow.id == EventCountry.event_id).where(VISIBLE)
                                                   .group_by(EventCountry.iso3)
                                                   .order_by(func.count().desc()).limit(10)).all())
            return out

    def counts(self) -> tuple[int, int, int]:
        st = self.stats()
        return st["documents"], st["events"], st["ingest_errors"]


def event_keys(countries: Iterable[str], names_en: Iterable[str]) -> tuple[str, str]:
    """`EventRow.country_key` and `people_key`: the sorted distinct ISO3 codes and English names."""
    return ",".join(sorted(set(countries))), KEY_SEP.join(sorted(set(names_en)))


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
