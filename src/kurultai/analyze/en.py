"""English: KB + a light stemmer (plural, possessive) + role patterns + capitalised names after roles."""

from __future__ import annotations

from functools import lru_cache

from kurultai.analyze.base import Analyser
from kurultai.analyze.turkic import _names_after_roles, _split_sentences
from kurultai.kb import KB
from kurultai.kb.gazetteer import APOSTROPHES, Match, Tok
from kurultai.kb.lexicon import load_lexicon


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    w = word
    for a in APOSTROPHES + "ʻ":
        if w.endswith(a + "s"):
            return w[:-2]
        w = w.rstrip(a)
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ses", "xes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


class EnglishAnalyser(Analyser):
    lang = "en"

    def __init__(self, kb: KB):
        super().__init__(kb, load_lexicon("en"), stem)

    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        return _split_sentences(text)

    def extra_persons(self, text: str, toks: list[Tok], found: list[Match]) -> list[tuple[int, int, str]]:
        return _names_after_roles(self, text, toks, found)

    def nominative(self, surface: str, other_forms: list[str] | None = None) -> str:
        for a in APOSTROPHES + "ʻ":
            if surface.endswith(a + "s"):
                return surface[:-2]
        return surface
