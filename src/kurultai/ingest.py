"""`kurultai ingest`: sources -> documents -> (prefilter) -> events -> the store, in batched transactions.

Reading sources and writing the store happen in this process. The relevance prefilter
(`kurultai.relevance`) runs here too, before any analysis: an article that cannot hold a diplomatic
event is stored as skipped, with the reason, and never extracted (`prefilter=False` turns it off).
Extraction runs here, in a pool of `workers` processes that each load the models once and die with
this process, even when it is killed (`_die_with_parent`), or on a Dask cluster
(`kurultai.distributed`). Either way at most a few documents per worker are in flight (memory stays
flat on long runs) and their results come back in the order they were sent. Workers also compute each
text's MinHash signature, so the writer only writes: `Writer` stores up to BATCH_SIZE documents in one
transaction, each document all or nothing inside it (`Store.add_many`). Bad inputs and documents that
fail are recorded in the store's error table and reported; they never stop the batch. Content already
stored is skipped before extraction.

Order. Merging depends on order by nature: the first report of an encounter makes its event and a
later one joins it, a near-duplicate points to the copy stored before it, and of two equally supported
values the first stays. So one batch (one `ingest` call) is stored in a canonical order, whatever order
its sources were named in or its documents come in: all its documents are read first (into a temporary
file, so memory stays flat), then extracted and stored by publication date (undated first), then
content hash (`canonical_order`). What is guaranteed:
- the same documents in one batch give the same store whatever their order, on SQLite and PostgreSQL,
  and whatever extracts them (tests/test_determinism.py, tests/test_distributed.py);
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
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from kurultai.clean import InputError
from kurultai.merge import content_hash, signature, to_bytes
from kurultai.models import Document, Extraction
from kurultai.sources.url import error_source
from kurultai.store import Incoming, Store

_worker_pipeline = None
BATCH_SIZE = 50  # documents written in one transaction at most...
BATCH_SECONDS = 2.0  # ...or the documents of this long: a slow feed still shows up soon
LOOKAHEAD = 200  # documents whose being stored already is looked up in one query
WINDOW_PER_WORKER = 4  # documents in flight per extraction worker: memory stays flat, workers stay busy
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _init_worker(parent: int | None = None, *, worker: bool = False) -> None:
    """Load the models once per process; in a pool worker (`parent` given), first tie it to its parent.
    A worker (pool or Dask: `worker`, or `parent` given) runs one BLAS thread: the NER's small matrix
    products gain nothing from more, and OpenBLAS's spinning threads of two workers on two cores made
    extraction 7 times slower (benchmarks/RESULTS.md, 2026-12-02)."""
    global _worker_pipeline
    if parent is not None:
        _die_with_parent(parent)
    if worker or parent is not None:
        one_blas_thread()
    if _worker_pipeline is None:
        from kurultai.pipeline import Pipeline

        _worker_pipeline = Pipeline()


def one_blas_thread() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


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


def _extract_for_store(doc: Document) -> Incoming:
    """What a worker sends back: the extraction and the text's MinHash signature, so that the process
    that writes the store does neither."""
    if _worker_pipeline is None:
        _init_worker()
    return Incoming(_extract(doc), minhash=to_bytes(signature(doc.text)))


@dataclass
class IngestReport:
    documents: int = 0
    stored: int = 0
    existing: int = 0
    duplicates: int = 0
    skipped: int = 0
    events_created: int = 0
    events_merged: int = 0
    errors: int = 0
    error_messages: list[str] = field(default_factory=list)
    skip_reasons: Counter = field(default_factory=Counter)


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


class Writer:
    """Writes what the extraction gives to the store in batches: one transaction (one write lock, one
    commit) for up to `size` documents or `seconds` of them, each document all or nothing in it
    (`Store.add_many`). Bad inputs and failed documents become rows of the error table."""

    def __init__(self, store: Store, report: IngestReport, size: int = BATCH_SIZE, seconds: float = BATCH_SECONDS,
                 on_progress: Callable[[IngestReport], None] | None = None) -> None:
        self.store, self.report, self.size, self.seconds = store, report, size, seconds
        self.on_progress = on_progress
        self.pending: list[Incoming] = []
        self.since = 0.0

    def put(self, item: Incoming) -> None:
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append(item)
        if len(self.pending) >= self.size or time.monotonic() - self.since >= self.seconds:
            self.flush()

    def existing(self) -> None:
        self.report.documents += 1
        self.report.existing += 1
        self._progress()

    def failed(self, source: str, message: str) -> None:
        self.report.errors += 1
        self.report.error_messages.append(message)
        self.store.record_error(source, message)
        self._progress()

    def flush(self) -> None:
        items, self.pending = self.pending, []
        if not items:
            return
        r = self.report
        for item, res in zip(items, self.store.add_many(items), strict=True):
            doc = item.extraction.document
            if res.status == "failed":
                self.failed(doc.source or doc.id, f"{doc.source or doc.id}: not stored: {res.error}")
                continue
            r.documents += 1
            if res.status == "exists":
                r.existing += 1
            elif res.status == "skipped":
                r.skipped += 1
                r.skip_reasons[res.reason or ""] += 1
            else:
                r.stored += 1
                r.duplicates += int(res.duplicate_of is not None)
                r.events_created += res.events_created
                r.events_merged += res.events_merged
        self._progress()

    def _progress(self) -> None:
        if self.on_progress:
            self.on_progress(self.report)


def ingest(store: Store, refs: Iterable[str], *, published: dt.date | None = None, workers: int = 1,
           dask: str | None = None, prefilter: bool = True, batch: int = BATCH_SIZE,
           on_progress: Callable[[IngestReport], None] | None = None) -> IngestReport:
    """Read `refs`, extract (here, in `workers` processes, or on a Dask cluster: `dask` is
    "tcp://HOST:PORT" of a running scheduler or "local:N"), store. `prefilter=False` extracts every
    article, also those the relevance prefilter would skip (and those an earlier run skipped)."""
    report = IngestReport()
    writer = Writer(store, report, size=batch, on_progress=on_progress)
    relevance = None
    if prefilter:
        from kurultai.relevance import prefilter as load_prefilter

        relevance = load_prefilter()

    def to_extract(items: Iterable[Document | InputError]) -> Iterator[Document]:
        """The documents to extract; the others are written (or found stored, or recorded as errors) here.
        What is stored already is looked up for LOOKAHEAD documents at once."""
        items = iter(items)
        while chunk := list(islice(items, LOOKAHEAD)):
            stored = store.stored([d.text for d in chunk if not isinstance(d, InputError)], skipped=prefilter)
            yield from chunk_to_extract(chunk, stored)

    def chunk_to_extract(chunk: list[Document | InputError], stored: set[str]) -> Iterator[Document]:
        for item in chunk:
            if isinstance(item, InputError):
                msg = str(item)
                writer.failed(error_source(msg), msg)
            elif content_hash(item.text) in stored:
                writer.existing()
            elif relevance is not None and not (verdict := relevance.verdict(item.text)).keep:
                writer.put(Incoming(Extraction(document=item, events=[]), skipped=verdict.reason))
            else:
                yield item

    docs = to_extract(canonical_order(iter_documents(refs, published)))
    try:
        if dask:
            from kurultai.distributed import extract_on_dask

            results = extract_on_dask(docs, dask)
        elif workers > 1:
            results = _extract_in_pool(docs, workers)
        else:
            results = _extract_here(docs)
        for doc, result in results:
            if isinstance(result, Incoming):
                writer.put(result)
            else:
                writer.failed(doc.source or doc.id, f"{doc.source or doc.id}: {result}")
    finally:
        writer.flush()
    return report


Result = Incoming | InputError


def _extract_here(docs: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
    _init_worker()
    for doc in docs:
        try:
            yield doc, _extract_for_store(doc)
        except InputError as exc:
            yield doc, exc


def in_order(docs: Iterable[Document], submit: Callable[[Document], Any], window: int,
             failure: Callable[[Exception], InputError | None] = lambda exc: None) -> Iterator[tuple[Document, Result]]:
    """Documents sent off with `submit` (it returns a future), at most `window` at once, and their results
    in the order they were sent (the canonical order the store needs). A future's InputError is the
    document's error; `failure` turns any other exception into one (None: it is raised)."""
    pending: deque[tuple[Document, Any]] = deque()

    def result(doc: Document, fut) -> tuple[Document, Result]:
        try:
            return doc, fut.result()
        except InputError as exc:
            return doc, exc
        except Exception as exc:
            err = failure(exc)
            if err is None:
                raise
            return doc, err

    for doc in docs:
        pending.append((doc, submit(doc)))
        while len(pending) >= window or (pending and pending[0][1].done()):
            yield result(*pending.popleft())
    while pending:
        yield result(*pending.popleft())


def _extract_in_pool(docs: Iterable[Document], workers: int) -> Iterator[tuple[Document, Result]]:
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(os.getpid(),)) as pool:
        yield from in_order(docs, lambda d: pool.submit(_extract_for_store, d), workers * WINDOW_PER_WORKER)
