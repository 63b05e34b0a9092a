"""Language identification accuracy and confusion table over the project's paragraph set.

    .venv/bin/python benchmarks/lang_id.py [--write]

tests/data/lang_paragraphs.jsonl holds paragraphs the project wrote (ru, kk Cyrillic and Latin, ky, uz
Latin and Cyrillic, tg, tk, en, and Turkish and Azerbaijani, which must not pass for Turkmen or Kazakh;
150-250 characters). The Kazakh Latin ones ("script": "latn-2018" / "latn-2021") are 32 of the set's
Kazakh Cyrillic paragraphs written in the 2018 and 2021 alphabets, and four written in them. With
--write the table is appended to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "lang_paragraphs.jsonl"
LANGS = ("ru", "kk", "ky", "uz", "tg", "tk", "en", "tr", "az")


def evaluate() -> tuple[float, Counter, int, list[tuple[str, str, str]]]:
    from kurultai.lang import detect

    confusion: Counter = Counter()
    errors = []
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        got = detect(row["text"]).lang
        confusion[(row["lang"], got)] += 1
        if got != row["lang"]:
            errors.append((row["lang"], got, row["text"][:80]))
    correct = sum(v for (a, b), v in confusion.items() if a == b)
    return correct / len(rows), confusion, len(rows), errors


def table(confusion: Counter) -> str:
    cols = list(LANGS) + sorted({b for _, b in confusion} - set(LANGS))
    lines = ["| gold \\ detected | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for a in LANGS:
        lines.append(f"| {a} | " + " | ".join(str(confusion.get((a, b), 0)) for b in cols) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    acc, confusion, n, errors = evaluate()
    out = f"accuracy {acc:.3f} over {n} paragraphs\n\n{table(confusion)}\n"
    print(out)
    for gold, got, text in errors:
        print(f"  {gold} -> {got}: {text}")
    if args.write:
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## lang_id.py, {dt.date.today().isoformat()}\n\nParagraph set `tests/data/lang_paragraphs.jsonl`, {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
