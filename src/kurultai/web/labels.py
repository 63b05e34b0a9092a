"""Words for the dashboard (issue 13, item 11): what a person reads instead of the store's codes.

Every label comes from data: the tables below for the guide's closed vocabularies (mode, role, status,
topic, outcome and figure kinds), the knowledge base for the names of states, organisations, their
bodies and the standing formats. Nothing here knows any article: `summary` builds an event's one line
from its fields, and `evidence_key` tells which field an event-level evidence span supports by looking
its words up in the KB and the lexicons, the way the extraction found them.
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from typing import Any

from kurultai.folding import fold

MODES = {"in_person": "in person", "video": "online", "phone": "by phone"}
# how the one-line summary says it happened ("met by video", "spoke by phone")
MODE_VERBS = {"in_person": ("met", "are to meet"), "video": ("met by video", "are to meet by video"),
              "phone": ("spoke by phone", "are to speak by phone")}
ROLES = {"head_of_state": "head of state", "head_of_government": "head of government",
         "foreign_minister": "foreign minister", "deputy_foreign_minister": "deputy foreign minister",
         "minister": "minister", "ambassador": "ambassador", "head_of_organization": "head of an organisation",
         "other": "official"}
ROLES_SHORT = {"head_of_state": "head of state", "head_of_government": "PM", "foreign_minister": "FM",
               "deputy_foreign_minister": "deputy FM", "minister": "minister", "ambassador": "ambassador",
               "head_of_organization": "head", "other": ""}
STATUSES = {"held": "held", "planned": "planned", "referenced": "mentioned"}
KINDS = {"bilateral": "bilateral", "multilateral": "multilateral"}
TOPICS = {"security": "security", "borders": "borders", "trade": "trade", "transport": "transport", "energy": "energy",
          "water": "water", "investment": "investment", "industry": "industry", "agriculture": "agriculture",
          "health": "health", "migration": "migration", "culture": "culture", "education": "education",
          "digital": "digital economy", "environment": "environment", "afghanistan": "Afghanistan",
          "international": "international affairs"}
OUTCOMES = {"agreement": "agreement", "memorandum": "memorandum", "joint_statement": "joint statement",
            "declaration": "declaration", "plan": "plan", "protocol": "protocol", "other": "document"}
INDICATORS = {"trade_turnover": "trade turnover", "investment": "investment", "other": "figure"}
FIGURE_KINDS = {"actual": "actual", "target": "target"}
VISITS = {"state": "state visit", "official": "official visit", "working": "working visit", "unspecified": "visit"}
PRECISIONS = {"day": "day", "month": "month", "year": "year"}
FIELDS = {"event": "meeting", "date": "date", "location": "place", "visit": "visit", "participant": "participant",
          "outcome": "outcome", "figure": "figure", "mode": "mode", "format": "format", "country": "country",
          "organization": "organisation", "topic": "topic"}


def word(table: dict[str, str], code: str | None) -> str:
    """`code`'s label in `table`; an unknown code as itself with underscores as spaces."""
    if code is None:
        return ""
    return table.get(code) or code.replace("_", " ")


def _kb():
    from kurultai.kb import load_kb

    return load_kb()


@lru_cache(maxsize=4096)
def country(iso3: str | None) -> str:
    """The English name of a state (the KB's first), or the code when the KB has none."""
    if not iso3:
        return ""
    c = _kb().countries.get(iso3.upper())
    return c.name("en") if c else iso3


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


@lru_cache(maxsize=1024)
def organization(org_id: str | None, short: bool = False) -> str:
    """An organisation's name as the KB gives it: its English abbreviation when `short` (CIS, SCO), else
    its first English name; the id when the KB does not know it."""
    if not org_id:
        return ""
    org = _kb().organizations.get(org_id.upper())
    if org is None:
        return org_id
    if short:
        abbr = org.abbr.get("en") or []
        return abbr[0] if abbr else org.id
    return (org.names.get("en") or [org.id])[0]


def _body(body_id: str) -> str:
    names = _kb().formats.bodies.get(body_id, {}).get("en") or []
    return next((n for n in names if not n.isupper()), names[0] if names else body_id)


def _region(region: str) -> str:
    if region == "C5":
        return (_kb().formats.regions.get("en") or ["Central Asia"])[0]
    return region


