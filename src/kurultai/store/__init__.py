"""The system of record: documents, events (merged across documents and languages), evidence.

`Store(url)` opens SQLite (`sqlite:///kurultai.db`, the default: WAL, FTS5) or PostgreSQL
(`postgresql://...`) with the same code, and brings the schema to the newest Alembic migration.
`Store.add_many(items)` stores a batch of documents and their events in ONE transaction (one write
lock, one commit), each document inside a savepoint of its own; `Store.add(extraction)` is a batch of
one. A run killed at any point leaves whole documents only, a document that fails is undone alone,
and the same content ingested again changes nothing. A document the relevance prefilter skipped is
stored with the reason and no events (`DocumentRow.skipped`); extracted later, it keeps its row.

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
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from kurultai.merge import band_keys, content_hash, nearest, signature, to_bytes
from kurultai.models import Extraction
from kurultai.store.facets import FacetCache
from kurultai.store.locking import lock_for_writing
from kurultai.store.merging import Merger, PendingLists, ReportCache
from kurultai.store.models import (
    KEY_SEP,
    ConflictRow,
    DocumentBand,
    DocumentRow,
    EventChange,
    EventCountry,
    EventRow,
    EvidenceRow,
    IngestErrorRow,
    MergeLink,
    ReportRow,
)
from kurultai.store.queries import VISIBLE, Queries, SearchQuery
from kurultai.store.reviewing import Reviews
from kurultai.store.search import document_terms

__all__ = ["AddResult", "Incoming", "SearchQuery", "Store", "DEFAULT_URL", "normalise_url", "store_exists"]

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
    status: str  # stored | exists | skipped | failed
    document_id: int
    duplicate_of: int | None = None
    events_created: int = 0
    events_merged: int = 0
    reason: str | None = None  # why it was skipped
    error: str | None = None  # why it failed


@dataclass
class Incoming:
    """A document for the store: its extraction, or the reason the prefilter skipped it (its events then
    empty), and its MinHash signature when the extracting process computed it (`merge.to_bytes`)."""

    extraction: Extraction
    skipped: str | None = None
    minhash: bytes | None = None


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
    @staticmethod
    def _near_duplicate(s: Session, sig: bytes) -> int | None:
        """The stored document `sig` is a near-copy of (the most similar, then the first stored), found
        through the LSH keys' index: read under the write lock, it sees every document stored before,
        by any process, and those of this transaction."""
        keys = band_keys(sig)
        ids = select(DocumentBand.document_id).where(DocumentBand.key.in_(keys)).distinct()
        found = s.execute(select(DocumentRow.id, DocumentRow.minhash).where(DocumentRow.id.in_(ids))).all()
        return nearest(sig, ((i, bytes(m)) for i, m in found if m is not None))

    def stored(self, texts: Sequence[str], *, skipped: bool = True) -> set[str]:
        """The content hashes of `texts` that are stored (as `has`, for many at once)."""
        hashes = sorted({content_hash(t) for t in texts})
        out: set[str] = set()
        with self.Session() as s:
            for i in range(0, len(hashes), 500):
                q = select(DocumentRow.content_hash).where(DocumentRow.content_hash.in_(hashes[i:i + 500]))
                if not skipped:
                    q = q.where(DocumentRow.skipped.is_(None))
                out.update(s.scalars(q))
        return out

    def add(self, ex: Extraction, *, skipped: str | None = None) -> AddResult:
        """Store one document and its events in one transaction (see `add_many`)."""
        return self.add_many([Incoming(ex, skipped)])[0]

    def add_many(self, items: Sequence[Incoming]) -> list[AddResult]:
        """Store documents and their events in ONE transaction: one write lock, one commit. Each document
        is written inside a savepoint of its own, so a document that fails (a driver's refusal, a bug) is
        undone alone and answered "failed" with its reason, and the others are stored; a crash before the
        commit stores none of them. Either way no document is ever stored in part."""
        try:
            return self._add_batch(items, PendingLists())
        except Exception:  # noqa: BLE001 - the batch's lists were refused together: again, one by one
            return self._add_batch(items, None)

    def _add_batch(self, items: Sequence[Incoming], pending: PendingLists | None) -> list[AddResult]:
        """`add_many`; with `pending`, the events' lists are written once for the whole batch (a refusal
        then undoes the batch, which `add_many` writes again without)."""
        results: list[AddResult] = []
        with self.Session() as s:
            lock_for_writing(s)
            try:
                links = s.scalar(select(MergeLink.kind).limit(1)) is not None
                for item in items:
                    snap = pending.snapshot() if pending is not None else None
                    try:
                        with s.begin_nested():
                            results.append(self._add_one(s, item, links, pending))
                    except Exception as exc:  # noqa: BLE001 - this document is undone, the batch goes on
                        self._merge_cache = ReportCache()  # it may hold rows the savepoint made, now undone
                        if pending is not None:
                            pending.restore(snap)
                        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                        results.append(AddResult("failed", 0, error=f"{type(exc).__name__}: {reason}"[:500]))
                if pending is not None:
                    pending.write(s)
                s.commit()
            except BaseException:
                self._merge_cache = ReportCache()  # it may hold what this transaction made, now undone
                raise
        return results

    @staticmethod
    def _document_fields(doc, content_hash_: str) -> dict:
        return {"doc_key": doc.id, "content_hash": content_hash_, "source": doc.source, "lang": doc.lang,
                "title": doc.title, "outlet": doc.outlet, "outlet_by": doc.outlet_by, "outlet_found": doc.outlet_found,
                "terms": document_terms(doc.title, doc.text, doc.lang), "published": doc.published, "text": doc.text}

    def _add_one(self, s: Session, item: Incoming, links: bool, pending: PendingLists | None = None) -> AddResult:
        ex, doc = item.extraction, item.extraction.document
        h = content_hash(doc.text)
        have = s.execute(select(DocumentRow.id, DocumentRow.skipped).where(DocumentRow.content_hash == h)).first()
        if have is not None and (have.skipped is None or item.skipped is not None):
            return AddResult("exists", have.id)
        if item.skipped is not None:  # recorded, not extracted: no signature, no reports
            row = DocumentRow(**self._document_fields(doc, h), skipped=item.skipped)
            s.add(row)
            s.flush()
            return AddResult("skipped", row.id, reason=item.skipped)
        sig = item.minhash if item.minhash is not None else to_bytes(signature(doc.text))
        dup = self._near_duplicate(s, sig)
        if have is not None:  # skipped by an earlier run, extracted now (`--no-prefilter`)
            row = s.get(DocumentRow, have.id)
            row.skipped, row.lang, row.minhash, row.duplicate_of = None, doc.lang, sig, dup
            row.terms = document_terms(doc.title, doc.text, doc.lang)
        else:
            row = DocumentRow(**self._document_fields(doc, h), minhash=sig, duplicate_of=dup)
            s.add(row)
        s.flush()
        s.execute(insert(DocumentBand), [{"key": k, "document_id": row.id} for k in dict.fromkeys(band_keys(sig))])
        result = AddResult("stored", row.id, dup)
        self._merge_cache.trim()
        merger = Merger(s, self._merge_cache, links=links, pending=pending)
        reports = merger.add_reports(row, h, ex.events)
        merger.place(reports)
        for rep in reports:
            if rep.merge_state == "joined":
                result.events_merged += 1
            else:
                result.events_created += 1
        mine = {rep.event_id for rep in reports}  # the events this document is a source of
        s.add_all(EventChange(document_id=row.id, event_id=e) for e in sorted(merger.touched - mine))
        s.flush()
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
            lock_for_writing(s, rewrite=True)  # readers' indexes are rebuilt, not read on
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

    def stats(self, use_index: bool = True) -> dict:
        """The store's counts. Those of events come from the in-memory index when it is current (a
        server asked after every write: SQL takes half a second at 100,000 events), else from SQL."""
        with self.Session() as s:
            out = {
                "documents": s.scalar(select(func.count(DocumentRow.id))),
                "near_duplicates": s.scalar(select(func.count(DocumentRow.id)).where(DocumentRow.duplicate_of.is_not(None))),
                "events": 0,
                "evidence_spans": s.scalar(select(func.count(EvidenceRow.id))),
                "ingest_errors": s.scalar(select(func.count(IngestErrorRow.id))),
            }
            out["documents_by_lang"] = dict(s.execute(select(DocumentRow.lang, func.count()).group_by(DocumentRow.lang)
                                                      .order_by(DocumentRow.lang)).all())
        counted = self._indexed(SearchQuery(), lambda s, index, ids: index.event_counts(), use_index)
        if counted is None:
            with self.Session() as s:
                counted = {
                    "events": s.scalar(select(func.count(EventRow.id)).where(VISIBLE)),  # rejected ones are not events
                    "events_by_status": dict(s.execute(select(EventRow.status, func.count()).where(VISIBLE)
                                                       .group_by(EventRow.status).order_by(EventRow.status)).all()),
                    "events_by_review": dict(s.execute(select(EventRow.review_state, func.count())
                                                       .group_by(EventRow.review_state).order_by(EventRow.review_state)).all()),
                    "top_countries": dict(s.execute(select(EventCountry.iso3, func.count())
                                                    .join(EventRow, EventRow.id == EventCountry.event_id).where(VISIBLE)
                                                    .group_by(EventCountry.iso3)
                                                    .order_by(func.count().desc(), EventCountry.iso3).limit(10)).all()),
                }
        out.update(counted)
        return {k: out[k] for k in ("documents", "near_duplicates", "events", "evidence_spans", "ingest_errors",
                                    "events_by_status", "events_by_review", "documents_by_lang", "top_countries")}

    def counts(self) -> tuple[int, int, int]:
        st = self.stats()
        return st["documents"], st["events"], st["ingest_errors"]


def event_keys(countries: Iterable[str], names_en: Iterable[str]) -> tuple[str, str]:
    """`EventRow.country_key` and `people_key`: the sorted distinct ISO3 codes and English names."""
    return ",".join(sorted(set(countries))), KEY_SEP.join(sorted(set(names_en)))


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL is a property of the database file: set once, by the first process. Switching to it needs
    # the file to itself, and SQLite answers "database is locked" at once, without waiting, while
    # another process makes the schema; so a first start beside another one waits its turn here
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT
    while str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        try:
            cur.execute("PRAGMA journal_mode=WAL")  # (an in-memory database answers "memory" and stays so)
            break
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
