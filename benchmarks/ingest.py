"""Ingest N generated documents into a fresh SQLite store; report documents/s, the RSS of the ingest
process along the run (flat memory), and the latency of `search` with two filters on the result.

    .venv/bin/python benchmarks/ingest.py [--docs 10000] [--workers 2] [--write]
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
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> int:
    from synth import write_jsonl

    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kurultai-bench-"))
    corpus = write_jsonl(tmp / "corpus.jsonl", args.docs)
    db = tmp / "bench.db"
    exe = Path(sys.executable).with_name("kurultai")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(exe), "ingest", str(corpus), "--db", f"sqlite:///{db}", "--workers", str(args.workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ps = psutil.Process(proc.pid)
    samples: list[tuple[float, float]] = []
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
            samples.append((time.perf_counter() - t0, rss / 2**20))
        except psutil.Error:
            pass
        time.sleep(1.0)
    elapsed = time.perf_counter() - t0
    summary = proc.stdout.read().strip() if proc.stdout else ""
    rate = args.docs / elapsed
    # RSS at 25 %, 50 %, 75 % and the end of the run: flat means no growth with the number of documents
    marks = [samples[min(len(samples) - 1, int(len(samples) * q))][1] for q in (0.25, 0.5, 0.75, 0.99)] if samples else []
    sys.path.insert(0, str(ROOT / "src"))
    from kurultai.store import SearchQuery, Store

    store = Store(f"sqlite:///{db}")
    times = []
    for i in range(60):
        q = SearchQuery(country=["KAZ", "KGZ", "UZB", "TJK", "RUS"][i % 5], topic=["trade", "transport", "security"][i % 3])
        t = time.perf_counter()
        rows = store.search_dicts(q)  # what `kurultai search` runs
        times.append((time.perf_counter() - t) * 1000)
        assert rows is not None
    times.sort()
    p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
    lines = [
        f"ingest of {args.docs} generated documents, {args.workers} workers: {elapsed:.0f} s, {rate:.1f} documents/s",
        f"  {summary}",
        "  RSS of ingest + workers (MB) at 25/50/75/100 % of the run: " + " / ".join(f"{m:.0f}" for m in marks),
        f"search with two filters (country + topic), 60 queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms",
    ]
    print("\n".join(lines))
    print(f"database kept at {db}")
    if args.write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## ingest.py, {dt.date.today().isoformat()} ({machine})\n\n```\n" + "\n".join(lines) + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
