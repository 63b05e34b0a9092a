"""Extraction time and peak memory against text length: one long document of 200 KB, 500 KB, 1 MB, 2 MB.

    .venv/bin/python benchmarks/linear.py [--sizes 200,500,1000,2000] [--lang mixed,ru,kk,...|all]
                                          [--repeat 3] [--write]

The long texts are the project's own articles (samples/*.txt and ../shared/corpus/dev/*.txt when
present) concatenated as paragraphs, cycled until the size (UTF-8 bytes, KB = 1000) is reached:
`mixed` (the default) takes one article of each language in turn, a language code that language's
articles only, `all` is mixed and then each language. Each run is a process of its own, models loaded
and warmed up first (not timed), so that its peak RSS is its own; the time is that of the whole
pipeline on the document (cleaning, language identification, analysis, event extraction), wall and
CPU, the fastest of --repeat runs (the machine may be shared: CPU time is the steadier figure).
Target (issue 8): 2 MB in less than 10x the time of 200 KB, peak RSS at most 600 MB. With --write the
result is appended to benchmarks/RESULTS.md with the machine and date.
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
LANGS = ("ru", "kk", "ky", "uz", "tg", "tk", "en")


def articles_by_lang() -> dict[str, list[str]]:
    """The project's articles by language (file name prefix, else language identification)."""
    from kurultai.lang import detect

    paths = sorted((ROOT / "samples").glob("*.txt")) + (sorted(DEV.glob("*.txt")) if DEV.is_dir() else [])
    out: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for p in paths:
        text = p.read_text(encoding="utf-8").strip()
        prefix = p.stem.removeprefix("real_")[:2]
        lang = prefix if prefix in out else detect(text).lang
        if lang in out:
            out[lang].append(text)
    return {k: v for k, v in out.items() if v}


def long_text(size_kb: int, lang: str = "mixed") -> str:
    """Articles joined by blank lines, cycled until `size_kb` thousand UTF-8 bytes."""
    by_lang = articles_by_lang()
    if lang == "mixed":
        width = max(len(v) for v in by_lang.values())
        order = [v[i % len(v)] for i in range(width) for v in by_lang.values()]
    else:
        order = by_lang[lang]
    parts: list[str] = []
    size, i = 0, 0
    while size < size_kb * 1000:
        parts.append(order[i % len(order)])
        size += len(parts[-1].encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts)


def peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(size_kb: int, lang: str) -> dict:
    from kurultai.pipeline import Pipeline

    data = long_text(size_kb, lang).encode("utf-8")
    pipeline = Pipeline()
    for warm in articles_by_lang().values():  # every analyser built and warm before the clock starts
        pipeline.run_bytes(warm[0].encode("utf-8"), "warm-up")
    t0, c0 = time.perf_counter(), time.process_time()
    result = pipeline.run_bytes(data, f"long-{size_kb}")
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"kb": size_kb, "bytes": len(data), "seconds": elapsed, "cpu": cpu, "events": len(result.events),
            "lang": result.document.lang, "peak_rss_mb": peak_rss_mb()}


def measure(lang: str, sizes: list[int], repeat: int) -> list[str]:
    """One line per size (the fastest of `repeat` runs, each in a process of its own, the sizes taken
    in turn) and one of ratios, for one kind of text."""
    runs: dict[int, list[dict]] = {kb: [] for kb in sizes}
    for _ in range(repeat):
        for kb in sizes:
            out = subprocess.run([sys.executable, __file__, "--child", str(kb), "--lang", lang],
                                 capture_output=True, text=True, check=True)
            runs[kb].append(json.loads(out.stdout.strip().splitlines()[-1]))
    rows = [min(runs[kb], key=lambda r: r["cpu"]) | {"seconds": min(r["seconds"] for r in runs[kb]),
                                                      "peak_rss_mb": max(r["peak_rss_mb"] for r in runs[kb])} for kb in sizes]
    lines = [f"{lang:>5} {r['kb']:>5} KB  {r['seconds']:7.2f} s  CPU {r['cpu']:7.2f} s  {r['bytes'] / r['cpu'] / 1000:6.1f} KB/CPU s"
             f"  peak RSS {r['peak_rss_mb']:4.0f} MB  {r['events']:>3} events  (analysed as {r['lang']})" for r in rows]
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        lines.append(f"{lang:>5} {last['kb']} KB / {first['kb']} KB ({last['bytes'] / first['bytes']:.1f}x the text):"
                     f" time {last['seconds'] / first['seconds']:.1f}x, CPU {last['cpu'] / first['cpu']:.1f}x;"
                     f" peak RSS at most {max(r['peak_rss_mb'] for r in rows):.0f} MB")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="200,500,1000,2000", help="sizes in KB, comma-separated")
    ap.add_argument("--lang", default="mixed", help="mixed, a language code, or all (comma-separated)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size: the fastest is reported")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--write", action="store_true", help="append the result to benchmarks/RESULTS.md")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.lang)))
        return 0
    langs = [x for x in args.lang.split(",") if x] if args.lang != "all" else ["mixed", *LANGS]
    if unknown := [x for x in langs if x not in ("mixed", *LANGS)]:
        ap.error(f"unknown --lang {', '.join(unknown)} (mixed, all or one of {', '.join(LANGS)})")
    lines: list[str] = []
    for lang in langs:
        lines += (measured := measure(lang, [int(x) for x in args.sizes.split(",")], args.repeat))
        print("\n".join(measured), flush=True)
    if args.write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## linear.py --lang {args.lang} --sizes {args.sizes} --repeat {args.repeat}, {dt.date.today().isoformat()}"
                     f" ({machine})\n\nOne document of the project's articles concatenated (see the script), the fastest of"
                     f" {args.repeat} runs per size; target 2 MB in < 10x the time of 200 KB, peak RSS <= 600 MB.\n\n```\n"
                     + "\n".join(lines) + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
