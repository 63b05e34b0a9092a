"""The relevance prefilter: which articles cannot hold a diplomatic event, found before any analysis.

An event needs an encounter word (a trigger of some language's lexicon: "встреча", "talks",
"uchrashuv", "кездесу"...) and a party (a state, an organisation or body, a format, an official or a
place of the KB, in any of their names). So an article that names no encounter or no party is skipped,
and recorded as skipped with its reason, never silently.

One Aho-Corasick automaton holds, for every language at once, the lexicons' trigger words and the KB's
names, each cut to a short prefix ("встре" for встреча / встретился, "кита" for Китай / Китая): a word
of the text that starts with a key counts. The cut keeps the test a necessary condition of what the
analysers match (they match inflected forms of the same stems), so the filter errs towards keeping:
it must never drop an article with a real event (tests/test_relevance.py runs it over the dev corpus,
the samples and the project's test texts). It reads the data files only, no model: one pass over the
text, no language identification (benchmarks/ingest.py measures its speed against the full pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from kurultai.kb import load_kb
from kurultai.kb.gazetteer import TOKEN_RE, normalise
from kurultai.kb.lexicon import available_languages, load_lexicon

ENCOUNTER = 1
PARTY = 2
# lexicon sections whose words tell of an encounter (a trigger noun or verb, a credentials ceremony,
# a departure for a visit, meetings on the sidelines)
ENCOUNTER_SECTIONS = ("triggers", "trigger_verbs", "separate_meetings_cues", "departure_cues")
# KB names that make a party, or tell where a party is
PARTY_KINDS = frozenset({"country", "country_adj", "org", "body", "format", "region", "region_adj", "person",
                         "surname", "place"})
KEY_MAX = 5  # letters of a word a key keeps at most
KEY_MIN = 3  # ...and at least, where the word has them


@dataclass(frozen=True, slots=True)
class Verdict:
    keep: bool
    reason: str = ""  # why an article is skipped


def key_of(word: str) -> str:
    """The prefix a word's forms share: at most KEY_MAX letters, one fewer than the word (an ending may
    change its last letter: Китай / Китая), at least KEY_MIN."""
    w = word.rstrip("*")
    if len(w) <= KEY_MIN:
        return w
    return w[: max(KEY_MIN, min(KEY_MAX, len(w) - 1))]


def _words(phrase: str) -> list[str]:
    return [w for w in TOKEN_RE.findall(normalise(phrase)) if w[0].isalnum()]


def _key_of_phrase(phrase: str) -> str | None:
    """A phrase is present only where its longest word is: that word's key stands for it."""
    words = _words(phrase)
    return key_of(max(words, key=len)) if words else None


def _flatten(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [w for v in value.values() for w in _flatten(v)]
    if isinstance(value, list | tuple):
        return [w for v in value for w in _flatten(v)]
    return []


class Prefilter:
    """Build once per process (`prefilter()`); `verdict(text)` is one scan."""

    def __init__(self) -> None:
        keys: dict[str, int] = {}
        for lang in available_languages():
            lex = load_lexicon(lang)
            for section in ENCOUNTER_SECTIONS:
                for phrase in _flatten(lex.get(section)):
                    if (k := _key_of_phrase(str(phrase))):
                        keys[k] = keys.get(k, 0) | ENCOUNTER
        for entry in load_kb().entries():
            if entry.kind in PARTY_KINDS and (k := _key_of_phrase(entry.name)):
                keys[k] = keys.get(k, 0) | PARTY
        self.automaton = ahocorasick.Automaton()
        for k, kinds in keys.items():
            self.automaton.add_word(k, (kinds, len(k)))
        self.automaton.make_automaton()
        self.keys = len(keys)

    def verdict(self, text: str) -> Verdict:
        folded = normalise(text)
        found = 0
        for end, (kinds, length) in self.automaton.iter(folded):
            if kinds & ~found:
                start = end - length + 1
                if start == 0 or not folded[start - 1].isalnum():  # a word starts with the key
                    found |= kinds
                    if found == ENCOUNTER | PARTY:
                        return Verdict(True)
        if not found & ENCOUNTER and not found & PARTY:
            return Verdict(False, "no encounter word and no state, organisation, official or place named")
        if not found & ENCOUNTER:
            return Verdict(False, "no encounter word (meeting, talks, call, visit, session...)")
        return Verdict(False, "no state, organisation, official or place named")


@lru_cache(maxsize=1)
def prefilter() -> Prefilter:
    return Prefilter()
