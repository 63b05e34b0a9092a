"""An in-memory index over the stored events, for what a server answers most: pages of events with
their total, the who-meets-whom graph and the timeline, under any filters.

SQLite answers a page by intersecting link tables and sorting; with two large filters (a country and a
topic of 100,000 events) that is 20-40 ms for the total alone, and the graph and the timeline group
hundreds of thousands of rows per request. Here each filter value is a boolean mask over event ids,
read from its covering index once, the events' own columns are arrays, and the line-ups of countries
and of people (`country_key`, `people_key`) are codes with their pairs listed once: a total is a few
vectorised ANDs, a page is read off a precomputed order, a graph or a timeline is a weighted count.
Filters with no mask here (people's names, full text) are read from SQL as a set of ids.

The index belongs to one version of the store (`store_version.version`, bumped in every write
transaction, migration 0002), so a server sees documents that another process ingests: a request that
finds a newer version reads on from the documents added since (their events and the events they
changed), or rebuilds the index after a rewrite (a review, `remerge`: `store_version.rewrites`,
migration 0010), or, while writes keep coming, is answered by SQL.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import Select, func, select

from kurultai.dates import PRECISION_RANK, PRECISIONS, iso_as_written
from kurultai.folding import fold, name_matches
from kurultai.models import ROLES
from kurultai.store.models import (
    KEY_SEP,
    DocumentRow,
    EventChange,
    EventCountry,
    EventDocument,
    EventOrganization,
    EventRow,
    EventTopic,
    ParticipantRow,
    StoreVersion,
)
from kurultai.store.review import review_states

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from kurultai.store.queries import SearchQuery

SORTS = ("-date", "date", "-id", "id")
NO_DATE = -1
YEAR_ONLY = 1 << 30  # timeline buckets from here on are years (dates known only by year), below months


def _bucket(code: int) -> str:
    """A timeline bucket's name: "YYYY" for a year-only date, else the month "YYYY-MM"."""
    if code >= YEAR_ONLY:
        return f"{code - YEAR_ONLY:04d}"
    return f"{code // 12:04d}-{code % 12 + 1:02d}"


def when_code(day: dt.date, precision: str | None) -> int:
    """A date and its precision as one comparable number (the `Facets._when` code)."""
    return day.toordinal() * 3 + PRECISION_RANK.get(precision or "day", 0)


