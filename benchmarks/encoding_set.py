"""Wrong-decoding rate of `kurultai.clean.decode` over the project's encoding set.

    .venv/bin/python benchmarks/encoding_set.py [--write] [--show N]

The set: every paragraph of tests/data/lang_paragraphs.jsonl (written by the project: ru, kk, ky, uz, tg,
tk, en, tr, az) alone and in articles of three paragraphs of one language, each as bytes in UTF-8, UTF-8
cut inside its last character, UTF-8 with two bytes replaced by 0xFF, UTF-8 with one byte dropped inside a
character, UTF-16 LE and BE without BOM, and every code page of `CODE_PAGES` that can encode it (pure
ASCII is UTF-8 only). An input is right when it decodes to the text (cut: without its last character;
damaged: with the bad bytes replaced by U+FFFD), rejected on an InputError, wrong otherwise: wrong is
garbage that would be stored, so the target is 0. tests/test_hostile_inputs.py holds the target; with
--write the table is appended to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "lang_paragraphs.jsonl"
CODE_PAGES = ("cp1251", "koi8_r", "mac_cyrillic", "cp866", "iso8859_5", "kz1048", "koi8_t", "cp1250", "cp1252",
              "cp1254", "latin_1")
OUTCOMES = ("right", "rejected", "wrong")


def texts() -> Iterator[tuple[str, str]]:
    """(language, text): every paragraph, then articles of three paragraphs of one language."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_lang[row["lang"]].append(row["text"])
    for lang, paragraphs in by_lang.items():
        for p in paragraphs:
            yield lang, p
    for lang, paragraphs in by_lang.items():
        for i in range(0, len(paragraphs) - 2, 3):
            yield lang, "\n\n".join(paragraphs[i:i + 3])


def variants(text: str, seed: int) -> Iterator[tuple[str, bytes, str]]:
    """(variant, bytes, the text they must decode to) for one text."""
    raw = text.encode("utf-8")
    yield "utf-8", raw, text
    if not raw.isascii():
        last = max(i for i, b in enumerate(raw) if b >= 0xC0)  # the lead byte of the last non-ASCII character
        cut = raw[:last + 1]
        yield "utf-8 cut in last char", cut, cut.decode("utf-8", errors="ignore")
        inner = [i for i, b in enumerate(raw) if 0x80 <= b < 0xC0]
        dropped = bytearray(raw)
        del dropped[random.Random(seed).choice(inner)]
        yield "utf-8 byte dropped", bytes(dropped), bytes(dropped).decode("utf-8", errors="replace")
    rng = random.Random(seed + 1)
    damaged = bytearray(raw)
    for i in rng.sample(range(len(raw)), 2):
        damaged[i] = 0xFF
    yield "utf-8 two bad bytes", bytes(damaged), bytes(damaged).decode("utf-8", errors="replace")
    yield "utf-16-le no BOM", text.encode("utf-16-le"), text
    yield "utf-16-be no BOM", text.encode("utf-16-be"), text
    if raw.isascii():
        return
    for cp in CODE_PAGES:
        try:
            yield cp, text.encode(cp), text
        except UnicodeEncodeError:
            continue


def measure() -> tuple[Counter, list[tuple[str, str, str, str]]]:
    """Counts by (variant, outcome), and (language, variant, outcome, what came out) for the misses."""
    from kurultai.clean import InputError, decode

    counts: Counter = Counter()
    misses = []
    for n, (lang, text) in enumerate(texts()):
        for variant, data, expected in variants(text, n):
            try:
                got = decode(data)
            except InputError as exc:
                outcome, shown = "rejected", str(exc)
            else:
                outcome = "right" if got == expected else "wrong"
                shown = got[:70]
            counts[(variant, outcome)] += 1
            if outcome != "right":
                misses.append((lang, variant, outcome, shown))
    return counts, misses


def table(counts: Counter) -> str:
    rows = sorted({v for v, _ in counts}, key=lambda v: (not v.startswith("utf"), v))
    lines = ["| input | n | right | rejected | wrong |", "|---|---|---|---|---|"]
    for v in [*rows, "all"]:
        c = {o: sum(n for (v2, o2), n in counts.items() if o2 == o and v in (v2, "all")) for o in OUTCOMES}
        lines.append(f"| {v} | {sum(c.values())} | " + " | ".join(str(c[o]) for o in OUTCOMES) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--show", type=int, default=20, help="misses to print")
    args = ap.parse_args()
    from charset_normalizer import __version__ as cn_version

    counts, misses = measure()
    total = sum(counts.values())
    wrong = sum(n for (_, o), n in counts.items() if o == "wrong")
    rejected = sum(n for (_, o), n in counts.items() if o == "rejected")
    out = (f"{total} inputs: wrong {wrong} ({wrong / total:.2%}), rejected {rejected} ({rejected / total:.2%})"
           f"\n\n{table(counts)}\n")
    print(out)
    for lang, variant, outcome, shown in misses[: args.show]:
        print(f"  {outcome}: {lang} {variant}: {shown!r}")
    if args.write:
        machine = f"{platform.machine()}, Python {platform.python_version()}, charset-normalizer {cn_version}"
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## encoding_set.py, {dt.date.today().isoformat()} ({machine})\n\n{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
