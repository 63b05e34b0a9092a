"""The words of a text as full-text search terms: each word and its stem by the language's stemmer (the
analysers' own: `ru.stem`, the Turkic and Tajik suffix models, `en.stem`), so a search for "Ташкент"
finds "в Ташкенте" and one for "Ташкенте" finds "Ташкент".

A query's language is not known: each query word is searched as itself and as its stem in every
language. Stems shorter than `MIN_STEM` letters are no terms (the Russian stem of "Токаев" is "ток",
of "тока" too): the word itself still is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

from kurultai.kb.gazetteer import normalise

SEARCH_LANGS = ("ru", "kk", "ky", "uz", "tg", "tk", "en")
MIN_STEM = 4
MAX_TERMS = 20_000  # distinct stems kept per text (an article has a few hundred)
_WORDS = re.compile(r"[^\W\d_]+(?:['‘’ʻʼ`´][^\W\d_]+)*")


@cache
def stemmer(lang: str) -> Callable[[str], str] | None:
    """The stemmer of `lang`'s analyser (a word in lower case to its stem), or None."""
    if lang == "ru":
        from kurultai.analyze.ru import stem

        return stem
    if lang == "en":
        from kurultai.analyze.en import stem as en_stem

        return en_stem
    if lang in ("kk", "ky", "uz", "tk"):
        from kurultai.analyze.turkic import make_stemmer

        return make_stemmer(lang)
    if lang == "tg":
        from kurultai.analyze.tg import make_stemmer as tg_stemmer

        return tg_stemmer()
    return None


def words(text: str) -> list[str]:
    """The words of `text`, normalised as the gazetteer compares them (lower case, one apostrophe, е for ё)."""
    return [normalise(w) for w in _WORDS.findall(text)]


def _stems(word: str, langs: Iterable[str]) -> set[str]:
    out = set()
    for lang in langs:
        stem = stemmer(lang)
        if stem is not None:
            s = normalise(stem(word))
            if len(s) >= MIN_STEM and s != word:
                out.add(s)
    return out


def text_stems(text: str, lang: str | None) -> str:
    """The distinct stems of the words of `text` by its language's stemmer (those that differ from the
    word), space-separated, in order of first appearance: what a document is indexed under besides its
    words. Empty for a language without a stemmer."""
    if stemmer(lang or "") is None:
        return ""
    seen: dict[str, None] = {}
    for w in words(text):
        for s in _stems(w, (lang,)):
            seen.setdefault(s, None)
        if len(seen) >= MAX_TERMS:
            break
    return " ".join(seen)


def query_forms(word: str) -> list[str]:
    """A query word as the terms it may be indexed under: itself and its stem in every language."""
    w = normalise(word)
    forms = dict.fromkeys([word.lower(), w])  # as typed (the index splits words where it does) and normalised
    if _WORDS.fullmatch(w):
        forms.update(dict.fromkeys(sorted(_stems(w, SEARCH_LANGS))))
    return list(forms)
