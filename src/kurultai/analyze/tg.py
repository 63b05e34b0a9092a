"""Tajik: a Persian language written in Cyrillic. No offline NER or morphology model exists for it, so
the KB, a model of its suffixes, capitalisation and role patterns carry it, as for the Turkic languages.

The suffix model: Tajik nouns take few endings, all glued on — the plural (-ҳо, -он / -ён / -гон /
-вон), the ezafe that links a noun to what follows (-и; -и after a vowel, -ии after the adjective
-ӣ: "Ҷумҳурии Тоҷикистон"), the direct-object marker -ро and the possessive pronouns (-ам, -ат,
-аш, -амон, -атон, -ашон) — while cases are prepositions ("дар Маскав", "бо Сергей Лавров"). A word is
reduced by stripping them, from the end and at most three times ("корҳои" -> "кор", "вазиронро" ->
"вазир", "хориҷии" -> "хориҷ"), keeping a stem of at least three letters. KB names go through the same
reduction, so a name in any form meets its KB entry. The enclitic "and" (-у after a consonant:
"Тоҷикистону Ӯзбекистон", Tajikistan and Uzbekistan) is stripped like an ending.

The order of a role is the Russian one (role, owner in the ezafe, name: "вазири корҳои хориҷии
Ҷумҳурии Тоҷикистон Сироҷиддин Муҳриддин") or an apposition after the name ("Сироҷиддин Муҳриддин,
вазири корҳои хориҷии Тоҷикистон"): the shared role attachment reads both.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kurultai.analyze.base import Analyser
from kurultai.analyze.ru import transliterate as ru_transliterate
from kurultai.analyze.turkic import _names_after_roles, _split_sentences
from kurultai.kb import KB
from kurultai.kb.gazetteer import Match, Tok, normalise
from kurultai.kb.lexicon import load_lexicon

# endings, stripped longest first, at most three times (the ezafe after -ӣ is "-ии": "ҷумҳурии")
SUFFIXES = ["ҳоямон", "ҳоятон", "ҳояшон", "ҳояш", "ҳоям", "ҳоят", "ҳоро", "ҳои", "ҳо", "гони", "гон", "вони", "вон", "ёни", "ён",
            "они", "онро", "он", "ашон", "атон", "амон", "ро", "аш", "ии", "ӣ", "и", "е", "у"]
# endings a name may carry in the text (object marker, ezafe after a vowel-final name)
NAME_ENDINGS = ["ро"]
# Tajik news write its letters and their Russian look-alikes interchangeably in names and loanwords
# ("Кувайт" / "Қувайт", "суҳбат" / "сӯҳбат"), and the KB holds both Russian and Tajik names: matching
# folds the Tajik letters onto Russian ones, in the text and in every entry alike
_FOLD = str.maketrans({"қ": "к", "ғ": "г", "ҳ": "х", "ҷ": "ч", "ӣ": "и", "ӯ": "у"})


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    return normalise(word).translate(_FOLD)


_TG_LATIN = {"ҳ": "h", "ӣ": "i", "ӯ": "u", "ҷ": "j", "қ": "q", "ғ": "gh", "Ҳ": "H", "Ӣ": "I", "Ӯ": "U", "Ҷ": "J", "Қ": "Q", "Ғ": "Gh"}


def make_stemmer():
    endings = sorted({fold(e) for e in SUFFIXES}, key=len, reverse=True)

    @lru_cache(maxsize=200_000)
    def stem(word: str) -> str:
        w = fold(word)
        for _ in range(3):
            for e in endings:
                if w.endswith(e) and len(w) - len(e) >= 3:
                    w = w[: -len(e)]
                    break
            else:
                break
        return w

    return stem


class TajikAnalyser(Analyser):
    lang = "tg"

    def __init__(self, kb: KB):
        super().__init__(kb, load_lexicon("tg"), make_stemmer(), fold=fold)

    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        return _split_sentences(text)

    def extra_persons(self, text: str, toks: list[Tok], found: list[Match]) -> list[tuple[int, int, str]]:
        # the owner of a role stands between the role and the name ("вазири корҳои хориҷии Канада
        # Франсуа-Филипп Шампан"): skip it
        return _names_after_roles(self, text, toks, found, skip_owner=True)

    def nominative(self, surface: str, other_forms: list[str] | None = None) -> str:
        words = surface.split()
        if not words:
            return surface
        last = words[-1]
        for e in NAME_ENDINGS:
            if last.lower().endswith(e) and len(last) - len(e) >= 4:
                last = last[: -len(e)]
                break
        return " ".join(words[:-1] + [last])

    def transliterate(self, name: str) -> str:
        if re.search(r"[A-Za-z]", name):
            return name
        return ru_transliterate("".join(_TG_LATIN.get(ch, ch) for ch in name))
