"""The values a filter accepts, checked once for the command line, the API and the dashboard (issue 13,
item 8): an unknown value is an error that says what is wrong and lists the valid ids (CLI exit 2, a
422), never a silent empty answer.

`resolve(q)` turns what a user typed into the ids the store holds: a state by its ISO3 code or its name
in any language of the KB ("Kyrgyzstan", "Кыргызстан", "Qirgʻiziston" -> KGZ) when the name is one
state's only; an organisation by its id, name or abbreviation ("ОДКБ" -> CSTO); topics, roles,
formats, statuses, modes and review states by their ids in any case; and the dates in order.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import get_args

from kurultai import models
from kurultai.folding import fold
from kurultai.store.queries import SearchQuery
from kurultai.store.review import REVIEWS

TOPICS: tuple[str, ...] = get_args(models.Topic)
ROLES: tuple[str, ...] = get_args(models.Role)
STATUSES: tuple[str, ...] = get_args(models.Status)
MODES: tuple[str, ...] = get_args(models.Mode)
FORMAT_KINDS: tuple[str, ...] = get_args(models.FormatKind)


class FilterError(ValueError):
    """A filter value that names nothing: `param` is the filter (the API's name), the message what is
    wrong and what is valid."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


def _ids(values) -> str:
    return ", ".join(values)


@cache
def _country_names() -> dict[str, frozenset[str]]:
    """{folded name, abbreviation or code in any language: the ISO3 codes it names}."""
    from kurultai.kb import load_kb

    out: dict[str, set[str]] = defaultdict(set)
    for c in load_kb().countries.values():
        out[fold(c.iso3)].add(c.iso3)
        if c.iso2:
            out[fold(c.iso2)].add(c.iso3)
        for table in (c.names, c.abbr):
            for names in table.values():
                for n in names:
                    out[fold(n)].add(c.iso3)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def _org_names() -> dict[str, frozenset[str]]:
    from kurultai.kb import load_kb

    out: dict[str, set[str]] = defaultdict(set)
    for o in load_kb().organizations.values():
        out[fold(o.id)].add(o.id)
        for table in (o.names, o.abbr):
            for names in table.values():
                for n in names:
                    out[fold(n)].add(o.id)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def countries() -> tuple[str, ...]:
    from kurultai.kb import load_kb

    return tuple(sorted(load_kb().countries))


@cache
def organizations() -> tuple[str, ...]:
    from kurultai.kb import load_kb

    return tuple(sorted(load_kb().organizations))


@cache
def named_formats() -> tuple[str, ...]:
    """The standing formats of the KB (C5+<ISO3> takes any state of the KB besides)."""
    from kurultai.kb import load_kb

    kb = load_kb()
    bodies = {f"{o.id}:{b}" for o in kb.organizations.values() for b in o.bodies.values()}
    return tuple(sorted({"C5", "C5+EU", *kb.formats.fixed, *bodies}))


def country(value: str, param: str = "country") -> str:
    got = _country_names().get(fold(value))
    if got and len(got) == 1:
        return next(iter(got))
    if got:
        raise FilterError(param, f"{value!r} names several states ({_ids(sorted(got))}); give one ISO3 code")
    raise FilterError(param, f"{value!r} is no state of the KB; give an ISO 3166 alpha-3 code or a state's name "
                             f"in any language ({_ids(countries())})")


def organization(value: str, param: str = "org") -> str:
    got = _org_names().get(fold(value))
    if got and len(got) == 1:
        return next(iter(got))
    if got:
        raise FilterError(param, f"{value!r} names several organisations ({_ids(sorted(got))}); give one id")
    raise FilterError(param, f"{value!r} is no organisation of the KB; ids: {_ids(organizations())}")


def named_format(value: str, param: str = "format") -> str:
    low = value.strip().lower()
    if low in FORMAT_KINDS:
        return low
    up = value.strip().upper()
    if up in named_formats():
        return up
    if up.startswith("C5+") and up[3:] in countries():
        return up
    raise FilterError(param, f"{value!r} is no format; one of {_ids(FORMAT_KINDS)}, C5+<ISO3> (C5+RUS, C5+CHN...) "
                             f"or {_ids(named_formats())}")


def one_of(value: str, allowed: tuple[str, ...], param: str, what: str) -> str:
    low = value.strip().lower()
    if low in allowed:
        return low
    raise FilterError(param, f"{value!r} is no {what}; one of {_ids(allowed)}")


def resolve(q: SearchQuery) -> SearchQuery:
    """`q` with every filter value as the store holds it; raises `FilterError` on a value that names
    nothing, or `from` after `to`."""
    if q.country:
        q.country = country(q.country)
    if q.org:
        q.org = organization(q.org)
    if q.format:
        q.format = named_format(q.format)
    if q.topic:
        q.topic = one_of(q.topic, TOPICS, "topic", "topic")
    if q.role:
        q.role = one_of(q.role, ROLES, "role", "role")
    if q.status:
        q.status = one_of(q.status, STATUSES, "status", "status")
    if q.mode:
        q.mode = one_of(q.mode, MODES, "mode", "mode")
    if q.review:
        q.review = one_of(q.review, REVIEWS, "review", "review state")
    if q.date_from and q.date_to and q.date_from > q.date_to:
        raise FilterError("from", f"{q.date_from.isoformat()} is after 'to' {q.date_to.isoformat()}")
    return q
