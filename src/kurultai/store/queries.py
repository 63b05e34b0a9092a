"""Reading the record: filtered, sorted and paged events, and the aggregates the API, the dashboard
and the exports show (who-meets-whom graph, timeline, places, people, countries, organisations).

Every reader takes the same `SearchQuery`, so a filter means the same thing in `kurultai search`,
`/api/...`, the dashboard and `kurultai export`. Values reach SQL as bound parameters only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import aliased

from kurultai.dates import date_dict
from kurultai.folding import fold, kb_people, name_matches
from kurultai.store.facets import NO_DATE, Stale, supports, when_code, when_text
from kurultai.store.models import (
    KEY_SEP,
    DocumentRow,
    EventCountry,
    EventDocument,
    EventOrganization,
    EventRow,
    EventTopic,
    FigureRow,
    OutcomeRow,
    ParticipantRow,
)
from kurultai.store.review import REVIEWS, review_states
from kurultai.store.search import DOCUMENT_FTS_SQL, EVENT_FTS_SQL, fts5_query, ts_query

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from kurultai.store.facets import FacetCache

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# what every answer depends on: the store version (raised by every stored document) and the last error
VERSION = text("SELECT (SELECT version FROM store_version WHERE id = 1), (SELECT max(id) FROM ingest_errors)")
SORTS = ("date", "-date", "id", "-id", "sources", "-sources", "confidence")  # confidence: lowest (or unknown) first
STATUSES = ("held", "planned", "referenced")
VISIBLE = EventRow.review_state != "rejected"
# PostgreSQL's full-text vectors, written as its GIN indexes are (migration 0009), so the planner uses them
DOCUMENT_TSV = literal_column(f"to_tsvector('simple', {DOCUMENT_FTS_SQL})")
EVENT_TSV = literal_column(f"to_tsvector('simple', {EVENT_FTS_SQL})")  # what every count and page shows unless asked otherwise


@dataclass
class SearchQuery:
    text: str | None = None
    country: str | None = None
    person: str | None = None
    role: str | None = None  # someone of this role took part (models.Role)
    org: str | None = None
    format: str | None = None
    topic: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str | None = None
    mode: str | None = None
    review: str | None = None  # one of review.REVIEWS; rejected events only when it is "rejected" or with include_rejected
    include_rejected: bool = False
    limit: int | None = 50
    offset: int = 0
    sort: str = "-date"
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # the API and the pages refuse control characters (422); from any other caller they are
        # blanks, so no NUL ever reaches SQL (PostgreSQL refuses it, FTS5 stops at it)
        for name in ("text", "country", "person", "role", "org", "format", "topic", "status", "mode", "review"):
            value = getattr(self, name)
            if isinstance(value, str) and CONTROL.search(value):
                setattr(self, name, CONTROL.sub(" ", value).strip() or None)
        if self.person is not None and not fold(self.person):  # blanks ask for nobody in particular
            self.person = None
        if self.review not in (None, *REVIEWS):
            raise ValueError(f"review: one of {', '.join(REVIEWS)}")


def fts_query(q: str) -> str:
    """User words as an FTS5 query (`store.search.fts5_query`: stems in every language, prefixes, no
    operator injection; a NUL or other control character is no word)."""
    return fts5_query(q)


def _date(value: dt.date | str) -> dt.date:
    """A date column's value (SQLite may hand back ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


FACETS = ("country", "org", "topic", "kind", "named", "status", "mode", "role")


def month_of(day: dt.date | None) -> str | None:
    return day.strftime("%Y-%m") if day else None


