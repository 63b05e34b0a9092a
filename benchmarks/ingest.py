"""Ingest of N generated documents into a fresh store: documents/s, the RSS of the ingest process and of
each extraction worker along the run (flat memory), against the extraction throughput of the same
workers without a store; and the relevance prefilter's speed against the full pass and its drop rate.

    .venv/bin/python benchmarks/ingest.py [--docs 10000] [--workers 2] [--mode pool|dask] [--share 1.0]
                                          [--db URL] [--search] [--write]
    .venv/bin/python benchmarks/ingest.py --extract-only [--docs 2000] [--workers 2]
    .venv/bin/python benchmarks/ingest.py --prefilter [--docs 2000]

`--share` is the part of the documents that is diplomatic (the rest: economy, sport, weather... that the
prefilter should drop); 1.0 measures the writer against extraction, a lower share an archive's mix.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _workers_of(ps: psutil.Process) -> list[psutil.Process]:
    """The extraction workers under the ingest process: pool processes, or Dask's worker processes (the
    children of its nannies)."""
    out = []
    for child in ps.children(recursive=True):
        try:
            cmd = " ".join(child.cmdline())
        except psutil.Error:
            continue
        # a pool worker or a Dask worker; not a nanny, nor multiprocessing's resource tracker
        if ("spawn_main" in cmd or child.ppid() == ps.pid) and "resource_tracker" not in cmd and not child.children():
            out.append(child)
    return out


def run_ingest(args) -> list[str]:
    from synth import write_jsonl

    tmp = Path(tempfile.mkdtemp(prefix="kurultai-bench-"))
    corpus = write_jsonl(tmp / "corpus.jsonl", args.docs, share=args.share)
    db = args.db or f"sqlite:///{tmp / 'bench.db'}"
    exe = Path(sys.executable).with_name("kurultai")
    cmd = [str(exe), "ingest", str(corpus), "--db", db]
    cmd += ["--dask", f"local:{args.workers}"] if args.mode == "dask" else ["--workers", str(args.workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ps = psutil.Process(proc.pid)
    samples: list[tuple[float, float, list[float]]] = []  # (t, ingest RSS, worker RSS each)
    while proc.poll() is None:
        try:
            own = ps.memory_info().rss / 2**20
            workers = [w.memory_info().rss / 2**20 for w in _workers_of(ps)]
            samples.append((time.perf_counter() - t0, own, workers))
        except psutil.Error:
            pass
        time.sleep(1.0)
    elapsed = time.perf_counter() - t0
    summary = proc.stdout.read().strip() if proc.stdout else ""
    marks = [samples[min(len(samples) - 1, int(len(samples) * q))] for q in (0.25, 0.5, 0.75, 0.99)] if samples else []
    # the workers' marks over the samples where they ran (not the start-up before, nor the shut-down after)
    busy = [m for m in samples if m[2]]
    worker_marks = [busy[min(len(busy) - 1, int(len(busy) * q))] for q in (0.25, 0.5, 0.75, 0.99)] if busy else []
    lines = [f"ingest of {args.docs} generated documents ({args.share:.0%} diplomatic), {args.workers} workers "
             f"({'Dask LocalCluster' if args.mode == 'dask' else 'process pool'}), {db.split(':')[0]}: "
             f"{elapsed:.0f} s, {args.docs / elapsed:.1f} documents/s (start-up and model loading included)",
             f"  {summary}",
             "  RSS of the ingest process (MB) at 25/50/75/100 % of the run: " + " / ".join(f"{m[1]:.0f}" for m in marks),
             "  RSS of the largest extraction worker (MB) at 25/50/75/100 %: "
             + " / ".join(f"{max(m[2]):.0f}" for m in worker_marks)]
    if args.search and db.startswith("sqlite"):
        lines.append(search_latency(db))
    return lines


def search_latency(db: str) -> str:
    from kurultai.store import SearchQuery, Store

    store = Store(db)
    times = []
    for i in range(60):
        q = SearchQuery(country=["KAZ", "KGZ", "UZB", "TJK", "RUS"][i % 5], topic=["trade", "transport", "security"][i % 3])
        t = time.perf_counter()
        store.search_dicts(q)  # what `kurultai search` runs
        times.append((time.perf_counter() - t) * 1000)
    store.close()
    times.sort()
    return (f"search with two filters (country + topic), 60 queries: p50 {statistics.median(times):.1f} ms, "
            f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms")


def run_extract_only(args) -> list[str]:
    """The extraction throughput of `workers` processes over the same generated documents, no store:
    what ingest is measured against."""
    from concurrent.futures import ProcessPoolExecutor

    from synth import generate

    from kurultai import ingest
    from kurultai.models import Document

    docs = [Document(id=d["id"], text=d["text"], published=dt.date.fromisoformat(d["published"]))
            for d in generate(args.docs)]
    with ProcessPoolExecutor(max_workers=args.workers, initializer=partial(ingest._init_worker, worker=True)) as pool:
        list(pool.map(ingest._extract_for_store, docs[: args.workers * 2]))  # models loaded, not timed
        t = time.perf_counter()
        n = sum(1 for _ in pool.map(ingest._extract_for_store, docs, chunksize=4))
        elapsed = time.perf_counter() - t
    return [f"extraction alone (workers' part of ingest: analysis, events, MinHash), {args.workers} worker processes, "
            f"{n} generated documents: {elapsed:.0f} s, {n / elapsed:.1f} documents/s"]


def run_prefilter(args) -> list[str]:
    from synth import generate, negatives

    from kurultai.models import Document
    from kurultai.pipeline import Pipeline
    from kurultai.relevance import prefilter

    pos, neg = generate(args.docs), negatives(args.docs)
    t = time.perf_counter()
    pf = prefilter()
    build = time.perf_counter() - t
    t = time.perf_counter()
    kept_neg = sum(pf.verdict(d["text"]).keep for d in neg)
    dropped_pos = sum(not pf.verdict(d["text"]).keep for d in pos)
    per_filter = (time.perf_counter() - t) / (2 * args.docs)
    pipe = Pipeline()
    for d in pos[:20]:  # every model loaded (natasha, lingua, the analysers) before the clock starts
        pipe.run_document(Document(id=d["id"], text=d["text"]))
    sample = pos[20: 20 + min(300, args.docs)]
    t = time.perf_counter()
    for d in sample:
        pipe.run_document(Document(id=d["id"], text=d["text"]))
    per_full = (time.perf_counter() - t) / len(sample)
    return [f"prefilter (built once in {build:.1f} s): {per_filter * 1000:.3f} ms a document against {per_full * 1000:.1f} ms "
            f"for the full pass (language, analysis, events): {per_full / per_filter:.0f}x faster",
            f"  non-diplomatic generated documents dropped: {args.docs - kept_neg} of {args.docs} "
            f"({(args.docs - kept_neg) / args.docs:.0%}); diplomatic generated documents dropped: {dropped_pos} of {args.docs}"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mode", choices=["pool", "dask"], default="pool")
    ap.add_argument("--share", type=float, default=1.0, help="the diplomatic part of the documents")
    ap.add_argument("--db", help="a store URL (default: a new SQLite file)")
    ap.add_argument("--search", action="store_true", help="also time search on the result")
    ap.add_argument("--extract-only", action="store_true")
    ap.add_argument("--prefilter", action="store_true")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if args.prefilter:
        title, lines = f"ingest.py --prefilter --docs {args.docs}", run_prefilter(args)
    elif args.extract_only:
        title, lines = f"ingest.py --extract-only --docs {args.docs} --workers {args.workers}", run_extract_only(args)
    else:
        title = f"ingest.py --docs {args.docs} --workers {args.workers} --mode {args.mode} --share {args.share}"
        lines = run_ingest(args)
    print("\n".join(lines))
    if args.write:
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## {title}, {dt.date.today().isoformat()} ({machine()}; load average "
                     f"{os.getloadavg()[0]:.1f} at the end)\n\n```\n" + "\n".join(lines) + "\n```\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
