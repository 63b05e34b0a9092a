"""A suffix grammar for agglutinative verbs: a verb stem of the lexicon, then the endings of the
language's grammar, read as what they say of an encounter.

A word is `stem + voice* + tense + tail*`: the stem comes from the lexicon (`verb_stems`, e.g. the
Kyrgyz "жолугуш" of "to meet each other"), the voice endings (reciprocal, passive, causative), one
tense ending and the tail (person, number, possessive and case endings) from its `verb_grammar`.
The tense classes the extractor reads:

- `past`, `present` (an event taking place now is reported as held), `future` (an announced event),
  `reported` (a past participle with a possessive: "(it was reported) that he had met", background),
  `participle` (a past participle: "the meeting held", or in Turkic news often the finite "has met"),
  `converb` ("meeting ..., they discussed"), `noun` (a verbal noun: "the meeting", with any case).

Nothing here knows a language: every ending is data (kb/data/lexicon/LANG.yaml). The whole word must
parse, so a stem alone never fires inside an unrelated word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

TENSES = ("past", "present", "future", "reported", "participle", "converb", "noun")


@dataclass(frozen=True)
class VerbParse:
    stem: str
    # the lexicon keys of the stem ("meeting", "occurrence", "adopt" ...), each with the words that
    # must stand before the verb (none for a one-word verb; "кабыл" for "кабыл ал-": to receive)
    cues: tuple[tuple[tuple[str, ...], str], ...]
    tense: str
    voice: str  # the voice endings, as written ("ыш", "ыл"...)


def _alt(words: list[str]) -> str:
    ordered = sorted({str(w) for w in words if str(w)}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered) or "(?!x)x"


class VerbGrammar:
    """Parses a (lower-case, normalised) word against the stems and endings of one lexicon."""

    def __init__(self, grammar: dict[str, Any] | None, stems: dict[str, list[str]] | None,
                 fold=lambda w: w):
        self.fold = fold
        grammar = grammar or {}
        self.enabled = bool(grammar) and bool(stems)
        tenses = grammar.get("tense") or {}
        tense_re = "|".join(f"(?P<{t}>{_alt([fold(str(x)) for x in tenses.get(t) or []])})" for t in TENSES)
        voice = _alt([fold(str(x)) for x in grammar.get("voice") or []])
        tail = _alt([fold(str(x)) for x in grammar.get("tail") or []])
        self._rest = re.compile(rf"(?P<voice>(?:{voice}){{0,3}}?)(?:{tense_re})(?:{tail}){{0,4}}")
        # the verb's own stem (the last word of a phrase) -> [(words before it, cue)], longest phrase first
        self.stems: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for cue, entries in (stems or {}).items():
            for w in entries or []:
                words = [fold(x) for x in str(w).lower().split()]
                self.stems.setdefault(words[-1], []).append((tuple(words[:-1]), str(cue)))
        for options in self.stems.values():
            options.sort(key=lambda o: -len(o[0]))
        self._lengths = sorted({len(s) for s in self.stems}, reverse=True)
        self.min_rest = int(grammar.get("min_ending", 1))

    @lru_cache(maxsize=100_000)  # noqa: B019 - one grammar per language, built once per process
    def parse(self, word: str) -> VerbParse | None:
        """The reading of `word` as one of the stems with a full chain of endings, longest stem first."""
        if not self.enabled:
            return None
        w = self.fold(word.lower())
        for n in self._lengths:
            if n >= len(w):
                continue
            cues = self.stems.get(w[:n])
            if cues is None:
                continue
            rest = w[n:]
            if len(rest) < self.min_rest:
                continue
            m = self._rest.fullmatch(rest)
            if m is None:
                continue
            tense = next(t for t in TENSES if m.group(t) is not None)
            return VerbParse(w[:n], tuple(cues), tense, m.group("voice"))
        return None