@lru_cache(maxsize=1024)
def format_name(fmt: str | None, named: str | None = None) -> str:
    """A named format in words, from the KB: "C5+RUS" → "Central Asia + Russia", "CIS:CFM" → "CIS council
    of foreign ministers", "SCO:SUMMIT" → "SCO summit"; without one, the kind ("bilateral")."""
    if not named:
        return word(KINDS, fmt)
    if ":" in named:
        org, body = named.split(":", 1)
        return f"{organization(org, short=True)} {_body(body)}"
    parts = []
    for part in named.split("+"):
        part = part.strip()
        kb = _kb()
        if part == "C5":
            parts.append(_region(part))
        elif part.upper() in kb.countries:
            parts.append(country(part))
        elif part.upper() in kb.organizations:
            parts.append(organization(part, short=True))
        else:
            parts.append(part)
    return " + ".join(parts)


def figure(value: float | None, unit: str | None) -> str:
    """44000000000 USD → "44 bn USD", 600000000 → "600 mn USD", 35000 → "35,000 USD"."""
    if value is None:
        return ""
    unit = f" {unit}" if unit else ""
    for size, name in ((1e12, "tn"), (1e9, "bn"), (1e6, "mn")):
        if abs(value) >= size:
            return f"{value / size:.3g} {name}{unit}".replace("e+", "e")
    return f"{value:,.0f}{unit}"


