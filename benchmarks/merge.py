"""What merging costs in ingest: N generated documents (benchmarks/synth.py: meetings of real office
holders, copies from other outlets, second reports of one meeting in other words) are extracted, then
added one by one to a fresh SQLite store; the time spent placing each document's reports (finding
candidates through the report keys, clustering the components, building the events from their reports)
is measured apart from the rest of ingest (extraction, and storing the document with its reports).
Target: merging at most 20% of ingest time at 10,000 documents. Writing each event's rows from its
reports is shown apart (the store wrote event rows before merging was made of reports too).

    .venv/bin/python benchmarks/merge.py [--docs 10000] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> int:
    from synth import generate

    from kurultai.models import Document
    from kurultai.pipeline import Pipeline
    from kurultai.store import Store
    from kurultai.store import merging as merging_mod

    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    records = generate(args.docs)
    pipeline = Pipeline()
    t0 = time.perf_counter()
    extractions = [pipeline.run_document(Document(id=r["id"], text=r["text"], published=dt.date.fromisoformat(r["published"])
                                         if r.get("published") else None)) for r in records]
    t_extract = time.perf_counter() - t0

    spent = {"place": 0.0, "rebuild": 0.0, "recluster": 0, "largest": 0}
    place = merging_mod.Merger.place
    recluster = merging_mod.Merger.recluster
    rebuild = merging_mod.Merger.rebuild

    def timed_rebuild(self, *a, **k):
        t = time.perf_counter()
        try:
            return rebuild(self, *a, **k)
        finally:
            spent["rebuild"] += time.perf_counter() - t

    def timed_place(self, rows):
        t = time.perf_counter()
        try:
            return place(self, rows)
        finally:
            spent["place"] += time.perf_counter() - t

    def counted_recluster(self, rows):
        spent["recluster"] += 1
        spent["largest"] = max(spent["largest"], len(rows))
        return recluster(self, rows)

    merging_mod.Merger.place = timed_place
    merging_mod.Merger.recluster = counted_recluster
    merging_mod.Merger.rebuild = timed_rebuild
    tmp = Path(tempfile.mkdtemp(prefix="kurultai-merge-bench-"))
    store = Store(f"sqlite:///{tmp / 'bench.db'}")
    created = merged = stored = 0
    t0 = time.perf_counter()
    for ex in extractions:
        res = store.add(ex)
        stored += res.status == "stored"
        created += res.events_created
        merged += res.events_merged
    t_store = time.perf_counter() - t0
    docs, events, _ = store.counts()
    store.close()
    total = t_extract + t_store
    deciding = spent["place"] - spent["rebuild"]
    lines = [
        f"{args.docs} generated documents ({stored} stored, the others copies of stored texts): "
        f"{docs} documents, {events} events ({created} reports alone or first, {merged} joined)",
        f"  ingest {total:.0f} s: extraction {t_extract:.0f} s, storing {t_store:.0f} s; placing the reports "
        f"{spent['place']:.0f} s ({spent['recluster']} components clustered, the largest {spent['largest']} reports)",
        f"  merging (candidates, comparisons, clustering): {deciding:.0f} s = {100 * deciding / total:.1f}% of ingest "
        f"(target <= 20%), {1000 * deciding / max(1, stored):.1f} ms a stored document",
        f"  with writing the events from their reports: {spent['place']:.0f} s = {100 * spent['place'] / total:.1f}% of ingest",
    ]
    print("\n".join(lines))
    if args.write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## merge.py --docs {args.docs}, {dt.date.today().isoformat()} ({machine})\n\n```\n"
                     + "\n".join(lines) + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