def when_text(code: int) -> str | None:
    """A `when` code as ISO 8601 at its precision ("2025", "2025-03", "2025-03-12"), None for NO_DATE."""
    if code == NO_DATE:
        return None
    return iso_as_written(dt.date.fromordinal(code // 3), PRECISIONS[code % 3])
MAX_MASKS = 256  # filter values kept (each one byte per event id)
MAX_DELTA = 2000  # new documents read on from the last index; more: rebuilt whole


PARTICIPANT = (ParticipantRow.id, ParticipantRow.name_en, ParticipantRow.name, ParticipantRow.country, ParticipantRow.role,
               ParticipantRow.event_id, EventRow.review_state != "rejected")


def participants(*where) -> Select:
    """The participant rows (as PARTICIPANT: with whether their event is shown) under `where`, by id."""
    return (select(*PARTICIPANT).join(EventRow, EventRow.id == ParticipantRow.event_id).where(*where)
            .order_by(ParticipantRow.id))


# the link tables with a mask per value, and the event columns the index holds
LINKS = ((EventCountry, EventCountry.iso3), (EventOrganization, EventOrganization.org), (EventTopic, EventTopic.topic))


class Stale(Exception):
    """The store changed while the index was being read."""


def store_version(s: Session) -> int:
    return int(s.scalar(select(StoreVersion.version).where(StoreVersion.id == 1)) or 0)


def store_versions(s: Session) -> tuple[int, int]:
    """(version, rewrites) of the store."""
    row = s.execute(select(StoreVersion.version, StoreVersion.rewrites).where(StoreVersion.id == 1)).first()
    return (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)


def _names_by_event(rows: list[tuple]) -> dict[int, frozenset[str]]:
    """{event id: the people (name_en) of its participant `rows` (as PARTICIPANT)}."""
    out: dict[int, set[str]] = {}
    for _pid, name_en, _name, _country, _role, eid, _shown in rows:
        out.setdefault(eid, set()).add(name_en)
    return {e: frozenset(n) for e, n in out.items()}


def _grown(a: np.ndarray, size: int, fill) -> np.ndarray:
    """A copy of `a` extended to `size` with `fill`."""
    out = np.full(size, fill, dtype=a.dtype)
    out[:len(a)] = a
    return out


def _people_with(people: dict[str, dict], rows: list[tuple]) -> dict[str, dict]:
    """`people` (as `Facets.people` gives it) with the participant `rows` (as PARTICIPANT, by id) added;
    the entries of `people` are not changed. The ways a person was written and the states they stood
    for come from every event (filters match them); their latest entry and their events only from the
    events shown (not rejected)."""
    out = dict(people)
    fresh: set[str] = set()
    for pid, name_en, name, country, role, eid, shown in rows:
        p = out.get(name_en)
        if name_en not in fresh:
            fresh.add(name_en)
            p = out[name_en] = {"names": set(p["names"]), "countries": set(p["countries"]), "latest": p["latest"],
                                "latest_id": p["latest_id"], "event_ids": set(p["event_ids"])} if p else {
                "names": set(), "countries": set(), "latest": None, "latest_id": -1, "event_ids": set()}
        p["names"].add(name)
        if country:
            p["countries"].add(country)
        if not shown:
            continue
        if pid > p["latest_id"]:
            p["latest"], p["latest_id"] = (name, country, role), pid
        p["event_ids"].add(eid)
    for name_en in fresh:
        out[name_en]["events"] = len(out[name_en]["event_ids"])
    return out


def supports(q: SearchQuery) -> bool:
    """Pages the index can order (sorting by number of sources goes to SQL)."""
    return q.sort in SORTS and q.limit is not None


class Lineups:
    """The distinct line-ups (sorted member lists) of one kind, as codes: which members each holds
    (CSR arrays) and which pairs, so counts over any set of events are `np.bincount`s."""

    def __init__(self, keys: dict[str, int], sep: str) -> None:
        members_of = [[]] * len(keys)
        names: dict[str, int] = {}
        for key, code in keys.items():
            members_of[code] = key.split(sep) if key else []
            for m in members_of[code]:
                names.setdefault(m, 0)
        self.names = sorted(names)
        index = {n: i for i, n in enumerate(self.names)}
        lens = np.array([len(m) for m in members_of], dtype=np.int64)
        self.ptr = np.concatenate(([0], np.cumsum(lens)))
        self.lens = lens
        self.members = np.array([index[m] for ms in members_of for m in ms], dtype=np.int64)
        self.member_key = np.repeat(np.arange(len(members_of)), lens)
        pair_key, pair_a, pair_b = [], [], []
        for code, ms in enumerate(members_of):
            idx = sorted(index[m] for m in ms)
            for i in range(len(idx)):
                for j in range(i + 1, len(idx)):
                    pair_key.append(code)
                    pair_a.append(idx[i])
                    pair_b.append(idx[j])
        n = max(1, len(self.names))
        pair_id = np.array(pair_a, dtype=np.int64) * n + np.array(pair_b, dtype=np.int64)
        self.pairs, self.pair_of_entry = np.unique(pair_id, return_inverse=True)  # pairs sorted by names
        self.pair_key = np.array(pair_key, dtype=np.int64)
        self.n = n

    def expand(self, event_ids: np.ndarray, key_code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(event id, member index) for every member of the given events' line-ups."""
        kc = key_code[event_ids]
        lens = self.lens[kc]
        starts = self.ptr[kc]
        offsets = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
        return np.repeat(event_ids, lens), self.members[offsets]


class Facets:
    """The events of one store version, as arrays indexed by event id."""

    COLUMNS = ("status", "mode", "format", "named_format", "country_key", "people_key", "review_state")
    PLACE = ("location_name", "location_country", "lat", "lon")

    ARRAYS = {"exists": False, "day": NO_DATE, "until": NO_DATE, "month": NO_DATE, "prec": 0, "place": -1, "lat": 0.0,
              "lon": 0.0}

    def __init__(self, version: int, rows: list[tuple], max_doc: int = 0, rewrites: int = 0) -> None:
        """`rows`: (id, date_start, date_precision, date_end, *COLUMNS, *PLACE) of every event; `max_doc`: the highest document id
        of this version (what `updated` reads on from)."""
        self.version = version
        self.max_doc = max_doc
        self.rewrites = rewrites  # the store's rewrites this index has seen (`store_versions`)
        self.size = max((r[0] for r in rows), default=0) + 1
        self.exists = np.zeros(self.size, dtype=bool)
        self.day = np.full(self.size, NO_DATE, dtype=np.int32)
        self.month = np.full(self.size, NO_DATE, dtype=np.int32)  # year * 12 + month - 1
        self.prec = np.zeros(self.size, dtype=np.int8)  # dates.PRECISION_RANK: 0 day, 1 month, 2 year
        # the last day a date of month or year precision may be (a filter's `to` takes all of it), else the day
        self.until = np.full(self.size, NO_DATE, dtype=np.int32)
        self.codes: dict[str, dict[str | None, int]] = {k: {} for k in self.COLUMNS}
        self.cols = {k: np.zeros(self.size, dtype=np.int32) for k in self.COLUMNS}
        self.place = np.full(self.size, -1, dtype=np.int32)  # code of (name, country) where lat/lon are known
        self.places: dict[tuple[str, str | None], int] = {}
        self.lat = np.zeros(self.size, dtype=np.float64)
        self.lon = np.zeros(self.size, dtype=np.float64)
        self._apply(rows)
        self._masks: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._lineups: dict[str, Lineups] = {}
        self._people: dict[str, dict] | None = None
        self._event_people: dict[int, frozenset[str]] = {}  # who took part in each event, with _people
        self._topics: set[str] | None = None
        self._orgs: set[str] | None = None  # the organisations of any event (facet counts)
        self._derived()

    def _derived(self) -> None:
        """What is recomputed from the arrays on first use."""
        self._orders: dict[str, np.ndarray] = {}
        self._countries: dict[str, tuple[int, int]] | None = None
        self._lock = threading.Lock()

    def _apply(self, rows: list[tuple]) -> None:
        """Set the arrays of each event in `rows` (as in `__init__`; the ids must be < size)."""
        n_cols = len(self.COLUMNS)
        for eid, day, prec, end, *rest in rows:
            values, (pname, pcountry, lat, lon) = rest[:n_cols], rest[n_cols:]
            if pname is not None and lat is not None and lon is not None:
                self.place[eid] = self.places.setdefault((pname, pcountry), len(self.places))
                self.lat[eid], self.lon[eid] = lat, lon
            else:
                self.place[eid] = -1
            self.exists[eid] = True
            if day is not None:
                if not isinstance(day, dt.date):
                    day = dt.date.fromisoformat(day)
                self.day[eid] = day.toordinal()
                self.month[eid] = day.year * 12 + day.month - 1
                self.prec[eid] = PRECISION_RANK.get(prec or "day", 0)
                if self.prec[eid] and end is not None:
                    self.until[eid] = (end if isinstance(end, dt.date) else dt.date.fromisoformat(end)).toordinal()
                else:
                    self.until[eid] = self.day[eid]
            else:
                self.day[eid] = self.month[eid] = self.until[eid] = NO_DATE
                self.prec[eid] = 0
            for (name, codes), v in zip(self.codes.items(), values, strict=True):
                self.cols[name][eid] = codes.setdefault(v, len(codes))

    def updated(self, version: int, max_doc: int, rows: list[tuple], links: dict[tuple[str, str], list[int]],
                participants: list[tuple], gone: list[int] = (), regrouped: bool = False,
                people_rows: list[tuple] | None = None, participants_read: bool = False) -> Facets:
        """A new index for `version`, made from this one and what the documents after `max_doc` changed:
        `rows` of the events they created or merged into (as in `__init__`), `links`: {(link table,
        value): those events having it}, `participants`: (id, name_en, name, country, role, event id) of
        those events, by id; `gone`: events deleted (merged into others); `regrouped`: reports moved
        between events: then `people_rows` are every participant row of the people of the touched and
        gone events (before and after), whose entries are made again from them (without them the people
        are read again on first use); `participants_read`: `participants` holds every participant of
        the touched events (the masks of roles are read on from them, else read again on first use).
        This index is not changed (other threads may be reading it)."""
        new = copy.copy(self)
        new.version, new.max_doc = version, max_doc
        new.size = max(self.size, max((r[0] for r in rows), default=0) + 1)
        for name, fill in self.ARRAYS.items():
            setattr(new, name, _grown(getattr(self, name), new.size, fill))
        new.cols = {k: _grown(v, new.size, 0) for k, v in self.cols.items()}
        new.codes = {k: dict(v) for k, v in self.codes.items()}
        new.places = dict(self.places)
        new._apply(rows)
        gone = [g for g in gone if g < new.size]
        new.exists[gone] = False
        changed = np.array([r[0] for r in rows] + gone, dtype=np.int64)
        new._masks = OrderedDict()
        if participants_read:  # the events of each role, as a link table's
            links = dict(links)
            for _pid, _n, _name, _c, role, eid, _shown in participants:
                links.setdefault((ParticipantRow.__tablename__, role), []).append(eid)
        with self._lock:  # other threads move the masks they read to the end
            masks = list(self._masks.items())
        for key, mask in masks:
            if key[0] == ParticipantRow.__tablename__ and not participants_read:
                continue  # a role's events (facet counts): read again on first use
            m = _grown(mask, new.size, False)
            m[changed] = False
            m[links.get(key, [])] = True
            new._masks[key] = m
        new._lineups = {col: lu for col, lu in self._lineups.items() if len(new.codes[col]) == len(self.codes[col])}
        if self._people is None or (regrouped and people_rows is None):
            new._people, new._event_people = None, {}
        else:
            new._event_people = dict(self._event_people)
            for e in changed.tolist():
                new._event_people.pop(e, None)
            new._event_people.update(_names_by_event(participants))
            if regrouped:  # the entries of everyone concerned, from all their rows
                out = dict(self._people)
                for r in people_rows:
                    out.pop(r[1], None)
                for e in changed.tolist():
                    for n in self._event_people.get(e, ()):
                        out.pop(n, None)
                new._people = _people_with(out, people_rows)
            else:
                new._people = _people_with(self._people, participants)
        # regrouped reports move their topics to the events they join: the set stays exact
        new._topics = None if self._topics is None else self._topics | {
            value for table, value in links if table == EventTopic.__tablename__}
        new._orgs = None if self._orgs is None else self._orgs | {
            value for table, value in links if table == EventOrganization.__tablename__}
        new._derived()
        return new

    # -- pieces ------------------------------------------------------------------------------------
    def _order(self, sort: str) -> np.ndarray:
        """Event ids in the order of `sort` (dates: undated last, ties by id as SQL does)."""
        order = self._orders.get(sort)
        if order is None:
            ids = np.flatnonzero(self.exists)
            if sort.endswith("id"):
                order = ids if sort == "id" else ids[::-1]
            else:
                day = self.day[ids]
                undated = day == NO_DATE
                if sort == "date":  # ascending, undated last; lexsort's last key is the primary one
                    order = ids[np.lexsort((ids, day, undated))]
                else:  # newest first, undated last
                    order = ids[np.lexsort((-ids, -day.astype(np.int64), undated))]
            self._orders[sort] = order
        return order

    def _mask(self, s: Session, table, column: str, value: str) -> np.ndarray:
        key = (table.__tablename__, value)
        with self._lock:
            mask = self._masks.get(key)
            if mask is not None:
                self._masks.move_to_end(key)
                return mask
        ids = np.fromiter(s.scalars(select(table.event_id).where(getattr(table, column) == value)), dtype=np.int64)
        if store_version(s) != self.version:
            raise Stale  # a write came between: this request goes to SQL, the next rebuilds
        mask = np.zeros(self.size, dtype=bool)
        mask[ids[ids < self.size]] = True
        with self._lock:
            self._masks[key] = mask
            while len(self._masks) > MAX_MASKS:
                self._masks.popitem(last=False)
        return mask

    def _person_mask(self, s: Session, wanted) -> np.ndarray:
        """The events with someone for whom `wanted(name_en, person)` holds (`person` as in `people`)."""
        people = self.people(s)
        lu = self.lineups("person")
        ok = np.array([n in people and wanted(n, people[n]) for n in lu.names], dtype=bool)
        key_ok = np.zeros(len(lu.lens), dtype=bool)
        if lu.members.size:
            np.logical_or.at(key_ok, lu.member_key, ok[lu.members])
        return key_ok[self.cols["people_key"]]

    def _column(self, name: str, value: str | None) -> np.ndarray:
        code = self.codes[name].get(value)
        if code is None:
            return np.zeros(self.size, dtype=bool)
        return self.cols[name] == code

    def lineups(self, kind: str) -> Lineups:
        """The line-ups of countries (`country`) or people (`person`), built on first use."""
        col = "people_key" if kind == "person" else "country_key"
        with self._lock:
            got = self._lineups.get(col)
        if got is None:
            got = Lineups({k or "": c for k, c in self.codes[col].items()}, KEY_SEP if kind == "person" else ",")
            with self._lock:
                self._lineups[col] = got
        return got

    def matches(self, s: Session, q: SearchQuery, sql_ids=None) -> np.ndarray:
        """A boolean mask of the events `q` matches (the same meaning as `Queries._conditions`);
        `sql_ids`, when given, are the events that the filters without a mask here let through."""
        m = self.exists.copy()
        if sql_ids is not None:
            ids = np.fromiter(s.scalars(sql_ids), dtype=np.int64)
            keep = np.zeros(self.size, dtype=bool)
            keep[ids[ids < self.size]] = True
            m &= keep
        if q.person:
            needle = fold(q.person)
            m &= self._person_mask(s, lambda n, p: name_matches(needle, n, p["names"]))
        if q.extra.get("person_exact"):
            exact = q.extra["person_exact"]
            m &= self._person_mask(s, lambda n, p: n == exact)
        if q.country:
            m &= self._mask(s, EventCountry, "iso3", q.country.upper())
        if q.org:
            m &= self._mask(s, EventOrganization, "org", q.org.upper())
        if q.topic:
            m &= self._mask(s, EventTopic, "topic", q.topic)
        if q.format:
            m &= self._column("named_format", q.format) | self._column("format", q.format)
        if q.status:
            m &= self._column("status", q.status)
        if q.mode:
            m &= self._column("mode", q.mode)
        if q.date_from:
            m &= self.day >= q.date_from.toordinal()
        if q.date_to:
            # a date known only to the month or the year is in the range when all of its period is
            m &= (self.until <= q.date_to.toordinal()) & (self.day != NO_DATE)
        states = review_states(q)
        if states is not None:
            m &= np.logical_or.reduce([self._column("review_state", v) for v in states])
        return m

    def shown(self) -> np.ndarray:
        """The events every count shows: those not rejected."""
        return self.exists & ~self._column("review_state", "rejected")

    def page(self, s: Session, q: SearchQuery, sql_ids=None) -> tuple[int, list[int]]:
        """(how many events match, the ids of the requested page in order). Raises `Stale` if the
        store changed while a filter was being read."""
        m = self.matches(s, q, sql_ids)
        order = self._order(q.sort)
        hits = order[m[order]]
        limit = q.limit if q.limit is not None else len(hits)
        return int(len(hits)), [int(i) for i in hits[q.offset:q.offset + limit]]

    def graph(self, s: Session, q: SearchQuery, sql_ids, nodes: str, min_weight: int,
              limit: int) -> tuple[dict[str, int], list[tuple[str, str, int]]]:
        """(events per node, the heaviest edges as (a, b, weight), heaviest first then by names)."""
        m = self.matches(s, q, sql_ids)
        lu = self.lineups(nodes)
        col = self.cols["people_key" if nodes == "person" else "country_key"]
        per_key = np.bincount(col[m], minlength=len(lu.lens)).astype(np.int64)
        node_w = np.bincount(lu.members, weights=per_key[lu.member_key], minlength=lu.n).astype(np.int64)
        events = {lu.names[i]: int(node_w[i]) for i in np.flatnonzero(node_w)}
        if not len(lu.pairs):
            return events, []
        pair_w = np.bincount(lu.pair_of_entry, weights=per_key[lu.pair_key], minlength=len(lu.pairs)).astype(np.int64)
        keep = np.flatnonzero(pair_w >= max(1, min_weight))
        keep = keep[np.lexsort((keep, -pair_w[keep]))][:limit]  # pairs are numbered in name order
        return events, [(lu.names[int(lu.pairs[i] // lu.n)], lu.names[int(lu.pairs[i] % lu.n)], int(pair_w[i]))
                        for i in keep]

    def people(self, s: Session) -> dict[str, dict]:
        """Everyone who took part in an event: {name_en: {"names", "countries", "latest": (name, country,
        role), "events"}} (and what `updated` extends them with), read once for this version."""
        with self._lock:
            got = self._people
        if got is not None:
            return got
        rows = s.execute(participants()).tuples().all()
        if store_version(s) != self.version:
            raise Stale
        out = _people_with({}, rows)
        with self._lock:
            self._people, self._event_people = out, _names_by_event(rows)
        return out

    def met(self, s: Session, name_en: str) -> dict[str, int]:
        """{someone else: events together} over the events of the person `name_en`."""
        lu = self.lineups("person")
        m = self._person_mask(s, lambda n, _p: n == name_en) & self.shown()
        per_key = np.bincount(self.cols["people_key"][m], minlength=len(lu.lens)).astype(np.int64)
        together = np.bincount(lu.members, weights=per_key[lu.member_key], minlength=lu.n).astype(np.int64)
        return {lu.names[i]: int(together[i]) for i in np.flatnonzero(together) if lu.names[i] != name_en}

    def _values(self, s: Session, attr: str, column) -> set[str]:
        """The distinct values of a link table's `column`, read once per version and kept in `attr`
        (`_topics`, `_orgs`; `updated` adds the new ones)."""
        with self._lock:
            values = getattr(self, attr)
        if values is None:
            values = set(s.scalars(select(column).distinct()))
            if store_version(s) != self.version:
                raise Stale
            with self._lock:
                setattr(self, attr, values)
        return values

    def _link_counts(self, s: Session, m: np.ndarray, table, column: str, values) -> dict[str, int]:
        """{value: events of `m` that have it} (values with none left out), through the masks."""
        counts = {v: int(np.count_nonzero(m & self._mask(s, table, column, v))) for v in values}
        return {v: k for v, k in counts.items() if k}

    def topic_counts(self, s: Session, q: SearchQuery, sql_ids) -> dict[str, int]:
        """{topic: events} over the events `q` matches (topics with none left out)."""
        topics = self._values(s, "_topics", EventTopic.topic)
        return self._link_counts(s, self.matches(s, q, sql_ids), EventTopic, "topic", topics)

    def facet_counts(self, s: Session, q: SearchQuery, sql_ids) -> dict[str, dict[str, int]]:
        """{facet: {value: events}} over the events `q` matches, for the facets the index holds: country,
        org, topic, kind (the format column), named (the named format), status, mode, role (`Queries.facet_counts`)."""
        m = self.matches(s, q, sql_ids)
        out: dict[str, dict[str, int]] = {}
        for facet, col in (("kind", "format"), ("named", "named_format"), ("status", "status"), ("mode", "mode")):
            counts = np.bincount(self.cols[col][m], minlength=len(self.codes[col]) or 1)
            out[facet] = {v: int(counts[c]) for v, c in self.codes[col].items()
                          if v is not None and c < len(counts) and counts[c]}
        lu = self.lineups("country")
        per_key = np.bincount(self.cols["country_key"][m], minlength=len(lu.lens)).astype(np.int64)
        node_w = np.bincount(lu.members, weights=per_key[lu.member_key], minlength=lu.n).astype(np.int64)
        out["country"] = {lu.names[i]: int(node_w[i]) for i in np.flatnonzero(node_w)}
        out["topic"] = self.topic_counts(s, q, sql_ids)
        orgs = self._values(s, "_orgs", EventOrganization.org)
        out["org"] = self._link_counts(s, m, EventOrganization, "org", orgs)
        # who took part: the events with a participant of each role (a mask per role, kept like the others)
        out["role"] = self._link_counts(s, m, ParticipantRow, "role", ROLES)
        return out

    def _when(self, ids: np.ndarray) -> np.ndarray:
        """The dates of events `ids` as comparable codes (`when`): day ordinal * 3 + precision rank, so the
        latest is the latest start (the coarser on a tie) and each keeps its precision; NO_DATE undated."""
        day = self.day[ids].astype(np.int64)
        return np.where(day == NO_DATE, NO_DATE, day * 3 + self.prec[ids])

    def countries(self) -> dict[str, tuple[int, int]]:
        """{ISO3: (events, `when` of the latest dated one or NO_DATE)} over the events shown (once per
        version: every filter form lists them)."""
        if self._countries is not None:
            return self._countries
        lu = self.lineups("country")
        ev, member = lu.expand(np.flatnonzero(self.shown()), self.cols["country_key"])
        counts = np.bincount(member, minlength=lu.n)
        last = np.full(lu.n, NO_DATE, dtype=np.int64)
        np.maximum.at(last, member, self._when(ev))
        self._countries = {lu.names[i]: (int(counts[i]), int(last[i])) for i in np.flatnonzero(counts)}
        return self._countries

    def event_counts(self) -> dict[str, dict[str, int] | int]:
        """What `Store.stats` counts of events: those shown, by status; all, by review state; the ten
        states in most events shown (ties by code)."""
        shown = self.shown()
        by_status = self._by_code("status", shown)
        by_review = self._by_code("review_state", self.exists)
        top = sorted(self.countries().items(), key=lambda kv: (-kv[1][0], kv[0]))[:10]
        return {"events": int(np.count_nonzero(shown)), "events_by_status": by_status,
                "events_by_review": by_review, "top_countries": {iso3: n for iso3, (n, _) in top}}

    def _by_code(self, column: str, where: np.ndarray) -> dict[str, int]:
        counts = np.bincount(self.cols[column][where], minlength=len(self.codes[column]))
        names = {code: value for value, code in self.codes[column].items()}
        return {names[c]: int(counts[c]) for c in sorted(np.flatnonzero(counts), key=lambda c: names[c])}

    def place_counts(self, s: Session, q: SearchQuery, sql_ids) -> list[tuple[str, str | None, float, float, int, int, int]]:
        """(name, country, mean lat, mean lon, events, first, last) of the places of the events `q` matches
        (first and last as `when` codes), most events first, then by name."""
        m = self.matches(s, q, sql_ids) & (self.place >= 0)
        ids = np.flatnonzero(m)
        code = self.place[ids]
        n = len(self.places)
        counts = np.bincount(code, minlength=n)
        lat = np.bincount(code, weights=self.lat[ids], minlength=n)
        lon = np.bincount(code, weights=self.lon[ids], minlength=n)
        days = self._when(ids)
        first = np.full(n, np.iinfo(np.int64).max)
        last = np.full(n, NO_DATE, dtype=np.int64)
        dated = days != NO_DATE
        np.minimum.at(first, code[dated], days[dated])
        np.maximum.at(last, code[dated], days[dated])
        names = {c: key for key, c in self.places.items()}
        out = [(names[c][0], names[c][1], lat[c] / counts[c], lon[c] / counts[c], int(counts[c]),
                int(first[c]) if last[c] != NO_DATE else NO_DATE, int(last[c])) for c in np.flatnonzero(counts)]
        return sorted(out, key=lambda r: (-r[4], r[0]))

    def timeline(self, s: Session, q: SearchQuery, sql_ids, by: str) -> dict[tuple[str, str], int]:
        """{(bucket, series key): events} over the dated events `q` matches: the bucket is the month
        ("YYYY-MM") of a date known to the day or the month, the year ("YYYY") of one known only by year."""
        m = self.matches(s, q, sql_ids) & (self.month != NO_DATE)
        ids = np.flatnonzero(m)
        # a month index (year * 12 + month - 1), or YEAR_ONLY + year for a date of precision year
        bucket = np.where(self.prec == PRECISION_RANK["year"], YEAR_ONLY + self.month // 12, self.month).astype(np.int64)
        if by == "country":
            lu = self.lineups("country")
            ev, member = lu.expand(ids, self.cols["country_key"])
            keys, names = bucket[ev] * lu.n + member, lu.names
            n = lu.n
        elif by == "format":
            fmt = self.cols["format"][ids].astype(np.int64)
            named = self.cols["named_format"][ids].astype(np.int64)
            labels = sorted({v for v in self.codes["format"]} | {v for v in self.codes["named_format"] if v})
            pos = {v: i for i, v in enumerate(labels)}
            fmt_pos = np.array([pos.get(v, 0) for v in sorted(self.codes["format"], key=self.codes["format"].get)])
            named_pos = np.array([pos.get(v, -1) if v else -1
                                  for v in sorted(self.codes["named_format"], key=lambda v: self.codes["named_format"][v])])
            series = np.where(named_pos[named] >= 0, named_pos[named], fmt_pos[fmt])
            n = max(1, len(labels))
            keys, names = bucket[ids] * n + series, labels
        else:
            n = 1
            keys, names = bucket[ids], ["all"]
        uniq, counts = np.unique(keys, return_counts=True)
        return {(_bucket(int(k // n)), names[int(k % n)]): int(c) for k, c in zip(uniq, counts, strict=True)}


ROW = tuple(getattr(EventRow, c) for c in Facets.COLUMNS + Facets.PLACE)


class FacetCache:
    """The `Facets` of the latest store version, shared by a process's threads. A newer version is read
    on from the index of the last one (the documents stored since and the events they touched, a few
    milliseconds a document), or rebuilt whole where that cannot be trusted: more than MAX_DELTA new
    documents, or documents committed out of id order (PostgreSQL: the new ids do not add up to the
    versions passed)."""

    def __init__(self, session_factory: sessionmaker) -> None:
        self.Session = session_factory
        self._facets: Facets | None = None
        self._build_lock = threading.Lock()

    def get(self, s: Session) -> Facets | None:
        """The index for the store's current version (or a newer one), or None when the store changed
        while it was being read (SQL answers)."""
        version = store_version(s)
        facets = self._facets
        if facets is not None and facets.version >= version:
            return facets
        with self._build_lock:  # one thread reads the change; the others wait for it, a short while
            facets = self._facets
            if facets is not None and facets.version >= version:
                return facets
            try:
                self._facets = (facets is not None and self._update(facets)) or self._build()
            except Stale:
                return None
            return self._facets

    def _build(self) -> Facets:
        with self.Session() as s:
            version, rewrites = store_versions(s)
            rows = s.execute(select(EventRow.id, EventRow.date_start, EventRow.date_precision, EventRow.date_end, *ROW)).tuples().all()
            max_doc = s.scalar(select(func.max(DocumentRow.id))) or 0
            if store_version(s) != version:
                raise Stale
        return Facets(version, rows, max_doc, rewrites)

    def _update(self, old: Facets) -> Facets | None:
        """`old` brought to the current version, or None when it must be rebuilt."""
        with self.Session() as s:
            version, rewrites = store_versions(s)
            # writers take turns and a document's id is drawn under the turn (`lock_for_writing`), so
            # the documents after max_doc are all those stored since, by however many transactions
            docs = list(s.scalars(select(DocumentRow.id).where(DocumentRow.id > old.max_doc).limit(MAX_DELTA + 1)))
            if rewrites != old.rewrites or len(docs) > MAX_DELTA:
                return None
            touched = select(EventDocument.event_id).where(EventDocument.document_id > old.max_doc).union(
                select(EventChange.event_id).where(EventChange.document_id > old.max_doc))
            ids = set(s.scalars(touched))
            others = s.scalar(select(func.count()).select_from(EventChange).where(EventChange.document_id > old.max_doc))
            rows = s.execute(select(EventRow.id, EventRow.date_start, EventRow.date_precision, EventRow.date_end, *ROW).where(EventRow.id.in_(touched))).tuples().all()
            links: dict[tuple[str, str], list[int]] = {}
            for table, column in LINKS:
                for eid, value in s.execute(select(table.event_id, column).where(table.event_id.in_(touched))):
                    links.setdefault((table.__tablename__, value), []).append(eid)
            # who took part in the touched events: for the people and the masks of roles
            with old._lock:
                keys = list(old._masks)
            read = old._people is not None or any(k[0] == ParticipantRow.__tablename__ for k in keys)
            people = s.execute(participants(ParticipantRow.event_id.in_(touched))).tuples().all() if read else []
            people_rows = None
            if others and old._people is not None:  # reports moved: everyone concerned, from all their rows
                names = sorted({r[1] for r in people} | {n for e in ids for n in old._event_people.get(e, ())})
                people_rows = []
                for i in range(0, len(names), 500):
                    people_rows += s.execute(participants(ParticipantRow.name_en.in_(names[i:i + 500]))).tuples().all()
                people_rows.sort()
            if store_version(s) != version:
                raise Stale
        gone = sorted(ids - {r[0] for r in rows})
        return old.updated(version, max(docs, default=old.max_doc), rows, links, people, gone, bool(others),
                           people_rows, participants_read=read)