def people(participants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each participant once (by English name, their first row), with `written` when the article wrote
    them otherwise (shown on hover, not as a second name)."""
    seen: dict[str, dict[str, Any]] = {}
    for p in participants:
        key = p.get("name_en") or p.get("name") or ""
        if key in seen:
            if not seen[key].get("role") and p.get("role"):
                seen[key]["role"] = p["role"]
            continue
        written = p.get("name") if p.get("name") and fold(p["name"]) != fold(key) else None
        seen[key] = {**p, "written": written}
    return list(seen.values())


def _who(p: dict[str, Any]) -> str:
    bits = []
    if p.get("country"):
        bits.append(possessive(country(p["country"])))
    role = ROLES_SHORT.get(p.get("role") or "", "")
    if role:
        bits.append(role)
    bits.append(p.get("name_en") or p.get("name") or "?")  # the whole name: which word is the surname varies
    return " ".join(bits)


def _listed(items: list[str], most: int = 3) -> str:
    if len(items) > most:
        items = items[:most - 1] + [f"{len(items) - most + 1} others"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def summary(ev: dict[str, Any]) -> str:
    """One line for an event, from its fields: "Kazakhstan's FM Murat Nurtleu and Russia's FM Sergey
    Lavrov met by video in the Central Asia + Russia format"; "6 states met in the Central Asia + Japan format in Tokyo"."""
    parts = people(ev.get("participants") or [])
    who = [_who(p) for p in parts]
    represented = {p.get("country") for p in parts}
    others = [country(c) for c in ev.get("countries") or [] if c not in represented]
    if not who and len(others) > 3:
        who = [f"{len(others)} states"]
    elif len(who) < 2:  # one person or nobody named: the other side is the states they met
        who += others or [organization(o, short=True) for o in ev.get("organizations") or []]
    who = who or ["Officials"]
    past, future = MODE_VERBS.get(ev.get("mode") or "in_person", MODE_VERBS["in_person"])
    status = ev.get("status")
    line = f"{_listed(who, 4)} {future if status == 'planned' else past}"
    if ev.get("named_format"):
        name = format_name(ev.get("format"), ev["named_format"])
        line += f" at the {name}" if ":" in ev["named_format"] else f" in the {name} format"
    loc = ev.get("location")
    if loc and loc.get("name") and (ev.get("mode") or "in_person") == "in_person":
        line += f" in {loc['name']}"
    if ev.get("visit") and ev["visit"].get("type"):
        line += f" ({word(VISITS, ev['visit']['type'])})"
    if status == "referenced":
        line += " (mentioned in passing)"
    return line


# -- which field an event-level evidence span supports ----------------------------------------------
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _same(a: list[str], b: list[str], prefix: bool = False) -> bool:
    """Whether the words `a` (of the article) are the words `b` (of a name) with their endings: each name
    word loses at most two last letters and the article's word adds at most three (Russian and Turkic
    cases: "Жапония" / "Жапонияның", "Российская" / "Российской"), or the name word is a stem (`prefix`)."""
    if not a or not b or len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if prefix or len(y) < 3:
            if not (x.startswith(y) if prefix else x == y):
                return False
            continue
        common = 0
        for cx, cy in zip(x, y, strict=False):
            if cx != cy:
                break
            common += 1
        lost = 1 if len(y) < 5 else 2  # a short word ("Азия" / "Азии") changes its last letter at most
        if len(y) - common > lost or len(x) - common > 3 or common < 2:
            return False
    return True


@lru_cache(maxsize=1)
def _vocab() -> dict[str, list[tuple[list[str], bool, str, str]]]:
    """{first folded word: [(words, prefix, field, item)]} of what an event-level span may name."""
    from kurultai.kb.lexicon import available_languages, load_lexicon

    kb = _kb()
    out: dict[str, list[tuple[list[str], bool, str, str]]] = {}

    def add(text: str, fld: str, item: str, prefix: bool = False) -> None:
        text = text.rstrip("*")
        ws = _words(text)
        if ws:
            out.setdefault(ws[0][:3], []).append((ws, prefix, fld, item))

    for c in kb.countries.values():
        for table, prefix in ((c.names, False), (c.abbr, False), (c.adj, True), (c.demonym, True)):
            for names in table.values():
                for n in names:
                    add(n, "country", c.iso3, prefix)
    for o in kb.organizations.values():
        for table in (o.names, o.abbr):
            for names in table.values():
                for n in names:
                    add(n, "organization", o.id)
    for body, by_lang in kb.formats.bodies.items():
        for names in by_lang.values():
            for n in names:
                add(n, "format", body)
    for fid, by_lang in kb.formats.fixed.items():
        for names in by_lang.values():
            for n in names:
                add(n, "format", fid)
    for names in kb.formats.regions.values():
        for n in names:
            add(n, "format", "C5")
    for stems in kb.formats.region_adj.values():
        for n in stems:
            add(n, "format", "C5", True)
    for lang in available_languages():
        lex = load_lexicon(lang)
        for topic, cues in (lex.get("topics") or {}).items():
            for cue in cues or []:
                add(cue, "topic", topic, str(cue).endswith("*"))
        for table in ("triggers", "trigger_verbs"):
            for kind, cues in (lex.get(table) or {}).items():
                if kind in ("call", "video"):
                    for cue in cues or []:
                        add(cue, "mode", "phone" if kind == "call" else "video", str(cue).endswith("*"))
    return out


def evidence_key(quote: str, ev: dict[str, Any]) -> tuple[str, str | None]:
    """(field, item) that an event-level evidence span (`field == "event"`) supports: a state of the
    event, its format (an organisation's body, a standing format, the region), an organisation, one of
    its topics, its mode; else ("event", None), the words that say a meeting took place."""
    ws = _words(quote)
    if not ws:
        return "event", None
    countries = set(ev.get("countries") or [])
    topics = set(ev.get("topics") or [])
    orgs = set(ev.get("organizations") or [])
    named = ev.get("named_format") or ""
    candidates = _vocab().get(ws[0][:3], [])
    for words, prefix, fld, item in sorted(candidates, key=lambda c: c[0] != ws):  # the exact words first
        if not _same(ws, words, prefix):
            continue
        if fld == "country" and item in countries:
            return "country", item
        if fld == "topic" and item in topics:
            return "topic", item
        if fld == "organization" and item in orgs:
            return ("format", named) if named.startswith(item + ":") else ("organization", item)
        if fld == "format" and named and (item in named.split(":") or item in named.split("+")):
            return "format", named
        if fld == "mode" and item == ev.get("mode"):
            return "mode", item
    return "event", None


def field_label(fld: str, item: str | None, ev: dict[str, Any]) -> str:
    """An evidence key's words: "country: Kazakhstan", "format: CIS council of foreign ministers",
    "topic: trade", "mode: online", "participant: Sergey Lavrov"."""
    name = FIELDS.get(fld, fld)
    if item is None:
        return name
    if fld == "country":
        item = country(item)
    elif fld == "format":
        item = format_name(ev.get("format"), item)
    elif fld == "organization":
        item = organization(item)
    elif fld == "topic":
        item = word(TOPICS, item)
    elif fld == "mode":
        item = word(MODES, item)
    elif fld == "visit":
        item = word(VISITS, item)
    elif fld == "figure":
        parts = item.split(" ")
        with contextlib.suppress(IndexError, ValueError):
            item = f"{word(INDICATORS, parts[0])} {figure(float(parts[1]), ' '.join(parts[2:]) or None)}"
    return f"{name}: {item}"


# -- the review's values in words (the edit form's choices, the history) -----------------------------
FIELD_NAMES = {"status": "status", "mode": "mode", "format": "format", "named_format": "named format", "date": "date",
               "location": "place", "countries": "countries", "organizations": "organisations",
               "participants": "participants", "visit": "visit", "topics": "topics", "outcomes": "outcomes",
               "figures": "figures", "review_state": "review", "events": "events", "documents": "sources"}
REVIEW_STATES = {"unreviewed": "unreviewed", "confirmed": "confirmed", "corrected": "corrected", "rejected": "rejected"}
ACTIONS = {"correct": "corrected", "confirm": "confirmed", "reject": "rejected", "merge": "merged", "split": "split",
           "mark": "marked evidence of", "unmark": "took back evidence of"}


def date_words(d: dict[str, Any] | None) -> str:
    """{"start": "2023-01-02", "end": "2023-01-03", "precision": "day"} → "2023-01-02 – 2023-01-03"."""
    if not d:
        return "none"
    text = d.get("start") or "?"
    if d.get("end") and d.get("end") != d.get("start"):
        text += f" – {d['end']}"
    if d.get("precision") and d["precision"] != "day":
        text += f" (known to the {d['precision']})"
    return text


def figure_words(f: dict[str, Any]) -> str:
    """{"indicator": "trade_turnover", "value": 4.4e10, "unit": "USD", "kind": "target", "year": 2030} →
    "trade turnover 44 bn USD (target, 2030)"."""
    extra = ", ".join(str(x) for x in (word(FIGURE_KINDS, f.get("kind")), f.get("year")) if x)
    return f"{word(INDICATORS, f.get('indicator'))} {figure(f.get('value'), f.get('unit'))}" + (f" ({extra})" if extra else "")


def value_words(field: str | None, value: Any) -> str:
    """A value of a field of the guide (as the review API and the history hold it) in words: states and
    organisations by name, roles, statuses, modes, kinds, topics and formats from the tables above."""
    if value is None or value == []:
        return "none"
    if field == "status":
        return word(STATUSES, value)
    if field == "mode":
        return word(MODES, value)
    if field == "format":
        return word(KINDS, value)
    if field == "named_format":
        return format_name(None, value)
    if field == "review_state":
        return word(REVIEW_STATES, value)
    if field == "date" and isinstance(value, dict):
        return date_words(value)
    if field == "location" and isinstance(value, dict):
        return ", ".join(x for x in (value.get("name"), country(value.get("country"))) if x)
    if field == "visit" and isinstance(value, dict):
        return f"{word(VISITS, value.get('type'))}: {country(value.get('visitor')) or '?'} → {country(value.get('host')) or '?'}"
    if field == "countries" and isinstance(value, list):
        return ", ".join(country(c) for c in value)
    if field == "organizations" and isinstance(value, list):
        return ", ".join(organization(o) for o in value)
    if field == "topics" and isinstance(value, list):
        return ", ".join(word(TOPICS, t) for t in value)
    if field == "participants" and isinstance(value, list):
        return "; ".join(", ".join(x for x in (p.get("name_en") or p.get("name"), word(ROLES, p.get("role")),
                                               country(p.get("country"))) if x) for p in value if isinstance(p, dict))
    if field == "outcomes" and isinstance(value, list):
        return "; ".join(f"{word(OUTCOMES, o.get('type'))}: {o.get('title') or ''}" for o in value if isinstance(o, dict))
    if field == "figures" and isinstance(value, list):
        return "; ".join(figure_words(f) for f in value if isinstance(f, dict))
    if field == "events" and isinstance(value, list | int):
        return "events " + ", ".join(map(str, value)) if isinstance(value, list) else f"event {value}"
    if field == "documents" and isinstance(value, list):
        return "sources " + ", ".join(map(str, value))
    return value if isinstance(value, str) else str(value)
