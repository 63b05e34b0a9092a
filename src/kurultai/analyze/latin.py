"""A language written in Latin letters read in its Cyrillic script (Kazakh: three official Latin alphabets
and a site's own scheme are in use next to Cyrillic), with the way back to the Latin characters.

The tables are the language's data (lexicon section `latin_script`, see kb/data/lexicon/kk.yaml); this
module holds no letter of any language. `LatinReader.rewrite` writes every word of a Latin text in
Cyrillic, group of letters by group of letters, and returns a `spans.Rewrite`: the analyser reads the
Cyrillic text with its lexicon and KB names as written there, and every span found in it maps back onto
the exact Latin characters it was written from (the one offset map of the project: `spans.Rewrite`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kurultai.spans import Rewrite

# a word: letters (with combining accents), with the apostrophes that some alphabets write after a letter
# ("s'" in 2017)
_LETTER = r"[^\W\d_][\u0300-\u036f]*"
_WORD = re.compile(rf"(?:{_LETTER})+(?:['’](?:{_LETTER})*)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]+")
_ABSENT = 10
_CACHED_WORDS = 100_000  # the words whose Cyrillic an alphabet keeps (a text repeats its words)


def _letters(run: re.Pattern[str], text: str) -> int:
    return sum(m.end() - m.start() for m in run.finditer(text))


@dataclass(frozen=True)
class _Alphabet:
    name: str
    marks: tuple[str, ...]
    letters: dict[str, str]
    longest: int
    words: tuple[tuple[str, str], ...]  # (Latin beginning, Cyrillic), the longest first
    capital_back: str | None
    capital_front: str | None
    back_vowels: str
    absent: tuple[str, ...]  # letters it never writes: each one in the text counts against it
    vowels: frozenset[str]  # (Cyrillic) after which `glide` applies
    glide: dict[str, str]
    after_consonant: dict[str, str]


class LatinReader:
    """Reads a Latin text in Cyrillic after the tables of a lexicon's `latin_script` section."""

    def __init__(self, section: dict) -> None:
        def table(spec: dict, key: str) -> dict[str, str]:
            return {str(k): str(v) for k, v in (spec.get(key) if key in spec else section.get(key) or {}).items()}

        homoglyphs = {str(k): str(v) for k, v in (section.get("homoglyphs") or {}).items()}
        self.alphabets: list[_Alphabet] = []
        self._cache: dict[str, dict[str, tuple[tuple[int, int, str], ...]]] = {}  # alphabet -> word -> pieces
        for name, spec in (section.get("alphabets") or {}).items():
            letters = {str(k): str(v) for k, v in (spec.get("letters") or {}).items()}
            # the same letters with a combining accent ("o" + U+0301), and on a Cyrillic look-alike ("о" + U+0301)
            for k, v in list(letters.items()):
                nfd = unicodedata.normalize("NFD", k)
                if nfd != k:
                    letters.setdefault(nfd, v)
                    for cyr, lat in homoglyphs.items():
                        if nfd.startswith(lat):
                            letters.setdefault(cyr + nfd[len(lat):], v)
            cap = spec.get("capital_i") or {}
            words = sorted(((str(k), str(v)) for k, v in (spec.get("words") or {}).items()), key=lambda kv: -len(kv[0]))
            self.alphabets.append(_Alphabet(str(name), tuple(str(m) for m in spec.get("marks") or []), letters,
                                            max(map(len, letters), default=1), tuple(words),
                                            str(cap["back"]) if cap else None, str(cap["front"]) if cap else None,
                                            str(cap.get("back_vowels") or ""), tuple(str(x) for x in spec.get("absent") or []),
                                            frozenset(str(spec.get("vowels", section.get("vowels")) or "")),
                                            table(spec, "glide"), table(spec, "after_consonant")))

    def alphabet(self, text: str) -> _Alphabet | None:
        """The alphabet whose own letters the text holds most (the first when it holds none of any); a
        letter an alphabet never writes counts against it as ten of its own."""
        if not self.alphabets:
            return None
        low = text.lower()
        counts = [sum(low.count(m) for m in a.marks) - _ABSENT * sum(low.count(x) for x in a.absent) for a in self.alphabets]
        return self.alphabets[max(range(len(counts)), key=lambda i: (counts[i], -i))]

    def rewrite(self, text: str, alphabet: _Alphabet | None = None) -> Rewrite | None:
        """The text in Cyrillic, or None when it is not mostly Latin (a Cyrillic text is read as it is);
        in `alphabet` if given, else in the one `alphabet(text)` finds."""
        if not self.alphabets or _letters(_LATIN_RUN, text) <= _letters(_CYRILLIC_RUN, text):
            return None
        abc = alphabet or self.alphabet(text)
        assert abc is not None
        pieces: list[tuple[int, int, str]] = []
        cache = self._cache.setdefault(abc.name, {})
        for m in _WORD.finditer(text):
            word = m.group()
            written = cache.get(word)
            if written is None:
                if len(cache) > _CACHED_WORDS:
                    cache.clear()
                written = cache[word] = self._word(abc, word) if _LATIN.search(word) else ()  # (a Cyrillic word)
            at = m.start()
            pieces.extend((at + a, at + b, new) for a, b, new in written)
        return Rewrite(text, pieces)

    def _word(self, abc: _Alphabet, word: str) -> tuple[tuple[int, int, str], ...]:
        """The pieces of the word written in Cyrillic: (start, end, Cyrillic) within the word, those
        written letter for letter joined into one."""
        low = self._lower(abc, word)
        if len(low) != len(word):  # a letter whose lower case is longer: left as it is
            return ()
        caps = word.isupper() and len(word) > 1
        out: list[tuple[int, int, str]] = []
        i = 0
        for begin, cyr in abc.words:
            if low.startswith(begin):
                out.append((0, len(begin), self._case(word[:len(begin)], cyr, caps)))
                i = len(begin)
                break
        prev = out[-1][2][-1:].lower() if out else ""
        while i < len(low):
            for n in range(min(abc.longest, len(low) - i), 0, -1):
                cyr = abc.letters.get(low[i:i + n])
                if cyr is not None:
                    break
            else:
                if _CYRILLIC.match(low[i]):  # a Cyrillic letter in a Latin word is read as it is
                    prev = low[i]
                    i += 1
                    continue
                # a letter of no table (c, w, x, an accent: "COVID", "Microsoft"): no Kazakh word, left as written
                return ()
            if prev in abc.vowels and cyr in abc.glide:
                cyr = abc.glide[cyr]
            elif prev and prev not in abc.vowels and cyr in abc.after_consonant:
                cyr = abc.after_consonant[cyr]
            written = self._case(word[i:i + n], cyr, caps)
            if out and len(written) == n and out[-1][1] == i and out[-1][1] - out[-1][0] == len(out[-1][2]):
                out[-1] = (out[-1][0], i + n, out[-1][2] + written)  # letter for letter, as the piece before
            else:
                out.append((i, i + n, written))
            prev = cyr[-1:]
            i += n
        return tuple(out)

    @staticmethod
    def _lower(abc: _Alphabet, word: str) -> str:
        """The word in lower case, a capital I read as one of the two letters it stands for."""
        low = word.replace("İ", "i")
        if abc.capital_back is None or "I" not in low:
            return low.lower()
        back = any(v in abc.back_vowels for v in low.lower())
        return low.replace("I", abc.capital_back if back else abc.capital_front).lower()

    @staticmethod
    def _case(source: str, cyr: str, caps: bool) -> str:
        if caps:
            return cyr.upper()
        return cyr[:1].upper() + cyr[1:] if source[:1].isupper() else cyr
