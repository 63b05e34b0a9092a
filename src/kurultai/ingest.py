"""`kurultai ingest`: sources -> documents -> events -> the store, one transaction per document.

Reading sources and writing the store happen in this process; extraction runs here or, with
`workers > 1`, in a pool of processes that each load the models once and die with this process, even
when it is killed (`_die_with_parent`). A bounded window of pending documents keeps memory flat on
long runs. Bad inputs are recorded in the store's error table and reported; they never stop the batch.
Content already stored is skipped before extraction.

Order. Merging depends on order by nature: the first report of an encounter makes its event and a
later one joins it, a near-duplicate points to the copy stored before it, and of two equally supported
values the first stays. So one batch (one `ingest` call) is stored in a canonical order, whatever order
its sources were named in or its documents come in: all its documents are read first (into a temporary
file, so memory stays flat), then extracted and stored by publication date (undated first), then
content hash (`canonical_order`). What is guaranteed:
- the same documents in one batch give the same store whatever their order, on SQLite and PostgreSQL
  (tests/test_determinism.py);
- a batch killed and run again, and two or more runs of it at once, store what one run does;
- across batches, order still counts: a document of a later batch joins or copies what is stored.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from kurultai.clean import InputError
from kurultai.merge import content_hash
from kurultai.models import Document, Extraction
from kurultai.sources.url import error_source
from kurultai.store import Store

_worker_pipeline = None
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _init_worker(parent: int | None = None) -> None:
    """Load the models once per process; in a pool worker (`parent` given), first tie it to its parent."""
    global _worker_pipeline
    if parent is not None:
        _die_with_parent(parent)
    if _worker_pipeline is None:
        from kurultai.pipeline import Pipeline

        _worker_pipeline = Pipeline()


def _die_with_parent(parent: int, *, use_prctl: bool = True) -> None:
    """End this process when `parent` ends, however it ends (a SIGKILLed ingest runs no clean-up and its
    pool's workers, 270 MB each, would run on). Linux: the kernel sends SIGKILL when the parent dies
    (prctl PR_SET_PDEATHSIG; the pool forks its workers from the thread that submits, which lives as long
    as the pool). Elsewhere, or if prctl fails: a daemon thread sees the process adopted (its parent pid
    changes) and exits. Workers only extract, so nothing is lost when they die."""
    if not (use_prctl and sys.platform.startswith("linux") and _set_pdeathsig()):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()
    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)


def _set_pdeathsig() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _extract(doc: Document) -> Extraction:
    assert _worker_pipeline is not None
    return _worker_pipeline.run_document(doc)


@dataclass
class IngestReport:
    documents: int = 0
    stored: int = 0
    existing: int = 0
    duplicates: int = 0
    events_created: int = 0
    events_merged: int = 0
    errors: int = 0
    error_messages: list[str] = field(default_factory=list)


def iter_documents(refs: Iterable[str], published: dt.date | None) -> Iterator[Document | InputError]:
    from kurultai.sources import Link, open_source

    for ref in refs:
        try:
            for item in open_source(ref, published=published):
                if isinstance(item, Link):
                    yield InputError(f"{item.url}: feed entry without content could not be fetched")
                else:
                    yield item
        except InputError as exc:
            yield exc
        except OSError as exc:
            yield InputError(f"{ref}: {exc.strerror or exc}")


def canonical_key(doc: Document) -> tuple[str, str, str, str]:
    """Where a document goes in its batch: by publication date (undated first), content, then name."""
    return doc.published.isoformat() if doc.published else "", content_hash(doc.text), doc.id, doc.source or ""


def canonical_order(items: Iterable[Document | InputError]) -> Iterator[Document | InputError]:
    """The batch's bad inputs as they come, then its documents in `canonical_key` order. The documents
    wait in a temporary SQLite file, not in memory."""
    with tempfile.TemporaryDirectory(prefix="kurultai-batch-") as folder, \
            closing(sqlite3.connect(Path(folder) / "batch.db")) as db:
        db.execute("CREATE TABLE batch (published TEXT, hash TEXT, id TEXT, source TEXT, seq INTEGER, doc TEXT)")
        for seq, item in enumerate(items):
            if isinstance(item, InputError):
                yield item
            else:
                db.execute("INSERT INTO batch VALUES (?, ?, ?, ?, ?, ?)", (*canonical_key(item), seq, item.model_dump_json()))
        for (doc,) in db.execute("SELECT doc FROM batch ORDER BY published, hash, id, source, seq"):
            yield Document.model_validate_json(doc)


def ingest(store: Store, refs: Iterable[str], *, published: dt.date | None = None, workers: int = 1,
           on_progress: Callable[[IngestReport], None] | None = None) -> IngestReport:
    report = IngestReport()

    def done(ex: Extraction) -> None:
        res = store.add(ex)
        report.documents += 1
        if res.status == "exists":
            report.existing += 1
        else:
            report.stored += 1
            report.duplicates += int(res.duplicate_of is not None)
            report.events_created += res.events_created
            report.events_merged += res.events_merged

    def failed(source: str, message: str) -> None:
        report.errors += 1
        report.error_messages.append(message)
        store.record_error(source, message)

    docs = canonical_order(iter_documents(refs, published))
    if workers <= 1:
        _init_worker()
        for item in docs:
            _handle(item, store, report, done, failed, lambda d: _extract(d))
            if on_progress:
                on_progress(report)
        return report
    window: list[tuple[Document, Future]] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(os.getpid(),)) as pool:
        for item in docs:
            if isinstance(item, InputError) or store.has(item.text):
                _handle(item, store, report, done, failed, None)
            else:
                window.append((item, pool.submit(_extract, item)))
            while len(window) >= workers * 4 or (window and window[0][1].done()):
                doc, fut = window.pop(0)
                _finish(doc, fut, report, done, failed)
                if on_progress:
                    on_progress(report)
        for doc, fut in window:
            _finish(doc, fut, report, done, failed)
            if on_progress:
                on_progress(report)
    return report


def _handle(item, store, report, done, failed, extract) -> None:
    if isinstance(item, InputError):
        msg = str(item)
        failed(error_source(msg), msg)
        return
    if store.has(item.text):
        report.documents += 1
        report.existing += 1
        return
    try:
        done(extract(item))
    except InputError as exc:
        failed(item.source or item.id, f"{item.source or item.id}: {exc}")


def _finish(doc: Document, fut: Future, report, done, failed) -> None:
    try:
        done(fut.result())
    except InputError as exc:
        failed(doc.source or doc.id, f"{doc.source or doc.id}: {exc}")
