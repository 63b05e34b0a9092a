"""The knowledge base: countries, organisations, standing formats, places and officials as data files.

`load_kb()` reads `kb/data/*.yaml` once per process (see docs/kb-format.md), adds the CLDR names of
every country in every supported language (babel), checks the entries and builds per-language
gazetteers on demand. A wrong fact in the data is a bug like any other: fix the YAML, not the code.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from kurultai.kb.gazetteer import Entry
from kurultai.kb.outlets import Outlet, Outlets

LANGS = ("ru", "kk", "ky", "uz", "tg", "tk", "en")
C5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
# an adjective stem is followed by an inflectional ending only ("кыргызск|ой", "қазақ|тың"), never by the
# rest of another word (the Kyrgyz "казак" must not match the surname "Казакбаева")
ADJ_TAIL = 4
ROLE_IDS = {
    "head_of_state", "head_of_government", "foreign_minister", "deputy_foreign_minister", "minister",
    "ambassador", "head_of_organization", "other",
}


class KBError(ValueError):
    """A data file of the KB is wrong; the message names the file and the entry."""


@dataclass
class Country:
    iso3: str
    iso2: str | None
    names: dict[str, list[str]] = field(default_factory=dict)
    abbr: dict[str, list[str]] = field(default_factory=dict)
    adj: dict[str, list[str]] = field(default_factory=dict)
    demonym: dict[str, list[str]] = field(default_factory=dict)

    def name(self, lang: str = "en") -> str:
        return (self.names.get(lang) or self.names.get("en") or [self.iso3])[0]


@dataclass
class Organization:
    id: str
    names: dict[str, list[str]] = field(default_factory=dict)
    abbr: dict[str, list[str]] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    # the organ where people of a level meet: {head_of_state: SUMMIT, head_of_government: HGC, ...}
    bodies: dict[str, str] = field(default_factory=dict)


@dataclass
class Place:
    name_en: str
    country: str
    lat: float | None
    lon: float | None
    kind: str = "city"
    names: dict[str, list[str]] = field(default_factory=dict)
    admin1: str | None = None  # the first-level administrative division it is in (English), if known
    capital: bool = False  # the capital of its country ("в столице Таджикистана" is Dushanbe)

    @property
    def id(self) -> str:
        return f"{self.name_en}|{self.country}"


@dataclass(frozen=True)
class Term:
    role: str
    country: str | None
    organization: str | None
    start: dt.date | None
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Person:
    id: str
    gender: str
    names: dict[str, str]
    aliases: list[str]
    terms: list[Term]

    @property
    def name_en(self) -> str:
        return self.names.get("en") or next(iter(self.names.values()))

    def name_in(self, lang: str, script_hint: str | None = None) -> str:
        if lang in self.names:
            return self.names[lang]
        return self.names.get("ru" if script_hint == "cyrl" else "en") or self.name_en

    def term_at(self, day: dt.date | None) -> Term | None:
        """The term in force on `day`; without a day, the latest term."""
        if not self.terms:
            return None
        if day is not None:
            current = [t for t in self.terms if t.covers(day)]
            if current:
                return _most_senior(current)
            return None
        return max(self.terms, key=lambda t: (t.end is None, t.end or dt.date.min, t.start or dt.date.min))

    def roles(self) -> set[str]:
        return {t.role for t in self.terms}


SENIORITY = ["head_of_state", "head_of_government", "head_of_organization", "foreign_minister",
             "deputy_foreign_minister", "minister", "ambassador", "other"]


def _most_senior(terms: list[Term]) -> Term:
    return min(terms, key=lambda t: SENIORITY.index(t.role) if t.role in SENIORITY else 99)


@dataclass
class Formats:
    regions: dict[str, list[str]]
    region_adj: dict[str, list[str]]
    bodies: dict[str, dict[str, list[str]]]  # body id -> lang -> names
    fixed: dict[str, dict[str, list[str]]]  # format id -> lang -> names


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise KBError(f"{where}: bad date {value!r}") from exc


def _langmap(value: Any, where: str) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise KBError(f"{where}: expected a mapping of language -> names")
    out: dict[str, list[str]] = {}
    for lang, names in value.items():
        if isinstance(names, str):
            names = [names]
        out[str(lang)] = [str(n) for n in names or [] if str(n).strip()]
    return out


class KB:
    def __init__(self, data_dir: Path | None = None):
        self.data_dir = data_dir
        self.countries: dict[str, Country] = {}
        self.organizations: dict[str, Organization] = {}
        self.places: list[Place] = []
        self.persons: dict[str, Person] = {}
        self.formats = Formats({}, {}, {}, {})
        self.outlets = Outlets()
        self._by_name_en: dict[str, Person] | None = None
        self._load()

    # -- loading -------------------------------------------------------------------------------
    def _read(self, name: str) -> Any:
        if self.data_dir is not None:
            path = Path(self.data_dir) / name
            if not path.exists():
                return None
            text = path.read_text(encoding="utf-8")
        else:
            res = resources.files("kurultai.kb") / "data" / name
            if not res.is_file():
                return None
            text = res.read_text(encoding="utf-8")
        try:
            return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            raise KBError(f"{name}: not valid YAML: {exc}") from exc

    def _load(self) -> None:
        for i, row in enumerate(self._read("countries.yaml") or []):
            where = f"countries.yaml entry {i + 1}"
            iso3 = str(row.get("iso3", "")).upper()
            if len(iso3) != 3:
                raise KBError(f"{where}: iso3 {iso3!r} is not three letters")
            self.countries[iso3] = Country(
                iso3, row.get("iso2"), _langmap(row.get("names"), where), _langmap(row.get("abbr"), where),
                _langmap(row.get("adj"), where), _langmap(row.get("demonym"), where),
            )
        self._add_cldr_names()
        for i, row in enumerate(self._read("organizations.yaml") or []):
            where = f"organizations.yaml entry {i + 1}"
            oid = str(row.get("id", ""))
            if not oid:
                raise KBError(f"{where}: no id")
            self.organizations[oid] = Organization(
                oid, _langmap(row.get("names"), where), _langmap(row.get("abbr"), where),
                [str(m) for m in row.get("members") or []],
                {str(k): str(v) for k, v in (row.get("bodies") or {}).items()},
            )
        for i, row in enumerate(self._read("places.yaml") or []):
            where = f"places.yaml entry {i + 1} ({row.get('name_en')})"
            country = str(row.get("country", ""))
            if country not in self.countries:
                raise KBError(f"{where}: unknown country {country!r}")
            self.places.append(Place(
                str(row["name_en"]), country, _float(row.get("lat")), _float(row.get("lon")),
                str(row.get("kind", "city")), _langmap(row.get("names"), where),
                str(row["admin1"]) if row.get("admin1") else None, bool(row.get("capital")),
            ))
        fm = self._read("formats.yaml") or {}
        self.formats = Formats(
            _langmap(fm.get("regions"), "formats.yaml regions"),
            _langmap(fm.get("region_adj"), "formats.yaml region_adj"),
            {str(b["id"]): _langmap(b.get("names"), f"formats.yaml body {b.get('id')}") for b in fm.get("bodies") or []},
            {str(f["id"]): _langmap(f.get("names"), f"formats.yaml format {f.get('id')}") for f in fm.get("formats") or []},
        )
        for i, row in enumerate(self._read("officials.yaml") or []):
            where = f"officials.yaml entry {i + 1} ({row.get('id')})"
            pid = str(row.get("id", ""))
            if not pid or pid in self.persons:
                raise KBError(f"{where}: missing or duplicate id")
            names = {str(k): str(v) for k, v in (row.get("names") or {}).items() if v}
            if "en" not in names:
                raise KBError(f"{where}: no English name (names.en)")
            terms = []
            for t in row.get("terms") or []:
                role = t.get("role")
                if role not in ROLE_IDS:
                    raise KBError(f"{where}: unknown role {role!r}")
                country = t.get("country")
                if country is not None and country not in self.countries:
                    raise KBError(f"{where}: unknown country {country!r}")
                terms.append(Term(role, country, t.get("organization"), _date(t.get("start"), where), _date(t.get("end"), where)))
            self.persons[pid] = Person(pid, str(row.get("gender", "m")), names,
                                       [str(a) for a in row.get("aliases") or []], terms)

        outlets: dict[str, Outlet] = {}
        for i, row in enumerate(self._read("outlets.yaml") or []):
            where = f"outlets.yaml entry {i + 1} ({row.get('id')})"
            oid, name = str(row.get("id") or ""), str(row.get("name") or "")
            if not oid or not name or oid in outlets:
                raise KBError(f"{where}: missing or duplicate id, or no name")
            country = row.get("country")
            if country is not None and country not in self.countries:
                raise KBError(f"{where}: unknown country {country!r}")
            outlets[oid] = Outlet(oid, name, country, tuple(str(m) for m in row.get("marks") or [name]),
                                  tuple(str(h).lower() for h in row.get("hosts") or []))
        self.outlets = Outlets(outlets)

    def _add_cldr_names(self) -> None:
        try:
            from babel import Locale
        except ImportError:  # pragma: no cover - babel is a dependency
            return
        import pycountry

        for lang in LANGS:
            try:
                territories = Locale.parse(lang).territories
            except Exception:  # noqa: BLE001 - a locale CLDR lacks
                continue
            for country in self.countries.values():
                iso2 = country.iso2
                if not iso2:
                    rec = pycountry.countries.get(alpha_3=country.iso3)
                    iso2 = rec.alpha_2 if rec else None
                    country.iso2 = iso2
                name = territories.get(iso2) if iso2 else None
                if name:
                    names = country.names.setdefault(lang, [])
                    if name not in names:
                        names.append(name)

    # -- queries ------------------------------------------------------------------------------
    def place(self, name_en: str, country: str | None = None) -> Place | None:
        for p in self.places:
            if p.name_en == name_en and (country is None or p.country == country):
                return p
        return None

    def capital_of(self, iso3: str) -> Place | None:
        return next((p for p in self.places if p.capital and p.country == iso3), None)

    def place_by_id(self, pid: str) -> Place | None:
        name, _, country = pid.partition("|")
        return self.place(name, country or None)

    def holders(self, role: str, country: str | None, day: dt.date) -> list[Person]:
        return [p for p in self.persons.values()
                if any(t.role == role and t.country == country and t.covers(day) for t in p.terms)]

    def person_named(self, name_en: str) -> Person | None:
        """The person whose English name (or an alias) is `name_en`."""
        if self._by_name_en is None:
            self._by_name_en = {}
            for person in self.persons.values():
                for n in [person.name_en, *person.aliases]:
                    self._by_name_en.setdefault(n, person)
        return self._by_name_en.get(name_en)

    def tenure(self, name_en: str, role: str, country: str | None) -> tuple[dt.date | None, dt.date | None] | None:
        """When the person named held `role` (for `country`): from the first such term's start to the last
        one's end (None: open); None when the KB knows no such term."""
        person = self.person_named(name_en)
        terms = [t for t in person.terms if t.role == role and (country is None or t.country == country)] if person else []
        if not terms:
            return None
        start = None if any(t.start is None for t in terms) else min(t.start for t in terms)
        end = None if any(t.end is None for t in terms) else max(t.end for t in terms)
        return start, end

    def entries(self) -> Iterator[Entry]:
        """Every name of every item, in every language, for a gazetteer."""
        def each(by_lang: dict[str, list[str]]) -> Iterator[str]:
            for names in by_lang.values():
                yield from names

        for c in self.countries.values():
            yield from (Entry("country", c.iso3, n) for n in each(c.names))
            yield from (Entry("country", c.iso3, n, exact=True, priority=1) for n in each(c.abbr))
            for stem in [*each(c.adj), *each(c.demonym)]:
                yield Entry("country_adj", c.iso3, stem.lower(), prefix=True, max_tail=ADJ_TAIL)
        for o in self.organizations.values():
            yield from (Entry("org", o.id, n) for n in each(o.names))
            yield from (Entry("org", o.id, n, exact=True, priority=1) for n in each(o.abbr))
        for p in self.places:
            yield from (Entry("place", p.id, n) for n in [*each(p.names), p.name_en])
        for lang_names in self.formats.regions.values():
            for n in lang_names:
                yield Entry("region", "C5", n, exact=n.isupper() or any(ch.isdigit() for ch in n))
        for stems in self.formats.region_adj.values():
            for s in stems:
                yield Entry("region_adj", "C5", s.lower(), prefix=True, max_tail=ADJ_TAIL)
        for bid, by_lang in self.formats.bodies.items():
            for names in by_lang.values():
                for n in names:
                    yield Entry("body", bid, n, exact=n.isupper())
        for fid, by_lang in self.formats.fixed.items():
            for names in by_lang.values():
                for n in names:
                    yield Entry("format", fid, n, priority=2)
        for person in self.persons.values():
            spellings = set(person.names.values()) | set(person.aliases)
            for n in spellings:
                words = n.split()
                yield Entry("person", person.id, n, priority=1)
                if len(words) >= 2:
                    yield Entry("person", person.id, " ".join(words[1:] + words[:1]))  # "Жапаров Садыр"
                    if _surname_usable(words[-1]):
                        yield Entry("surname", person.id, words[-1])


def _surname_usable(word: str) -> bool:
    """A last word that can stand alone for a person: not a syllable ("И" of Wang Yi, Korean given-name
    syllables) nor a regnal numeral ("II")."""
    core = word.strip(".,")
    return len(core) >= 4 and not core.isupper() and not any(ch.isdigit() for ch in core)


def _float(v: Any) -> float | None:
    return None if v is None else float(v)


@lru_cache(maxsize=1)
def load_kb() -> KB:
    """The KB, once per process. KURULTAI_KB_DIR points at another data folder (tests, user KBs)."""
    folder = os.environ.get("KURULTAI_KB_DIR")
    return KB(Path(folder) if folder else None)
