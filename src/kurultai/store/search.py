"""Full-text search that stems and crosses languages.

What is indexed (SQLite FTS5 tables `documents_fts(title, text, terms)` and `events_fts(summary)`;
PostgreSQL GIN indexes over the same text with the 'simple' configuration, migration 0009):
- a document: its title and text, and `terms`, the stems of their words by its language's stemmer
  (`analyze.stems.text_stems`), so "Ташкент" finds "в Ташкенте";
- an event: `summary`, the words of its fields and the KB names, in every language, of every entity it
  links (states, organisations, the place, the people, the named format), so "Токаев" finds the event of
  an English report of "Tokayev" and "Tashkent" the one of "Тошкентда".

A query is words (all must match); each word matches as itself or its stem in any language
(`analyze.stems.query_forms`), and a word ending in `*` is a prefix ("Tokay*"). Queries are built from
the user's words as data only: quoted FTS5 strings, bound PostgreSQL parameters; a control character is
a blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import reduce
from typing import Any

from sqlalchemy import func

from kurultai.analyze.stems import query_forms, text_stems

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PIECES = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 32
# the text PostgreSQL indexes (GIN over to_tsvector('simple', ...), migration 0009) and SQLite's FTS5 columns
DOCUMENT_FTS_SQL = "coalesce(documents.title, '') || ' ' || documents.text || ' ' || coalesce(documents.terms, '')"
EVENT_FTS_SQL = "events.summary"
DOCUMENT_FTS_COLUMNS = "title, text, terms"


def query_words(q: str) -> list[tuple[str, bool]]:
    """(word, is a prefix) of a query: control characters and quotes are blanks, `*` ends a prefix."""
    q = CONTROL.sub(" ", q).replace('"', " ")
    out = []
    for w in q.split()[:MAX_QUERY_WORDS]:
        prefix = w.endswith("*")
        w = w.strip("*")
        if _PIECES.search(w):
            out.append((w, prefix))
    return out


def fts5_query(q: str) -> str:
    """User words as an FTS5 query: each word as a quoted string, OR its forms (stems in every language),
    AND between words; `"word"*` for a prefix. No operator of the user's reaches FTS5."""
    groups = []
    for w, prefix in query_words(q):
        if prefix:
            groups.append(f'"{w}"*')
            continue
        groups.append("(" + " OR ".join(f'"{f}"' for f in query_forms(w)) + ")")
    return " AND ".join(groups) or '""'


def ts_query(q: str) -> Any:
    """User words as a PostgreSQL tsquery ('simple' configuration) with the meaning of `fts5_query`:
    each form through `plainto_tsquery` (which reads no operator), `:*` only on letters and digits."""
    groups = []
    for w, prefix in query_words(q):
        if prefix:
            pieces = _PIECES.findall(w.lower())
            parts = [func.plainto_tsquery("simple", p) for p in pieces[:-1]]
            parts.append(func.to_tsquery("simple", pieces[-1] + ":*"))
            groups.append(reduce(lambda a, b: a.op("&&")(b), parts))
            continue
        alts = [func.plainto_tsquery("simple", f) for f in query_forms(w)]
        groups.append(reduce(lambda a, b: a.op("||")(b), alts))
    if not groups:
        return func.plainto_tsquery("simple", "")
    return reduce(lambda a, b: a.op("&&")(b), groups)


def _names(by_lang: dict[str, Any]) -> Iterable[str]:
    for names in by_lang.values():
        if isinstance(names, str):
            yield names
        else:
            yield from names


def event_text(named_format: str | None, location: tuple[str, str | None] | None, countries: Iterable[str],
               organizations: Iterable[str], participants: Iterable[tuple[str, str]], topics: Iterable[str],
               outcome_titles: Iterable[str]) -> str:
    """An event's search text (`events.summary`): its fields as written, then the KB names in every
    language of the entities it links; each name once."""
    from kurultai.kb import load_kb

    kb = load_kb()
    countries, organizations, participants = sorted(countries), sorted(organizations), list(participants)
    parts: list[str] = [named_format or "", location[0] if location else ""]
    for iso3 in countries:
        country = kb.countries.get(iso3)
        parts.append(iso3)
        if country:
            parts.extend(n for lang in ("en", "ru") for n in country.names.get(lang, [])[:1])
    parts += organizations
    parts += [f"{name} {name_en}" for name, name_en in participants]
    parts += sorted(topics)
    parts += list(outcome_titles)
    # the KB names of what the event links, in every language
    names: list[str] = []
    for iso3 in countries:
        c = kb.countries.get(iso3)
        if c:
            names += [*_names(c.names), *_names(c.abbr)]
    for oid in organizations:
        o = kb.organizations.get(oid)
        if o:
            names += [*_names(o.names), *_names(o.abbr)]
    if location:
        place = kb.place(location[0], location[1])
        if place:
            names += list(_names(place.names))
    for _, name_en in participants:
        person = kb.person_named(name_en)
        if person:
            names += [*person.names.values(), *person.aliases]
    if named_format and named_format in kb.formats.fixed:
        names += list(_names(kb.formats.fixed[named_format]))
    seen = {p for p in parts if p}
    extra = [n for n in dict.fromkeys(names) if n and n not in seen]
    return " ".join([p for p in parts if p] + extra)


def document_terms(title: str | None, text: str, lang: str | None) -> str:
    """A document's `terms`: the stems of its title's and text's words by its language's stemmer."""
    return text_stems(f"{title or ''}\n{text}", lang)
