"""The words a full-text search matched, in their sentences (issue 13, item 12): what a search result shows
under `q=`. A word of an article matches a query word as the search does (`store.search`): as itself,
or one of the query word's forms (its stems in every language), or by its own stem in the article's
language; a query word ending in `*` is a prefix. Snippets are `Segment`s (text and whether it is a hit),
escaped by the template like any article text."""

from __future__ import annotations

import re
from typing import Any

from kurultai.analyze.stems import query_forms, stemmer
from kurultai.folding import fold
from kurultai.store.search import query_words

_WORD = re.compile(r"[^\W_]+")
WIDTH = 70  # characters of context either side of a hit
MOST = 2  # snippets per event


def _forms(q: str) -> tuple[set[str], tuple[str, ...]]:
    exact: set[str] = set()
    prefixes: list[str] = []
    for w, prefix in query_words(q):
        if prefix:
            prefixes.append(fold(w))
        else:
            exact.update(fold(f) for f in query_forms(w))
    return exact, tuple(prefixes)


def _hits(text: str, lang: str | None, exact: set[str], prefixes: tuple[str, ...]) -> list[tuple[int, int]]:
    stem = stemmer(lang or "")
    out = []
    for m in _WORD.finditer(text):
        w = fold(m.group())
        if w in exact or (prefixes and w.startswith(prefixes)):
            out.append(m.span())
        elif stem is not None and len(w) > 3:
            try:
                if stem(w) in exact:
                    out.append(m.span())
            except Exception:  # noqa: BLE001 - a stemmer's oddity on one word is no hit, never an error page
                continue
    return out


def snippets(q: str | None, texts: list[tuple[str, str | None]], most: int = MOST) -> list[list[dict[str, Any]]]:
    """Up to `most` snippets of the texts (text, language) where `q`'s words occur: each a list of
    {"text", "hit"} pieces, the hits marked (the page collapses their line breaks)."""
    if not q:
        return []
    exact, prefixes = _forms(q)
    if not exact and not prefixes:
        return []
    out: list[list[dict[str, Any]]] = []
    for text, lang in texts:
        hits = _hits(text, lang, exact, prefixes)
        i = 0
        while i < len(hits) and len(out) < most:
            a = max(0, hits[i][0] - WIDTH)
            b = min(len(text), hits[i][1] + WIDTH)
            inside = []
            while i < len(hits) and hits[i][1] <= b:
                inside.append(hits[i])
                i += 1
            pieces, at = [], a
            for s, e in inside:
                if s > at:
                    pieces.append({"text": text[at:s], "hit": False})
                pieces.append({"text": text[s:e], "hit": True})
                at = e
            if at < b:
                pieces.append({"text": text[at:b], "hit": False})
            out.append(pieces)
        if len(out) >= most:
            break
    return out
