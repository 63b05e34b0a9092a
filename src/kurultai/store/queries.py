"""Reading the record: filtered, sorted and paged events, and the aggregates the API, the dashboard
and the exports show (who-meets-whom graph, timeline, places, people, countries, organisations).

Every reader takes the same `SearchQuery`, so a filter means the same thing in `kurultai search`,
`/api/...`, the dashboard and `kurultai export`. Values reach SQL as bound parameters only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, and_, func, or_, select, text
from sqlalchemy.orm import aliased

from kurultai.store.models import (
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

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

SORTS = ("date", "-date", "id", "-id", "sources", "-sources")
STATUSES = ("held", "planned", "referenced")


@dataclass
class SearchQuery:
    text: str | None = None
    country: str | None = None
    person: str | None = None
    org: str | None = None
    format: str | None = None
    topic: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str | None = None
    mode: str | None = None
    limit: int | None = 50
    offset: int = 0
    sort: str = "-date"
    extra: dict = field(default_factory=dict)


def fts_query(q: str) -> str:
    """User words as an FTS5 query of quoted terms (no operator injection)."""
    words = [w.replace('"', "") for w in q.split() if w.strip('"')]
    return " ".join(f'"{w}"' for w in words) or '""'


def month_of(day: dt.date | None) -> str | None:
    return day.strftime("%Y-%m") if day else None


class Queries:
    """Mixed into `Store`: needs `self.Session` and `self.dialect`."""

    Session: sessionmaker
    dialect: str

    # -- filters -------------------------------------------------------------------------------
    def _conditions(self, q: SearchQuery) -> list:
        conds = []
        if q.country:
            conds.append(EventRow.id.in_(select(EventCountry.event_id).where(EventCountry.iso3 == q.country.upper())))
        if q.org:
            conds.append(EventRow.id.in_(select(EventOrganization.event_id).where(EventOrganization.org == q.org.upper())))
        if q.topic:
            conds.append(EventRow.id.in_(select(EventTopic.event_id).where(EventTopic.topic == q.topic)))
        if q.person:
            like = f"%{q.person.lower()}%"
            conds.append(EventRow.id.in_(select(ParticipantRow.event_id).where(
                or_(func.lower(ParticipantRow.name_en).like(like), func.lower(ParticipantRow.name).like(like)))))
        if q.extra.get("person_exact"):
            conds.append(EventRow.id.in_(select(ParticipantRow.event_id).where(
                ParticipantRow.name_en == q.extra["person_exact"])))
        if q.format:
            conds.append(or_(EventRow.named_format == q.format, EventRow.format == q.format))
        if q.status:
            conds.append(EventRow.status == q.status)
        if q.mode:
            conds.append(EventRow.mode == q.mode)
        if q.date_from:
            conds.append(EventRow.date_start >= q.date_from)
        if q.date_to:
            conds.append(EventRow.date_start <= q.date_to)
        if q.text:
            conds.append(or_(EventRow.id.in_(self._fts_events(q.text)),
                             EventRow.id.in_(select(EventDocument.event_id).where(
                                 EventDocument.document_id.in_(self._fts_documents(q.text))))))
        return conds

    def _filtered_ids(self, q: SearchQuery):
        """A sub-select of the ids of the events `q` matches (no order, no paging)."""
        conds = self._conditions(q)
        stmt = select(EventRow.id)
        return stmt.where(and_(*conds)) if conds else stmt

    def _fts_events(self, query: str):
        if self.dialect == "sqlite":
            return text("SELECT rowid FROM events_fts WHERE events_fts MATCH :q").bindparams(
                q=fts_query(query)).columns(rowid=Integer)
        return select(EventRow.id).where(
            func.to_tsvector("simple", EventRow.summary).op("@@")(func.plainto_tsquery("simple", query)))

    def _fts_documents(self, query: str):
        if self.dialect == "sqlite":
            return text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q").bindparams(
                q=fts_query(query)).columns(rowid=Integer)
        return select(DocumentRow.id).where(
            func.to_tsvector("simple", func.coalesce(DocumentRow.title, "") + " " + DocumentRow.text).op("@@")(
                func.plainto_tsquery("simple", query)))

    # -- events ----------------------------------------------------------------------------------
    def _ordered(self, q: SearchQuery):
        stmt = select(EventRow)
        conds = self._conditions(q)
        if conds:
            stmt = stmt.where(and_(*conds))
        sort = q.sort if q.sort in SORTS else "-date"
        if sort.endswith("sources"):
            n = select(func.count()).where(EventDocument.event_id == EventRow.id).scalar_subquery()
            stmt = stmt.order_by(n.desc() if sort.startswith("-") else n.asc(), EventRow.id.desc())
        elif sort.endswith("id"):
            stmt = stmt.order_by(EventRow.id.desc() if sort.startswith("-") else EventRow.id.asc())
        elif sort == "date":
            stmt = stmt.order_by(EventRow.date_start.asc().nulls_last(), EventRow.id.asc())
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

    def search_dicts(self, q: SearchQuery) -> list[dict[str, Any]]:
        """`search` as plain dicts (the shape of `views.event_dict`), read with a handful of Core
        queries instead of ORM objects: the fast path of the API and the CLI."""
        stmt = self._ordered(q).with_only_columns(EventRow.id)
        if q.limit is not None:
            stmt = stmt.limit(q.limit)
        if q.offset:
            stmt = stmt.offset(q.offset)
        with self.Session() as s:
            ids = [i for i, in s.execute(stmt).all()]
            return self._dicts(s, ids)

    def _dicts(self, s: Session, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        cols = EventRow.__table__.c
        out: dict[int, dict[str, Any]] = {}
        for r in s.execute(select(EventRow.__table__).where(cols.id.in_(ids))).mappings():
            out[r["id"]] = {
                "id": r["id"], "status": r["status"], "mode": r["mode"], "format": r["format"],
                "named_format": r["named_format"],
                "date": {"start": r["date_start"].isoformat(), "end": r["date_end"].isoformat() if r["date_end"] else None,
                         "precision": r["date_precision"]} if r["date_start"] else None,
                "location": {"name": r["location_name"], "country": r["location_country"], "lat": r["lat"], "lon": r["lon"]}
                if r["location_name"] else None,
                "countries": [], "organizations": [], "participants": [],
                "visit": {"type": r["visit_type"], "visitor": r["visit_visitor"], "host": r["visit_host"]}
                if r["visit_type"] else None,
                "topics": [], "outcomes": [], "figures": [], "sources": []}
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
        with self.Session() as s:
            return int(s.scalar(select(func.count()).select_from(self._filtered_ids(q).subquery())) or 0)

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
    def graph(self, q: SearchQuery, nodes: str = "country", min_weight: int = 1, limit: int = 300) -> dict[str, Any]:
        """Who meets whom: nodes are states (`country`) or people (`person`); an edge's weight is the
        number of events both took part in. `limit` keeps the heaviest edges."""
        ids = self._filtered_ids(q).subquery()
        with self.Session() as s:
            if nodes == "person":
                a, b = aliased(ParticipantRow), aliased(ParticipantRow)
                key_a, key_b = a.name_en, b.name_en
                node_rows = s.execute(
                    select(ParticipantRow.name_en, func.max(ParticipantRow.country), func.max(ParticipantRow.role),
                           func.count(func.distinct(ParticipantRow.event_id)))
                    .where(ParticipantRow.event_id.in_(select(ids.c.id))).group_by(ParticipantRow.name_en)).all()
                node_info = {n: {"id": n, "label": n, "type": "person", "country": c, "role": r, "events": k}
                             for n, c, r, k in node_rows}
            else:
                a, b = aliased(EventCountry), aliased(EventCountry)
                key_a, key_b = a.iso3, b.iso3
                node_rows = s.execute(select(EventCountry.iso3, func.count()).where(
                    EventCountry.event_id.in_(select(ids.c.id))).group_by(EventCountry.iso3)).all()
                node_info = {iso: {"id": iso, "label": _country_name(iso), "type": "country", "events": k}
                             for iso, k in node_rows}
            weight = func.count(func.distinct(a.event_id))
            edges = s.execute(
                select(key_a, key_b, weight)
                .join(b, and_(a.event_id == b.event_id, key_a < key_b))
                .where(a.event_id.in_(select(ids.c.id)))
                .group_by(key_a, key_b).having(weight >= min_weight)
                .order_by(weight.desc(), key_a, key_b).limit(limit)).all()
        out_edges = [{"source": x, "target": y, "weight": int(w)} for x, y, w in edges]
        used = {e["source"] for e in out_edges} | {e["target"] for e in out_edges}
        out_nodes = sorted((v for k, v in node_info.items() if k in used or not out_edges),
                           key=lambda n: (-n["events"], n["id"]))
        return {"nodes": out_nodes, "edges": out_edges}

    def timeline(self, q: SearchQuery, by: str = "country") -> dict[str, Any]:
        """Events per month, one series per country (`by=country`), per format (`format`) or in total."""
        ids = self._filtered_ids(q).subquery()
        month = (func.strftime("%Y-%m", EventRow.date_start) if self.dialect == "sqlite"
                 else func.to_char(EventRow.date_start, "YYYY-MM"))
        with self.Session() as s:
            base = select(month.label("m")).where(EventRow.id.in_(select(ids.c.id)), EventRow.date_start.is_not(None))
            if by == "country":
                stmt = (base.add_columns(EventCountry.iso3, func.count())
                        .join(EventCountry, EventCountry.event_id == EventRow.id).group_by("m", EventCountry.iso3))
            elif by == "format":
                key = func.coalesce(EventRow.named_format, EventRow.format)
                stmt = base.add_columns(key, func.count()).group_by("m", key)
            else:
                stmt = base.add_columns(text("'all'"), func.count()).group_by("m")
            rows = s.execute(stmt).all()
        series: dict[str, dict[str, int]] = defaultdict(dict)
        months: set[str] = set()
        for m, key, n in rows:
            series[str(key)][m] = int(n)
            months.add(m)
        ordered = sorted(months)
        totals = Counter({k: sum(v.values()) for k, v in series.items()})
        return {"by": by, "months": ordered,
                "series": [{"key": k, "label": _country_name(k) if by == "country" else k, "total": totals[k],
                            "counts": [series[k].get(m, 0) for m in ordered]} for k, _ in totals.most_common()]}

    def places(self, q: SearchQuery) -> list[dict[str, Any]]:
        """Meeting places with coordinates and the number of events held there."""
        ids = self._filtered_ids(q).subquery()
        with self.Session() as s:
            rows = s.execute(
                select(EventRow.location_name, EventRow.location_country, func.avg(EventRow.lat), func.avg(EventRow.lon),
                       func.count(), func.min(EventRow.date_start), func.max(EventRow.date_start))
                .where(EventRow.id.in_(select(ids.c.id)), EventRow.lat.is_not(None), EventRow.lon.is_not(None))
                .group_by(EventRow.location_name, EventRow.location_country)
                .order_by(func.count().desc(), EventRow.location_name)).all()
        return [{"name": n, "country": c, "lat": round(float(la), 5), "lon": round(float(lo), 5), "events": int(k),
                 "first": d0.isoformat() if d0 else None, "last": d1.isoformat() if d1 else None}
                for n, c, la, lo, k, d0, d1 in rows]

    def people(self, name: str | None = None, country: str | None = None, limit: int = 100,
               offset: int = 0) -> list[dict[str, Any]]:
        stmt = select(ParticipantRow.name_en, func.max(ParticipantRow.name), func.max(ParticipantRow.country),
                      func.max(ParticipantRow.role), func.count(func.distinct(ParticipantRow.event_id)))
        if name:
            like = f"%{name.lower()}%"
            stmt = stmt.where(or_(func.lower(ParticipantRow.name_en).like(like), func.lower(ParticipantRow.name).like(like)))
        if country:
            stmt = stmt.where(ParticipantRow.country == country.upper())
        n_events = func.count(func.distinct(ParticipantRow.event_id))
        stmt = stmt.group_by(ParticipantRow.name_en).order_by(n_events.desc(), ParticipantRow.name_en).limit(limit).offset(offset)
        with self.Session() as s:
            return [{"name_en": n, "name": orig, "country": c, "role": r, "events": int(k)}
                    for n, orig, c, r, k in s.execute(stmt).all()]

    def person(self, name_en: str) -> dict[str, Any] | None:
        with self.Session() as s:
            rows = s.execute(select(ParticipantRow.name, ParticipantRow.role, ParticipantRow.country)
                             .where(ParticipantRow.name_en == name_en)).all()
        if not rows:
            return None
        roles = Counter(r for _, r, _ in rows)
        countries = Counter(c for _, _, c in rows if c)
        met: Counter = Counter()
        with self.Session() as s:
            ev_ids = select(ParticipantRow.event_id).where(ParticipantRow.name_en == name_en)
            for other, in s.execute(select(ParticipantRow.name_en).where(
                    ParticipantRow.event_id.in_(ev_ids), ParticipantRow.name_en != name_en)).all():
                met[other] += 1
        return {"name_en": name_en, "names": sorted({n for n, _, _ in rows}), "roles": dict(roles.most_common()),
                "country": countries.most_common(1)[0][0] if countries else None,
                "met": [{"name_en": n, "events": k} for n, k in met.most_common(20)]}

    def document(self, document_id: int) -> dict[str, Any] | None:
        with self.Session() as s:
            d = s.get(DocumentRow, document_id)
            if d is None:
                return None
            events = [e for e, in s.execute(select(EventDocument.event_id).where(EventDocument.document_id == d.id)
                                            .order_by(EventDocument.event_id)).all()]
            return {"id": d.id, "key": d.doc_key, "source": d.source, "lang": d.lang, "title": d.title, "outlet": d.outlet,
                    "published": d.published.isoformat() if d.published else None, "duplicate_of": d.duplicate_of,
                    "text": d.text, "events": events}

    def events_of_document(self, document_id: int) -> list[int]:
        with self.Session() as s:
            return [e for e, in s.execute(select(EventDocument.event_id).where(EventDocument.document_id == document_id)
                                          .order_by(EventDocument.event_id)).all()]

    def countries(self) -> list[dict[str, Any]]:
        with self.Session() as s:
            rows = s.execute(select(EventCountry.iso3, func.count(), func.max(EventRow.date_start))
                             .join(EventRow, EventRow.id == EventCountry.event_id)
                             .group_by(EventCountry.iso3).order_by(func.count().desc(), EventCountry.iso3)).all()
        return [{"iso3": iso, "name": _country_name(iso), "events": int(k), "last": d.isoformat() if d else None}
                for iso, k, d in rows]

    def country(self, iso3: str) -> dict[str, Any] | None:
        iso3 = iso3.upper()
        with self.Session() as s:
            n = s.scalar(select(func.count()).where(EventCountry.iso3 == iso3))
            if not n:
                return None
            a, b = aliased(EventCountry), aliased(EventCountry)
            partners = s.execute(select(b.iso3, func.count()).join(a, a.event_id == b.event_id)
                                 .where(a.iso3 == iso3, b.iso3 != iso3).group_by(b.iso3)
                                 .order_by(func.count().desc(), b.iso3).limit(30)).all()
            topics = s.execute(select(EventTopic.topic, func.count()).join(a, a.event_id == EventTopic.event_id)
                               .where(a.iso3 == iso3).group_by(EventTopic.topic).order_by(func.count().desc())).all()
        return {"iso3": iso3, "name": _country_name(iso3), "events": int(n),
                "partners": [{"iso3": p, "name": _country_name(p), "events": int(k)} for p, k in partners],
                "topics": {t: int(k) for t, k in topics},
                "people": self.people(country=iso3, limit=30)}

    def organizations(self) -> list[dict[str, Any]]:
        from kurultai.kb import load_kb

        kb = load_kb()
        with self.Session() as s:
            rows = s.execute(select(EventOrganization.org, func.count()).group_by(EventOrganization.org)
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
