"""Aho-Corasick matching of KB names in text, through a language's stemmer.

Text and names are tokenised the same way (words, with hyphens and punctuation as their own tokens)
and each token is reduced to a key by the language's stemmer, so one KB entry "Кыргызская Республика"
finds "Кыргызской Республики" and "Кыргызская Республика" alike; Turkic stemmers strip the
case and possessive endings glued to names. A name written with capitals only matches capitalised
words (so the country "Мали" never matches "малых"); abbreviations match case-sensitively on the
surface; adjective stems match as word prefixes ("кыргызско-российских").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import ahocorasick

from kurultai.spans import Taken

APOSTROPHES = "'‘’ʻʼ`´"
TOKEN_RE = re.compile(rf"[^\W_]+(?:[{APOSTROPHES}][^\W_]+)*|[^\w\s]", re.UNICODE)
_FOLD = str.maketrans({**{d: "-" for d in "‐‑‒–—―−"}, **{a: "ʻ" for a in APOSTROPHES}, "ё": "е"})


def normalise(word: str) -> str:
    """Lower case, NFC, one apostrophe (ʻ) for the Uzbek letters oʻ / gʻ, ё -> е, one dash for all
    ("Марказий Осиё—Европа" / "Марказий Осиё – Европа")."""
    return unicodedata.normalize("NFC", word).lower().translate(_FOLD)


_ABBR_WITH_ENDING = re.compile(r"([^\W\d_a-zа-яё]{2,})([^\W\d_A-ZА-ЯЁ]{1,6})")


def abbreviation(word: str) -> str:
    """An abbreviation with a case ending glued on, as Turkic languages write them ("КМШнын", "BMTning",
    "ШКУнун", "МИДа"), is compared without the ending."""
    m = _ABBR_WITH_ENDING.fullmatch(word)
    if m and m.group(1).isupper() and m.group(2).islower():
        return m.group(1)
    return word


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int
    text: str

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


def tokens(text: str) -> list[Tok]:
    return [Tok(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


@dataclass(frozen=True, slots=True)
class Entry:
    """One name of one KB item. kind: country | country_adj | org | place | person | surname | region |
    region_adj | body | format | cue (a lexicon phrase)."""

    kind: str
    id: str
    name: str
    prefix: bool = False  # match as a word prefix (adjective stems, "безопасност*")
    exact: bool = False  # case-sensitive surface match (abbreviations)
    priority: int = 0
    max_tail: int | None = None  # prefix entries: at most this many letters may follow the stem


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # char offsets into the text
    end: int
    tok_start: int
    tok_end: int  # exclusive
    entry: Entry

    @property
    def text_len(self) -> int:
        return self.end - self.start


Stemmer = Callable[[str], str]


MAX_KEYS_PER_NAME = 32


class Gazetteer:
    """`stem` reduces a text word to its key; `name_keys` (optional) gives every key a KB name word may
    meet in text (the stems of its case forms), for languages whose stems alone do not line up."""

    def __init__(self, entries: Iterable[Entry], stem: Stemmer, name_keys: Callable[[str], frozenset[str]] | None = None,
                 fold: Callable[[str], str] | None = None):
        self.stem = stem
        self.name_keys = name_keys
        # a word's written form for matching: `normalise`, or a language's folding of its scripts and
        # spellings into one (Uzbek Cyrillic and Latin with any apostrophe)
        self.fold = fold or normalise
        self._stemmed = ahocorasick.Automaton()
        self._exact = ahocorasick.Automaton()
        self._surface = ahocorasick.Automaton()
        self._prefix = ahocorasick.Automaton()
        n = 0
        for e in entries:
            toks = tokens(e.name.rstrip("*"))
            if not toks:
                continue
            prefix = e.prefix or e.name.endswith("*")
            if e.exact and not any(ch.isupper() for ch in e.name):
                # a lower-case form matched as written (after case and apostrophe normalisation)
                key = " " + " ".join(self.fold(t.text) for t in toks) + " "
                self._add(self._surface, key, (e, tuple(False for _ in toks)))
            elif e.exact:
                key = " " + " ".join(t.text for t in toks) + " "
                self._add(self._exact, key, (e, tuple(False for _ in toks)))
            elif prefix and len(toks) == 1:
                self._add(self._prefix, self.fold(toks[0].text), (e, (False,)))
            else:
                # a capitalised name is found by its first capital: the words after it are often written
                # in lower case ("Европа иттифоқи", "Европейский союз")
                caps = tuple(t.cap and i == 0 for i, t in enumerate(toks))
                for keys in self._name_variants(e, toks, prefix):
                    key = " " + " ".join(keys) + (" " if not prefix else "")
                    self._add(self._stemmed, key, (e, caps))
            n += 1
        self.size = n
        for a in (self._stemmed, self._exact, self._surface, self._prefix):
            if len(a):
                a.make_automaton()

    @staticmethod
    def _add(auto: ahocorasick.Automaton, key: str, value: tuple) -> None:
        """Values are (key length, [(entry, caps), ...]): several entries may share one key."""
        if key in auto:
            values = auto.get(key)[1]
            if value not in values:
                values.append(value)
        else:
            auto.add_word(key, (len(key), [value]))

    def _name_variants(self, e: Entry, toks: list[Tok], prefix: bool) -> list[list[str]]:
        keys: list[list[str]] = [[self._key(t.text)] for t in toks]
        if self.name_keys is not None:
            for i, t in enumerate(toks):
                w = self.fold(t.text)
                if w[:1].isalpha():
                    # (a case form's stem of two letters is another word: "Об" of "Обама")
                    keys[i] = sorted(set(keys[i]) | {k for k in self.name_keys(w) if len(k) >= min(3, len(w))})
        if prefix:  # a multi-word phrase whose last word is a prefix: its stem starts the text word's stem
            keys[-1] = [self._key(toks[-1].text)]
        combos: list[list[str]] = [[]]
        for options in keys:
            combos = [c + [o] for c in combos for o in options][:MAX_KEYS_PER_NAME]
        return combos

    def _key(self, word: str) -> str:
        return self._folded_key(self.fold(word))

    def _folded_key(self, w: str) -> str:
        return self.stem(w) if w[:1].isalpha() else normalise(w)

    def find_all(self, text: str, toks: list[Tok] | None = None) -> list[Match]:
        """Every match of every entry, overlapping ones included (see `resolve`)."""
        toks = tokens(text) if toks is None else toks
        out: list[Match] = []
        folded = [self.fold(t.text) for t in toks]  # (once for the three readings that use it)
        out.extend(self._scan(self._stemmed, toks, [self._folded_key(w) for w in folded], check_caps=True))
        out.extend(self._scan(self._exact, toks, [t.text for t in toks], check_caps=False))
        bare = [abbreviation(t.text) for t in toks]
        if any(b != t.text for b, t in zip(bare, toks, strict=True)):
            out.extend(self._scan(self._exact, toks, bare, check_caps=False))
        out.extend(self._scan(self._surface, toks, folded, check_caps=False))
        if len(self._prefix):
            for i, (t, w) in enumerate(zip(toks, folded, strict=True)):
                for end, (klen, values) in self._prefix.iter(w):
                    if end + 1 - klen == 0:  # the stem starts the word
                        tail = len(w) - klen
                        out.extend(Match(t.start, t.end, i, i + 1, e) for e, _ in values
                                   if e.max_tail is None or tail <= e.max_tail)
        return out

    def _scan(self, auto: ahocorasick.Automaton, toks: list[Tok], keys: list[str], check_caps: bool) -> Iterator[Match]:
        if not len(auto) or not toks:
            return
        s = " " + " ".join(keys) + " "
        key_starts: list[int] = []  # where each token's key begins in s
        pos = 1
        for k in keys:
            key_starts.append(pos)
            pos += len(k) + 1
        for end, (klen, values) in auto.iter(s):
            first = bisect_left(key_starts, end - klen + 2)  # the token whose key the match begins with
            if first == len(key_starts) or key_starts[first] != end - klen + 2:
                continue
            # the token whose key (or the space after it) the match ends in: prefix phrases end mid-key
            last = bisect_right(key_starts, end if s[end] != " " else end - 1) - 1
            if last < first:
                continue
            for e, caps in values:
                if check_caps and any(c and not toks[first + j].cap for j, c in enumerate(caps) if first + j <= last):
                    continue
                yield Match(toks[first].start, toks[last].end, first, last + 1, e)


def resolve(matches: Iterable[Match], kinds: set[str] | None = None) -> list[Match]:
    """Longest non-overlapping matches (ties: higher priority first, then earlier)."""
    cand = [m for m in matches if kinds is None or m.entry.kind in kinds]
    cand.sort(key=lambda m: (-(m.tok_end - m.tok_start), -m.text_len, -m.entry.priority, m.start))
    taken = Taken()
    out: list[Match] = []
    for m in cand:
        if taken.free(m.start, m.end):
            taken.take(m.start, m.end)
            out.append(m)
    out.sort(key=lambda m: m.start)
    return out