class Queries:
    """Mixed into `Store`: needs `self.Session` and `self.dialect`."""

    Session: sessionmaker
    engine: Engine
    dialect: str
    facets: FacetCache

    def version(self) -> tuple[int, int]:
        """(store version, id of the last ingest error): any write by any process changes it, so an
        answer computed at one value holds while the store has it (the server's response cache)."""
        with self.engine.connect() as conn:
            version, error = conn.execute(VERSION).one()
        return int(version or 0), int(error or 0)

    # -- filters -------------------------------------------------------------------------------
    # A filter on a link table (countries, organisations, topics, people) has two SQL forms with the
    # same meaning: `events.id IN (ids having the value)`, best when few events match, and a correlated
    # `EXISTS (this event has the value)`, best when many match and a page is read off the date index.
    def _links(self, q: SearchQuery) -> list[tuple[Any, str, str]]:
        """(link table, its value column, the value) for each link filter of `q` whose rows are unique
        per event (countries, organisations, topics)."""
        out: list[tuple[Any, str, str]] = []
        if q.country:
            out.append((EventCountry, "iso3", q.country.upper()))
        if q.org:
            out.append((EventOrganization, "org", q.org.upper()))
        if q.topic:
            out.append((EventTopic, "topic", q.topic))
        return out

    def _people(self, q: SearchQuery) -> list[Any]:
        """Conditions on participant rows. `person` finds a person by any way they were written, in any
        event: their events are all the events of that person."""
        out = []
        if q.person:
            out.append(ParticipantRow.name_en.in_(self._named(q.person)))
        if q.extra.get("person_exact"):
            out.append(ParticipantRow.name_en == q.extra["person_exact"])
        if q.role:
            out.append(ParticipantRow.role == q.role)
        return out

    def _named(self, name: str):
        """The English names of the people `name` asks for (`folding.name_matches`), as a select: a part
        of a way they were written in the store (`name_key`, folded), or of a KB name of theirs."""
        needle = fold(name)
        found = self._contains(ParticipantRow.name_key, needle)
        kb = sorted(kb_people(needle))
        return select(ParticipantRow.name_en).where(or_(found, ParticipantRow.name_en.in_(kb)) if kb else found)

    def _contains(self, column, needle: str):
        """`needle` is a part of `column` (no LIKE: its wildcards, and SQLite's ASCII-only case folding)."""
        return (func.instr(column, needle) if self.dialect == "sqlite" else func.strpos(column, needle)) > 0

    def _event_columns(self, q: SearchQuery) -> list:
        """Conditions on the events table's own columns."""
        conds = []
        if q.format:
            conds.append(or_(EventRow.named_format == q.format, EventRow.format == q.format))
        if q.status:
            conds.append(EventRow.status == q.status)
        if q.mode:
            conds.append(EventRow.mode == q.mode)
        if q.date_from:
            conds.append(EventRow.date_start >= q.date_from)
        if q.date_to:  # a date known only to the month or the year is in the range when all of its period is
            conds.append(or_(and_(func.coalesce(EventRow.date_precision, "day") == "day", EventRow.date_start <= q.date_to),
                             and_(func.coalesce(EventRow.date_precision, "day") != "day",
                                  func.coalesce(EventRow.date_end, EventRow.date_start) <= q.date_to)))
        states = review_states(q)
        if states == ("confirmed", "corrected", "unreviewed"):
            conds.append(VISIBLE)
        elif states is not None:
            conds.append(EventRow.review_state.in_(states))
        return conds

    def _text(self, q: SearchQuery, event_id) -> list:
        if not q.text:
            return []
        return [or_(event_id.in_(self._fts_events(q.text)),
                    event_id.in_(select(EventDocument.event_id).where(
                        EventDocument.document_id.in_(self._fts_documents(q.text)))))]

    def _conditions(self, q: SearchQuery, correlated: bool = False) -> list:
        conds = []
        for table, col, value in self._links(q):
            cond = getattr(table, col) == value
            conds.append(select(table.event_id).where(table.event_id == EventRow.id, cond).exists() if correlated
                         else EventRow.id.in_(select(table.event_id).where(cond)))
        for cond in self._people(q):
            conds.append(select(ParticipantRow.id).where(ParticipantRow.event_id == EventRow.id, cond).exists()
                         if correlated else EventRow.id.in_(select(ParticipantRow.event_id).where(cond)))
        return conds + self._event_columns(q) + self._text(q, EventRow.id)

    def _filtered_ids(self, q: SearchQuery):
        """A sub-select of the ids of the events `q` matches (no order, no paging)."""
        conds = self._conditions(q)
        stmt = select(EventRow.id)
        return stmt.where(and_(*conds)) if conds else stmt

    def _fts_events(self, query: str):
        if self.dialect == "sqlite":
            return text("SELECT rowid FROM events_fts WHERE events_fts MATCH :q").bindparams(
                q=fts_query(query)).columns(rowid=Integer)
        return select(EventRow.id).where(EVENT_TSV.op("@@")(ts_query(query)))

    def _fts_documents(self, query: str):
        if self.dialect == "sqlite":
            return text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q").bindparams(
                q=fts_query(query)).columns(rowid=Integer)
        return select(DocumentRow.id).where(DOCUMENT_TSV.op("@@")(ts_query(query)))

    # -- events ----------------------------------------------------------------------------------
    def _ordered(self, q: SearchQuery, correlated: bool = False):
        stmt = select(EventRow)
        conds = self._conditions(q, correlated)
        if conds:
            stmt = stmt.where(and_(*conds))
        sort = q.sort if q.sort in SORTS else "-date"
        if sort.endswith("sources"):
            n = select(func.count()).where(EventDocument.event_id == EventRow.id).scalar_subquery()
            stmt = stmt.order_by(n.desc() if sort.startswith("-") else n.asc(), EventRow.id.desc())
        elif sort.endswith("id"):
            stmt = stmt.order_by(EventRow.id.desc() if sort.startswith("-") else EventRow.id.asc())
        elif sort == "confidence":  # the review queue: what the extractor is least sure of first
            stmt = stmt.order_by(EventRow.confidence.asc().nulls_first(), EventRow.id.asc())
        elif sort == "date":
            stmt = stmt.order_by(EventRow.date_start.asc().nulls_last(), EventRow.id.asc())
        elif self.dialect == "sqlite":  # NULLs sort first ascending, so last descending: the index order
            stmt = stmt.order_by(EventRow.date_start.desc(), EventRow.id.desc())
        else:
            stmt = stmt.order_by(EventRow.date_start.desc().nulls_last(), EventRow.id.desc())
        return stmt

    def search(self, q: SearchQuery) -> list[EventRow]:
        stmt = self._ordered(q)
        if q.limit is not None:
            stmt = stmt.limit(q.limit)
        if q.offset:
            stmt = stmt.offset(q.offset)
        with self.Session() as s:
            return list(s.scalars(stmt).unique())

    def search_dicts(self, q: SearchQuery, total: int | None = None) -> list[dict[str, Any]]:
        """`search` as plain dicts (the shape of `views.event_dict`), read with a handful of Core
        queries instead of ORM objects: the fast path of the API and the CLI.

        With `total` (what `count(q)` gave), a page of many matches is read in date or id order with
        each filter checked per event, stopping at the page's end; few matches are collected first
        and sorted."""
        correlated = False
        if total and q.limit is not None and q.sort in ("-date", "date", "-id", "id") and (self._links(q) or self._people(q)):
            with self.Session() as s:
                n_events = s.scalar(select(func.count()).select_from(EventRow)) or 0
            # events read before the page is full, if matches are spread evenly, against the matches
            correlated = (q.offset + q.limit) * n_events / total <= max(total, 5000)
        stmt = self._ordered(q, correlated).with_only_columns(EventRow.id)
        if q.limit is not None:
            stmt = stmt.limit(q.limit)
        if q.offset:
            stmt = stmt.offset(q.offset)
        with self.Session() as s:
            ids = [i for i, in s.execute(stmt).all()]
            return self._dicts(s, ids)

    def page(self, q: SearchQuery, use_index: bool = True) -> tuple[int, list[dict[str, Any]]]:
        """How many events `q` matches and the requested page of them (as `search_dicts`): from the
        in-memory index where it is current and can order `q`, else from SQL."""
        if supports(q):
            got = self._indexed(q, lambda s, index, ids: index.page(s, q, ids), use_index)
            if got is not None:
                total, ids = got
                with self.Session() as s:
                    return total, self._dicts(s, ids)
        total = self.count(q)
        return total, self.search_dicts(q, total=total)

    def _dicts(self, s: Session, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        cols = EventRow.__table__.c
        out: dict[int, dict[str, Any]] = {}
        for r in s.execute(select(EventRow.__table__).where(cols.id.in_(ids))).mappings():
            out[r["id"]] = {
                "id": r["id"], "status": r["status"], "mode": r["mode"], "format": r["format"],
                "named_format": r["named_format"],
                "date": date_dict(_date(r["date_start"]), _date(r["date_end"]) if r["date_end"] else None,
                                  r["date_precision"]) if r["date_start"] else None,
                "location": {"name": r["location_name"], "country": r["location_country"], "lat": r["lat"], "lon": r["lon"]}
                if r["location_name"] else None,
                "countries": [], "organizations": [], "participants": [],
                "visit": {"type": r["visit_type"], "visitor": r["visit_visitor"], "host": r["visit_host"]}
                if r["visit_type"] else None,
                "topics": [], "outcomes": [], "figures": [], "sources": [],
                "review": {"state": r["review_state"], "new_since_review": bool(r["new_since_review"])},
                "confidence": r["confidence"]}
        for eid, iso in s.execute(select(EventCountry.event_id, EventCountry.iso3).where(EventCountry.event_id.in_(ids))):
            out[eid]["countries"].append(iso)
        for eid, org in s.execute(select(EventOrganization.event_id, EventOrganization.org)
                                  .where(EventOrganization.event_id.in_(ids))):
            out[eid]["organizations"].append(org)
        for eid, topic in s.execute(select(EventTopic.event_id, EventTopic.topic).where(EventTopic.event_id.in_(ids))):
            out[eid]["topics"].append(topic)
        for eid, name, name_en, role, country in s.execute(
                select(ParticipantRow.event_id, ParticipantRow.name, ParticipantRow.name_en, ParticipantRow.role,
                       ParticipantRow.country).where(ParticipantRow.event_id.in_(ids)).order_by(ParticipantRow.id)):
            out[eid]["participants"].append({"name": name, "name_en": name_en, "role": role, "country": country})
        for eid, typ, title, doc in s.execute(select(OutcomeRow.event_id, OutcomeRow.type, OutcomeRow.title,
                                                     OutcomeRow.document_id).where(OutcomeRow.event_id.in_(ids))
                                              .order_by(OutcomeRow.id)):
            out[eid]["outcomes"].append({"type": typ, "title": title, "document_id": doc})
        for eid, ind, val, unit, kind, year, doc in s.execute(
                select(FigureRow.event_id, FigureRow.indicator, FigureRow.value, FigureRow.unit, FigureRow.kind,
                       FigureRow.year, FigureRow.document_id).where(FigureRow.event_id.in_(ids)).order_by(FigureRow.id)):
            out[eid]["figures"].append({"indicator": ind, "value": val, "unit": unit, "kind": kind, "year": year,
                                        "document_id": doc})
        for eid, doc in s.execute(select(EventDocument.event_id, EventDocument.document_id)
                                  .where(EventDocument.event_id.in_(ids))):
            out[eid]["sources"].append(doc)
        for d in out.values():
            for key in ("countries", "organizations", "topics", "sources"):
                d[key].sort()
        return [out[i] for i in ids if i in out]

    def count(self, q: SearchQuery) -> int:
        """How many events `q` matches. Link filters are joined value-first through their covering
        indexes (each row is unique per event, so the join counts each event once); the events
        table joins in only when one of its columns is filtered."""
        links = self._links(q)
        if not links:
            with self.Session() as s:
                return int(s.scalar(select(func.count()).select_from(self._filtered_ids(q).subquery())) or 0)
        tables = [aliased(t) for t, _, _ in links]
        first = tables[0]
        conds = [getattr(a, col) == value for (_, col, value), a in zip(links, tables, strict=True)]
        stmt = select(func.count()).select_from(first)
        for a in tables[1:]:
            stmt = stmt.join(a, a.event_id == first.event_id)
        own = self._event_columns(q)
        if own:
            stmt = stmt.join(EventRow, EventRow.id == first.event_id)
        people = [first.event_id.in_(select(ParticipantRow.event_id).where(c)) for c in self._people(q)]
        stmt = stmt.where(*conds, *own, *people, *self._text(q, first.event_id))
        with self.Session() as s:
            return int(s.scalar(stmt) or 0)

    def iter_events(self, q: SearchQuery, batch: int = 500) -> Iterator[EventRow]:
        """Every event `q` matches, in its order, `batch` at a time (exports of any size)."""
        offset, left = q.offset, q.limit
        while left is None or left > 0:
            size = batch if left is None else min(batch, left)
            page = self.search(SearchQuery(**{**q.__dict__, "limit": size, "offset": offset}))
            yield from page
            if len(page) < size:
                return
            offset += size
            if left is not None:
                left -= size

    # -- aggregates --------------------------------------------------------------------------------
    # -- the in-memory index ---------------------------------------------------------------------
    def _sql_only(self, q: SearchQuery):
        """The ids of events passing the filters the in-memory index has no mask for (full text, a
        participant's role), as a select; None when `q` has none."""
        conds = self._text(q, EventRow.id)
        if q.role:
            conds.append(EventRow.id.in_(select(ParticipantRow.event_id).where(ParticipantRow.role == q.role)))
        return select(EventRow.id).where(*conds) if conds else None

    def _indexed(self, q: SearchQuery, fn, use_index: bool = True):
        """`fn(session, index, sql_ids)` over the current in-memory index, or None when there is none
        (a store version still settling) or the store changed under it: then SQL answers."""
        if not use_index:
            return None
        with self.Session() as s:
            index = self.facets.get(s)
            if index is None:
                return None
            try:
                return fn(s, index, self._sql_only(q))
            except Stale:
                return None

    # -- aggregates --------------------------------------------------------------------------------
    def graph(self, q: SearchQuery, nodes: str = "country", min_weight: int = 1, limit: int = 300,
              use_index: bool = True) -> dict[str, Any]:
        """Who meets whom: nodes are states (`country`) or people (`person`); an edge's weight is the
        number of events both took part in. `limit` keeps the heaviest edges.

        From the in-memory index when it is current; else events are grouped in SQL by who took part
        (`country_key` / `people_key`, one sorted string per event), one row per distinct line-up,
        and the pairs of each line-up are counted here, weighted by its number of events."""
        person = nodes == "person"
        got = self._indexed(q, lambda s, index, ids: index.graph(s, q, ids, "person" if person else "country",
                                                                 min_weight, limit), use_index)
        if got is not None:
            node_events, heavy = got
        else:
            node_events, heavy = self._graph_sql(q, person, min_weight, limit)
        out_edges = [{"source": a, "target": b, "weight": int(w)} for a, b, w in heavy]
        used = ({e["source"] for e in out_edges} | {e["target"] for e in out_edges}) if out_edges else set(node_events)
        if person:  # a person's country and role as in their latest event
            names = sorted(used)
            latest: dict[str, tuple[str | None, str | None]] = {}
            with self.Session() as s:
                for i in range(0, len(names), 500):
                    last = (select(func.max(ParticipantRow.id)).where(ParticipantRow.name_en.in_(names[i:i + 500]))
                            .group_by(ParticipantRow.name_en))
                    for name, country, role in s.execute(
                            select(ParticipantRow.name_en, ParticipantRow.country, ParticipantRow.role)
                            .where(ParticipantRow.id.in_(last))):
                        latest[name] = (country, role)
            info = {n: {"id": n, "label": n, "type": "person", "country": latest.get(n, (None, None))[0],
                        "role": latest.get(n, (None, None))[1], "events": node_events[n]} for n in used}
        else:
            info = {c: {"id": c, "label": _country_name(c), "type": "country", "events": node_events[c]} for c in used}
        out_nodes = sorted(info.values(), key=lambda n: (-n["events"], n["id"]))
        return {"nodes": out_nodes, "edges": out_edges}

    def _graph_sql(self, q: SearchQuery, person: bool, min_weight: int,
                   limit: int) -> tuple[dict[str, int], list[tuple[str, str, int]]]:
        key, sep = (EventRow.people_key, KEY_SEP) if person else (EventRow.country_key, ",")
        stmt = select(key, func.count()).where(*self._conditions(q)).group_by(key)
        node_events: dict[str, int] = {}
        pairs: dict[tuple[str, str], int] = {}
        count_node, count_pair = node_events.get, pairs.get
        with self.Session() as s:
            for members_key, n in s.execute(stmt).tuples():
                if not members_key:
                    continue
                members = members_key.split(sep)  # sorted and distinct (`event_keys`)
                for m in members:
                    node_events[m] = count_node(m, 0) + n
                if len(members) > 1:
                    for pair in combinations(members, 2):
                        pairs[pair] = count_pair(pair, 0) + n
        heavy = sorted(((a, b, w) for (a, b), w in pairs.items() if w >= min_weight),
                       key=lambda t: (-t[2], t[0], t[1]))[:limit]
        return node_events, heavy

    def timeline(self, q: SearchQuery, by: str = "country", use_index: bool = True) -> dict[str, Any]:
        """Events per month, one series per country (`by=country`), per format (`format`) or in total."""
        got = self._indexed(q, lambda s, index, ids: index.timeline(s, q, ids, by), use_index)
        if got is not None:
            rows = [(bucket, key, n) for (bucket, key), n in got.items()]
        else:
            rows = self._timeline_sql(q, by)
        series: dict[str, dict[str, int]] = defaultdict(dict)
        buckets: set[str] = set()
        for b, key, n in rows:
            series[str(key)][b] = series[str(key)].get(b, 0) + int(n)
            buckets.add(b)
        # a date known only by its year is counted in that year, never in its January
        months = sorted(b for b in buckets if len(b) == 7)
        years = sorted(b for b in buckets if len(b) == 4)
        totals = Counter({k: sum(v.values()) for k, v in series.items()})
        return {"by": by, "months": months, "years": years,
                "series": [{"key": k, "label": _country_name(k) if by == "country" else k, "total": totals[k],
                            "counts": [series[k].get(m, 0) for m in months],
                            "year_counts": [series[k].get(y, 0) for y in years]}
                           for k in sorted(totals, key=lambda k: (-totals[k], k))]}

    def _timeline_sql(self, q: SearchQuery, by: str) -> list[tuple[str, str, int]]:
        month = (func.substr(EventRow.date_start, 1, 7) if self.dialect == "sqlite"  # dates are ISO text there
                 else func.to_char(EventRow.date_start, "YYYY-MM"))
        precision = func.coalesce(EventRow.date_precision, "day")
        with self.Session() as s:
            base = select(month.label("m"), precision.label("p")).where(*self._conditions(q), EventRow.date_start.is_not(None))
            if by == "country":
                stmt = (base.add_columns(EventCountry.iso3, func.count())
                        .join(EventCountry, EventCountry.event_id == EventRow.id).group_by("m", "p", EventCountry.iso3))
            elif by == "format":
                key = func.coalesce(EventRow.named_format, EventRow.format)
                stmt = base.add_columns(key, func.count()).group_by("m", "p", key)
            else:
                stmt = base.add_columns(text("'all'"), func.count()).group_by("m", "p")
            return [(m[:4] if p == "year" else m, str(k), int(n)) for m, p, k, n in s.execute(stmt).all()]

    def places(self, q: SearchQuery, use_index: bool = True) -> list[dict[str, Any]]:
        """Meeting places with coordinates and the number of events held there."""
        got = self._indexed(q, lambda s, index, ids: index.place_counts(s, q, ids), use_index)
        if got is None:
            got = self._places_sql(q)
        # first and last meeting at the precision of their dates ("2025" for one known only by year)
        return [{"name": n, "country": c, "lat": round(float(la), 5), "lon": round(float(lo), 5), "events": k,
                 "first": when_text(d0), "last": when_text(d1)} for n, c, la, lo, k, d0, d1 in got]

    def _places_sql(self, q: SearchQuery) -> list[tuple[str, str | None, float, float, int, int, int]]:
        """As `Facets.place_counts`, from SQL: per place and date precision, then across precisions."""
        with self.Session() as s:
            rows = s.execute(
                select(EventRow.location_name, EventRow.location_country, EventRow.date_precision, func.sum(EventRow.lat),
                       func.sum(EventRow.lon), func.count(), func.min(EventRow.date_start), func.max(EventRow.date_start))
                .where(*self._conditions(q), EventRow.lat.is_not(None), EventRow.lon.is_not(None))
                .group_by(EventRow.location_name, EventRow.location_country, EventRow.date_precision)).all()
        acc: dict[tuple[str, str | None], list] = {}
        for n, c, p, la, lo, k, d0, d1 in rows:
            a = acc.setdefault((n, c), [0.0, 0.0, 0, None, NO_DATE])
            a[0] += float(la)
            a[1] += float(lo)
            a[2] += int(k)
            if d0 is not None:
                first, last = when_code(_date(d0), p), when_code(_date(d1), p)
                a[3] = first if a[3] is None else min(a[3], first)
                a[4] = max(a[4], last)
        out = [(n, c, la / k, lo / k, k, NO_DATE if first is None else first, last)
               for (n, c), (la, lo, k, first, last) in acc.items()]
        return sorted(out, key=lambda r: (-r[4], r[0]))

    def people(self, name: str | None = None, country: str | None = None, limit: int = 100,
               offset: int = 0, use_index: bool = True) -> list[dict[str, Any]]:
        """People who took part in events (not rejected ones), most events first. `name` matches any way
        a person was written (English or as in the article, any case); `country` any state they
        represented. The name, state and role shown are those of their latest event."""
        return self.people_page(name, country, limit, offset, use_index)[1]

    def people_page(self, name: str | None = None, country: str | None = None, limit: int = 100,
                    offset: int = 0, use_index: bool = True) -> tuple[int, list[dict[str, Any]]]:
        """(how many people `people` finds, the requested page of them)."""
        country = country.upper() if country else None
        got = self._indexed(SearchQuery(), lambda s, index, ids: index.people(s), use_index)
        if got is not None:
            needle = fold(name) if name else None
            hits = [(n, p) for n, p in got.items()
                    if p["events"] and (needle is None or name_matches(needle, n, p["names"]))
                    and (country is None or country in p["countries"])]
            hits.sort(key=lambda np_: (-np_[1]["events"], np_[0]))
            return len(hits), [{"name_en": n, "name": p["latest"][0], "country": p["latest"][1], "role": p["latest"][2],
                                "events": p["events"]} for n, p in hits[offset:offset + limit]]
        # a name and a state each of any of the person's rows, as the index matches them
        chosen = select(ParticipantRow.name_en)
        if name:
            chosen = chosen.where(ParticipantRow.name_en.in_(self._named(name)))
        if country:
            chosen = chosen.where(ParticipantRow.name_en.in_(select(ParticipantRow.name_en)
                                                             .where(ParticipantRow.country == country)))
        n_events = func.count(func.distinct(ParticipantRow.event_id))
        stmt = (select(ParticipantRow.name_en, n_events, func.max(ParticipantRow.id))
                .join(EventRow, EventRow.id == ParticipantRow.event_id)
                .where(ParticipantRow.name_en.in_(chosen), VISIBLE).group_by(ParticipantRow.name_en)
                .order_by(n_events.desc(), ParticipantRow.name_en).limit(limit).offset(offset))
        counted = (select(func.count(func.distinct(ParticipantRow.name_en)))
                   .join(EventRow, EventRow.id == ParticipantRow.event_id).where(ParticipantRow.name_en.in_(chosen), VISIBLE))
        with self.Session() as s:
            rows = s.execute(stmt).all()
            total = int(s.scalar(counted) or 0)
            latest = {i: (nm, c, r) for i, nm, c, r in s.execute(
                select(ParticipantRow.id, ParticipantRow.name, ParticipantRow.country, ParticipantRow.role)
                .where(ParticipantRow.id.in_([r[2] for r in rows])))} if rows else {}
        return total, [{"name_en": n, "name": latest[i][0], "country": latest[i][1], "role": latest[i][2],
                        "events": int(k)} for n, k, i in rows]

    def person(self, name_en: str, use_index: bool = True) -> dict[str, Any] | None:
        """One person: the ways they were written, their roles and state, and the 20 people they met
        most (events together, then by name)."""
        with self.Session() as s:
            rows = s.execute(select(ParticipantRow.name, ParticipantRow.role, ParticipantRow.country)
                             .join(EventRow, EventRow.id == ParticipantRow.event_id)
                             .where(ParticipantRow.name_en == name_en, VISIBLE)).all()
        if not rows:
            return None
        roles = Counter(r for _, r, _ in rows)
        countries = Counter(c for _, _, c in rows if c)
        met = self._indexed(SearchQuery(), lambda s, index, ids: index.met(s, name_en), use_index)
        if met is None:
            met = Counter()
            with self.Session() as s:
                ev_ids = (select(ParticipantRow.event_id).join(EventRow, EventRow.id == ParticipantRow.event_id)
                          .where(ParticipantRow.name_en == name_en, VISIBLE))
                for other, in s.execute(select(ParticipantRow.name_en).where(
                        ParticipantRow.event_id.in_(ev_ids), ParticipantRow.name_en != name_en)).all():
                    met[other] += 1
        return {"name_en": name_en, "names": sorted({n for n, _, _ in rows}), "roles": dict(roles.most_common()),
                "country": countries.most_common(1)[0][0] if countries else None,
                "met": [{"name_en": n, "events": k} for n, k in sorted(met.items(), key=lambda nk: (-nk[1], nk[0]))[:20]]}

    def document(self, document_id: int) -> dict[str, Any] | None:
        with self.Session() as s:
            d = s.get(DocumentRow, document_id)
            if d is None:
                return None
            events = [e for e, in s.execute(select(EventDocument.event_id).where(EventDocument.document_id == d.id)
                                            .order_by(EventDocument.event_id)).all()]
            from kurultai.views import outlet_dict

            return {"id": d.id, "key": d.doc_key, "source": d.source, "lang": d.lang, "title": d.title, **outlet_dict(d),
                    "published": d.published.isoformat() if d.published else None, "duplicate_of": d.duplicate_of,
                    "text": d.text, "events": events}

    def document_meta(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """{document id: its source (URL or path), outlet, publication date and the day it was added}."""
        ids = sorted(set(ids))
        out: dict[int, dict[str, Any]] = {}
        with self.Session() as s:
            for i in range(0, len(ids), 500):
                for did, source, outlet, published, added in s.execute(
                        select(DocumentRow.id, DocumentRow.source, DocumentRow.outlet, DocumentRow.published,
                               DocumentRow.ingested_at).where(DocumentRow.id.in_(ids[i:i + 500]))):
                    out[did] = {"id": did, "source": source, "outlet": outlet,
                                "published": _date(published).isoformat() if published else None,
                                "added": (added.date() if isinstance(added, dt.datetime) else _date(added)).isoformat()
                                if added else None}
        return out

    def events_of_document(self, document_id: int) -> list[int]:
        with self.Session() as s:
            return [e for e, in s.execute(select(EventDocument.event_id).where(EventDocument.document_id == document_id)
                                          .order_by(EventDocument.event_id)).all()]

    def countries(self, use_index: bool = True) -> list[dict[str, Any]]:
        """States with the number of their events and the date of the latest, most events first."""
        got = self._indexed(SearchQuery(), lambda s, index, ids: index.countries(), use_index)
        if got is None:
            got = {}
            with self.Session() as s:
                for iso, p, k, d in s.execute(
                        select(EventCountry.iso3, EventRow.date_precision, func.count(), func.max(EventRow.date_start))
                        .join(EventRow, EventRow.id == EventCountry.event_id).where(VISIBLE)
                        .group_by(EventCountry.iso3, EventRow.date_precision)).all():
                    n, last = got.get(iso, (0, NO_DATE))
                    got[iso] = (n + int(k), max(last, when_code(_date(d), p)) if d is not None else last)
        # the latest meeting at the precision of its date ("2025", never "2025-01-01")
        return [{"iso3": iso, "name": _country_name(iso), "events": k, "last": when_text(d)}
                for iso, (k, d) in sorted(got.items(), key=lambda kv: (-kv[1][0], kv[0]))]

    def country(self, iso3: str, use_index: bool = True) -> dict[str, Any] | None:
        """One state: its events, the states it met most, its topics (most events first, then by name)
        and its people."""
        iso3 = iso3.upper()
        q = SearchQuery(country=iso3, limit=None)
        with self.Session() as s:
            n = s.scalar(select(func.count()).select_from(EventCountry).join(EventRow, EventRow.id == EventCountry.event_id)
                         .where(EventCountry.iso3 == iso3, VISIBLE))
        if not n:
            return None
        topics = self._indexed(q, lambda s, index, ids: index.topic_counts(s, q, ids), use_index)
        if topics is None:
            with self.Session() as s:
                a = aliased(EventCountry)
                topics = dict(s.execute(select(EventTopic.topic, func.count()).join(a, a.event_id == EventTopic.event_id)
                                        .join(EventRow, EventRow.id == EventTopic.event_id)
                                        .where(a.iso3 == iso3, VISIBLE).group_by(EventTopic.topic)).tuples().all())
        # partners: the states met, by events together (the graph of this state's events)
        met = self.graph(q, limit=100_000, use_index=use_index)["nodes"]
        partners = [(n["id"], n["events"]) for n in met if n["id"] != iso3][:30]
        return {"iso3": iso3, "name": _country_name(iso3), "events": int(n),
                "partners": [{"iso3": p, "name": _country_name(p), "events": int(k)} for p, k in partners],
                "topics": {t: int(k) for t, k in sorted(topics.items(), key=lambda tk: (-tk[1], tk[0]))},
                "people": self.people(country=iso3, limit=30, use_index=use_index)}

    def facet_counts(self, q: SearchQuery, most: int = 12, use_index: bool = True) -> dict[str, list[tuple[str, int]]]:
        """How many of the events `q` matches have each value of a facet (Datasette's facets: the counts
        follow every active filter): {facet: [(value, events)], most events first then by value, at most
        `most`}. Facets: country, org, topic, kind (bilateral / multilateral), named (the named format),
        status, mode, role (someone of it took part). From the in-memory index where it is current, else SQL."""
        ids = self._filtered_ids(q)
        n = func.count()
        n_events = func.count(func.distinct(ParticipantRow.event_id))
        top = lambda counts: sorted(counts, key=lambda vk: (-vk[1], vk[0]))[:most]  # noqa: E731
        out: dict[str, list[tuple[str, int]]] = {}
        got = self._indexed(q, lambda s, index, sql_ids: index.facet_counts(s, q, sql_ids), use_index)
        if got is not None:  # from the in-memory index
            return {facet: top(got.get(facet, {}).items()) for facet in FACETS}
        stmts = {
            "country": select(EventCountry.iso3, n).where(EventCountry.event_id.in_(ids)).group_by(EventCountry.iso3),
            "org": select(EventOrganization.org, n).where(EventOrganization.event_id.in_(ids)).group_by(EventOrganization.org),
            "topic": select(EventTopic.topic, n).where(EventTopic.event_id.in_(ids)).group_by(EventTopic.topic),
            "kind": select(EventRow.format, n).where(EventRow.id.in_(ids)).group_by(EventRow.format),
            "named": select(EventRow.named_format, n).where(EventRow.id.in_(ids), EventRow.named_format.is_not(None))
            .group_by(EventRow.named_format),
            "status": select(EventRow.status, n).where(EventRow.id.in_(ids)).group_by(EventRow.status),
            "mode": select(EventRow.mode, n).where(EventRow.id.in_(ids)).group_by(EventRow.mode),
            "role": select(ParticipantRow.role, n_events).where(ParticipantRow.event_id.in_(ids)).group_by(ParticipantRow.role),
        }
        with self.Session() as s:
            for facet, stmt in stmts.items():
                out[facet] = top((str(v), int(k)) for v, k in s.execute(stmt).all() if v is not None)
        return out

    def named_formats(self) -> list[tuple[str, int]]:
        """The named formats of the events shown, with their number of events, most first."""
        n = func.count()
        with self.Session() as s:
            rows = s.execute(select(EventRow.named_format, n).where(EventRow.named_format.is_not(None), VISIBLE)
                             .group_by(EventRow.named_format)).all()
        return sorted(((str(f), int(k)) for f, k in rows), key=lambda fk: (-fk[1], fk[0]))

    def texts(self, ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
        """{document id: (its text, its language)} of the documents `ids`."""
        ids = sorted(set(ids))
        out: dict[int, tuple[str, str | None]] = {}
        with self.Session() as s:
            for i in range(0, len(ids), 500):
                for did, text_, lang in s.execute(select(DocumentRow.id, DocumentRow.text, DocumentRow.lang)
                                                  .where(DocumentRow.id.in_(ids[i:i + 500]))):
                    out[did] = (text_, lang)
        return out

    def organizations(self) -> list[dict[str, Any]]:
        from kurultai.kb import load_kb

        kb = load_kb()
        with self.Session() as s:
            rows = s.execute(select(EventOrganization.org, func.count())
                             .join(EventRow, EventRow.id == EventOrganization.event_id).where(VISIBLE)
                             .group_by(EventOrganization.org)
                             .order_by(func.count().desc(), EventOrganization.org)).all()
        out = []
        for oid, k in rows:
            org = kb.organizations.get(oid)
            name = (org.names.get("en") or [oid])[0] if org else oid
            out.append({"id": oid, "name": name, "events": int(k), "members": list(org.members) if org else []})
        return out


def _country_name(iso3: str) -> str:
    from kurultai.kb import load_kb

    c = load_kb().countries.get(iso3)
    return c.name("en") if c else iso3
