"""One analyser per language, all producing the same `Analysis`; each is built once per process."""

from __future__ import annotations

from functools import cache

from kurultai.analyze.base import Analyser, Analysis, Mention, PersonRef, Sentence
from kurultai.kb import load_kb

__all__ = ["Analyser", "Analysis", "Mention", "PersonRef", "Sentence", "get_analyser", "SUPPORTED"]

SUPPORTED = ("ru", "kk", "ky", "uz", "tg", "tk", "en")


@cache
def get_analyser(lang: str) -> Analyser | None:
    """The analyser of `lang`, or None when Kurultai cannot analyse that language yet."""
    kb = load_kb()
    if lang == "ru":
        from kurultai.analyze.ru import RussianAnalyser

        return RussianAnalyser(kb)
    if lang == "tg":
        from kurultai.analyze.tg import TajikAnalyser

        return TajikAnalyser(kb)
    if lang in ("kk", "ky", "uz", "tk"):
        from kurultai.analyze.turkic import TurkicAnalyser

        return TurkicAnalyser(kb, lang)
    if lang == "en":
        from kurultai.analyze.en import EnglishAnalyser

        return EnglishAnalyser(kb)
    return None
