"""Throughput and peak memory of `kurultai extract` against natasha's bare pass, in one run.

    .venv/bin/python benchmarks/throughput.py [--articles N] [--write]

The texts are the Russian articles of ../shared/corpus/dev (when present) and samples/*.txt, cycled to
N articles. Each side runs in its own process (models loaded once, not timed) so that its peak RSS is
its own: natasha = razdel segmentation + slovnet morphology + slovnet NER, the pass every natasha
pipeline starts with; Kurultai = cleaning, language identification, analysis and event extraction.
With --write the result is appended to benchmarks/RESULTS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
RUSSIAN_DEV = ("seed_000", "seed_001", "seed_003", "seed_004")


def texts(n: int) -> list[bytes]:
    base = [p.read_bytes() for p in sorted((ROOT / "samples").glob("ru_*.txt"))]
    base += [(DEV / f"{name}.txt").read_bytes() for name in RUSSIAN_DEV if (DEV / f"{name}.txt").exists()]
    return [base[i % len(base)] for i in range(n)]


def peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_natasha(data: list[bytes]) -> dict:
    from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    emb = NewsEmbedding()
    seg, morph, ner = Segmenter(), NewsMorphTagger(emb), NewsNERTagger(emb)
    warm = Doc(data[0].decode("utf-8"))
    warm.segment(seg)
    t0 = time.perf_counter()
    chars = 0
    for raw in data:
        text = raw.decode("utf-8")
        chars += len(text)
        doc = Doc(text)
        doc.segment(seg)
        doc.tag_morph(morph)
        doc.tag_ner(ner)
    elapsed = time.perf_counter() - t0
    return {"articles": len(data), "seconds": elapsed, "chars": chars, "peak_rss_mb": peak_rss_mb()}


def run_kurultai(data: list[bytes]) -> dict:
    from kurultai.pipeline import Pipeline

    pipeline = Pipeline()
    pipeline.run_bytes(data[0], "warm-up")
    t0 = time.perf_counter()
    events = 0
    for i, raw in enumerate(data):
        events += len(pipeline.run_bytes(raw, f"a{i}").events)
    elapsed = time.perf_counter() - t0
    return {"articles": len(data), "seconds": elapsed, "events": events, "peak_rss_mb": peak_rss_mb()}


def child(mode: str, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--articles", str(n)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--child", choices=["natasha", "kurultai"])
    ap.add_argument("--write", action="store_true", help="append the result to benchmarks/RESULTS.md")
    args = ap.parse_args()
    if args.child:
        data = texts(args.articles)
        result = run_natasha(data) if args.child == "natasha" else run_kurultai(data)
        print(json.dumps(result))
        return 0
    nat = child("natasha", args.articles)
    kur = child("kurultai", args.articles)
    nat_rate = nat["articles"] / nat["seconds"]
    kur_rate = kur["articles"] / kur["seconds"]
    ratio = kur_rate / nat_rate
    lines = [
        f"natasha bare pass (segment + morph + NER): {nat_rate:6.1f} articles/s, peak RSS {nat['peak_rss_mb']:.0f} MB",
        f"kurultai extract (clean..events):          {kur_rate:6.1f} articles/s, peak RSS {kur['peak_rss_mb']:.0f} MB, {kur['events']} events",
        f"ratio kurultai / natasha: {ratio:.2f}  (target >= 0.8; peak RSS target <= 600 MB)",
    ]
    print("\n".join(lines))
    if args.write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## throughput.py, {dt.date.today().isoformat()} ({machine})\n\n"
                     f"{args.articles} articles (Russian dev articles and samples, cycled).\n\n```\n" + "\n".join(lines) + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
