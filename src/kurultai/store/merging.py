"""Events made from reports: storing a document's reports, finding the component each belongs to, and
re-clustering that component (`merge.cluster`) into events whose every field is rebuilt from their
reports in key order — so the store holds the same events, with the same fields, in any order of
ingestion (only the ids differ), and `remerge` can rebuild them all after a rule or KB change.

An event keeps the lowest id its reports had; an event left without reports is deleted. Fields: the
status is the most advanced of its reports (planned → held), sets are united, a single value (date,
place, named format, visit) is the one most reports give (a finer date wins a tie, then key order),
and each value that lost is recorded as a conflict of the document that gave it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.orm import Session, lazyload, undefer

from kurultai.merge import (
    STATUS_RANK,
    Comparison,
    Report,
    cluster,
    compare,
    confidence,
    person_key,
    report_of,
    similarity,
)
from kurultai.models import Event
from kurultai.store.models import (
    KEY_SEP,
    ConflictRow,
    DocumentRow,
    EventCountry,
    EventDocument,
    EventOrganization,
    EventRow,
    EventTopic,
    EvidenceRow,
    FigureRow,
    MergeCandidateRow,
    OutcomeRow,
    ParticipantRow,
    ReportKey,
    ReportRow,
)
from kurultai.store.review import apply_overrides, links_of

MAX_CACHED = 20_000  # stored reports a store keeps parsed in memory
MAX_COMPONENT = 400  # reports clustered together at most (the ones first in key order)
PRECISION_RANK = {"day": 3, "month": 2, "year": 1}
# an event's lists: rows of their own tables, rebuilt with it
CHILD_TABLES = (EvidenceRow, ConflictRow, EventCountry, EventOrganization, EventTopic, ParticipantRow, OutcomeRow,
                FigureRow, EventDocument)
RELATIONS = ("countries", "organizations", "topics", "participants", "outcomes", "figures", "sources")


class ReportCache:
    """What was read of stored reports and their documents, which never change once stored (a store
    keeps one across its writes; emptied when it grows past MAX_CACHED reports)."""

    def __init__(self) -> None:
        self.documents: dict[int, tuple] = {}  # id: (published, minhash)
        self.reports: dict[int, Report] = {}
        self.events: dict[int, Event] = {}

    def trim(self) -> None:
        if len(self.events) > MAX_CACHED or len(self.documents) > MAX_CACHED:
            self.documents.clear()
            self.reports.clear()
            self.events.clear()


class PendingLists:
    """The rows of events' lists (CHILD_TABLES) a batch of documents rebuilt, written together when the
    batch is: one bulk statement per table instead of one per table and event (the writer's hot path).
    An event rebuilt again in the batch replaces its rows; a deleted event drops them. `snapshot` and
    `restore` undo what one document of the batch did when its savepoint is rolled back."""

    def __init__(self) -> None:
        self.rows: dict[int, list[tuple[type, list[dict]]]] = {}
        self.unwritten: set[int] = set()  # events made in this batch: none of their rows is stored yet
        self.stale: set[int] = set()  # stored events whose stored rows go before the batch's are written

    def clear(self, event_id: int) -> None:
        """The stored rows of `event_id` are replaced: deleted when the batch is written."""
        if event_id not in self.unwritten:
            self.stale.add(event_id)

    def put(self, event_id: int, tables: list[tuple[type, list[dict]]], *, fresh: bool) -> None:
        self.rows.pop(event_id, None)  # rows in the order of the events' last rebuilds
        self.rows[event_id] = tables
        if fresh:
            self.unwritten.add(event_id)

    def drop(self, event_id: int) -> None:
        """`event_id` is deleted (its stored rows with it)."""
        self.rows.pop(event_id, None)
        self.unwritten.discard(event_id)
        self.stale.discard(event_id)

    def snapshot(self) -> tuple[dict, set, set]:
        return dict(self.rows), set(self.unwritten), set(self.stale)

    def restore(self, snap: tuple[dict, set, set]) -> None:
        self.rows, self.unwritten, self.stale = dict(snap[0]), set(snap[1]), set(snap[2])

    def write(self, s: Session) -> None:
        by_table: dict[type, list[dict]] = {}
        for tables in self.rows.values():
            for table, rows in tables:
                by_table.setdefault(table, []).extend(rows)
        stale = sorted(self.stale)
        self.rows, self.unwritten, self.stale = {}, set(), set()
        s.flush()  # the events first
        for table in CHILD_TABLES:
            for i in range(0, len(stale), 500):
                s.execute(delete(table).where(table.event_id.in_(stale[i:i + 500]))
                          .execution_options(synchronize_session=False))
            if by_table.get(table):
                s.execute(insert(table), by_table[table])


class Merger:
    """Merging inside one write transaction. `touched` collects the events created, changed or deleted."""

    def __init__(self, s: Session, cache: ReportCache | None = None, *, links: bool = True,
                 pending: PendingLists | None = None) -> None:
        """`links=False`: the store holds no analyst's merge or split link (known under the write lock,
        so it holds for the whole transaction), and none is looked up. `pending`: the events' lists
        are written with the batch's (`PendingLists.write`), not at once."""
        self.s = s
        self.links = links
        self.pending = pending
        self.touched: set[int] = set()
        cache = cache if cache is not None else ReportCache()
        self._documents, self._reports, self._events = cache.documents, cache.reports, cache.events

    # -- adding ------------------------------------------------------------------------------
    def add_reports(self, doc: DocumentRow, content_hash: str, events: list[Event]) -> list[ReportRow]:
        rows = []
        for i, ev in enumerate(events):
            rep = report_of(ev, f"{content_hash}:{i:04d}", doc.id, doc.published, doc.minhash)
            row = ReportRow(document_id=doc.id, event_index=i, key=rep.key, component=0, status=ev.status,
                            dated=rep.dated, lo=rep.lo, hi=rep.hi, payload=ev.model_dump_json())
            self.s.add(row)
            rows.append(row)
        self.s.flush()
        self._documents[doc.id] = (doc.published, doc.minhash)
        for row, ev in zip(rows, events, strict=True):
            row.component = row.id
            self._events[row.id] = ev
            self.s.add_all(ReportKey(report_id=row.id, key=k) for k in dict.fromkeys(self.report(row).keys()))
        self.s.flush()
        return rows

    def place(self, rows: list[ReportRow]) -> None:
        """Join the components of `rows` with those of the stored reports they may be one event with,
        and cluster the components that changed."""
        with self.s.no_autoflush:  # what the queries below read is flushed already; the changes wait
            self._place(rows)

    def _place(self, rows: list[ReportRow]) -> None:
        components = set()
        alone: dict[int, ReportRow] = {}  # components of one new report that joined nothing (no query)
        for row in rows:
            rep = self.report(row)
            joined = {row.component}
            for other in self.candidates(row):
                if other.component not in joined and self._compare(rep, other).joins:
                    joined.add(other.component)
            target = min(joined)
            if len(joined) > 1:
                for other in self.s.scalars(select(ReportRow).where(ReportRow.component.in_(joined - {target}))):
                    other.component = target
                components -= joined
                for comp in joined:
                    alone.pop(comp, None)
            else:
                alone[target] = row
            components.add(target)
        self.s.flush()
        for comp in sorted(components):
            members = [alone[comp]] if comp in alone else list(
                self.s.scalars(select(ReportRow).where(ReportRow.component == comp)))
            self.recluster(members)

    def remerge(self) -> int:
        """Find every component again and re-cluster each (after a change of rules or KB); returns the
        number of components. Events keep their ids where their reports stay together."""
        rows = list(self.s.scalars(select(ReportRow).options(undefer(ReportRow.payload)).order_by(ReportRow.key)))
        parent = {r.id: r.id for r in rows}

        def root(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for row in rows:
            rep = self.report(row)
            for other in self.candidates(row):
                if other.id > row.id or root(other.id) == root(row.id):
                    continue  # each pair once, from its later report
                if self._compare(rep, other).joins:
                    a, b = root(row.id), root(other.id)
                    parent[max(a, b)] = min(a, b)
        by_key = {r.key: r.id for r in rows}
        for lk in links_of(self.s, list(by_key)):
            if lk.kind == "same" and lk.a_key in by_key and lk.b_key in by_key:
                a, b = root(by_key[lk.a_key]), root(by_key[lk.b_key])
                parent[max(a, b)] = min(a, b)
        for eid in self.s.scalars(select(EventRow.id).where(EventRow.review_state != "unreviewed")):
            ids = [r.id for r in rows if r.event_id == eid]
            for x in ids[1:]:
                a, b = root(ids[0]), root(x)
                parent[max(a, b)] = min(a, b)
        members: dict[int, list[ReportRow]] = {}
        for row in rows:
            row.component = root(row.id)
            members.setdefault(row.component, []).append(row)
        self.s.flush()
        for comp in sorted(members):
            self.recluster(members[comp])
        return len(members)

    def candidates(self, row: ReportRow) -> list[ReportRow]:
        """Stored reports sharing a key with `row` whose time can meet its time (the index answers)."""
        keys, prefixes = self.report(row).probes()
        if not keys and not prefixes:
            return []
        found = [ReportKey.key.in_(keys)] if keys else []
        # a prefix as a range of the index (keys compare byte by byte: SQLite's binary collation, and
        # the "C" collation migration 0007 gives the column on PostgreSQL); LIKE would scan every report
        found += [and_(ReportKey.key >= p, ReportKey.key < p[:-1] + chr(ord(p[-1]) + 1)) for p in prefixes]
        q = (select(ReportRow).join(ReportKey, ReportKey.report_id == ReportRow.id)
             .where(or_(*found), ReportRow.id != row.id))
        if row.lo is not None:
            q = q.where(or_(ReportRow.hi.is_(None), ReportRow.hi >= row.lo - 1))
        if row.hi is not None:
            q = q.where(or_(ReportRow.lo.is_(None), ReportRow.lo <= row.hi + 1))
        return list(self.s.scalars(q.distinct().order_by(ReportRow.key)))

    # -- clustering --------------------------------------------------------------------------
    def recluster(self, rows: list[ReportRow], changed: frozenset[int] = frozenset()) -> None:
        """Cluster one component's reports into events; `changed`: events to rebuild even if their
        reports stay the same (a split took others away)."""
        rows = sorted(rows, key=lambda r: r.key)[:MAX_COMPONENT]
        reports = [self.report(r) for r in rows]
        before: dict[int, set[int]] = {}
        for r in rows:
            if r.event_id is not None:
                before.setdefault(r.event_id, set()).add(r.id)
        reviewed = dict(self.s.execute(select(EventRow.id, EventRow.review_state).where(
            EventRow.id.in_(before), EventRow.review_state != "unreviewed")).tuples().all()) if before else {}
        same, apart = self._decisions(rows, reviewed)
        result = cluster(reports, same=same, apart=apart)
        taken: set[int] = set()
        plan: list[tuple[int | None, list[ReportRow]]] = []
        for group in result.groups:
            members = [rows[i] for i in group]
            # a reviewed event keeps its id (and its review); else the lowest id its reports had
            old = sorted({m.event_id for m in members if m.event_id is not None} - taken,
                         key=lambda e: (e not in reviewed, e))
            eid = old[0] if old else None
            if eid is not None:
                taken.add(eid)
            plan.append((eid, members))
        if any(r.merge_state == "ambiguous" for r in rows):  # only an ambiguous report has candidates
            self.s.execute(delete(MergeCandidateRow).where(MergeCandidateRow.report_id.in_([r.id for r in rows])))
        for i, r in enumerate(rows):
            tie = result.joined.get(i)
            if tie is not None:
                r.merge_state, r.merge_confidence, r.merge_basis = "joined", confidence(tie.score), ", ".join(tie.basis)
            elif i in result.ambiguous:
                r.merge_state, r.merge_confidence, r.merge_basis = "ambiguous", 0.0, "fits several events"
                for j in result.ambiguous[i]:
                    c = self._compare(reports[i], rows[j])
                    self.s.add(MergeCandidateRow(report_id=r.id, candidate_id=rows[j].id, score=c.score))
            else:
                r.merge_state, r.merge_confidence, r.merge_basis = "alone", 0.0, ""
        for eid, members in plan:
            ids = {m.id for m in members}
            if eid is not None and before.get(eid) == ids and eid not in changed:
                continue  # this event's reports are the ones it had: nothing to rebuild
            fresh = eid is None
            # its lists are not loaded: a rebuild writes them anew
            event = self.s.get(EventRow, eid, options=(lazyload("*"),)) if eid is not None else None
            if event is None:  # its lists made empty here, so that no query loads them
                event = EventRow(status="held", mode="in_person", format="bilateral", summary="", countries=[],
                                 organizations=[], topics=[], participants=[], outcomes=[], figures=[], sources=[])
                self.s.add(event)
                self.s.flush()
            for m in members:
                m.event_id = event.id
            if event.id in reviewed and ids - before.get(event.id, set()):
                event.new_since_review = True  # a source joined after the review
            self.rebuild(event, members, fresh)
        self.s.flush()
        for gone in sorted(set(before) - taken):
            self.touched.add(gone)
            if self.pending is not None:
                self.pending.drop(gone)
            self.s.execute(delete(EventRow).where(EventRow.id == gone))

    def event(self, row: ReportRow) -> Event:
        ev = self._events.get(row.id)
        if ev is None:
            ev = self._events[row.id] = Event.model_validate_json(row.payload)
        return ev

    def _decisions(self, rows: list[ReportRow], reviewed: dict[int, str]) -> tuple[list, list]:
        """The pairs (indices into `rows`) decided one event or two: the analysts' merge and split links,
        the reports of each reviewed event together, and those of two reviewed events apart."""
        at = {r.key: i for i, r in enumerate(rows)}
        same, apart = [], []
        for lk in links_of(self.s, list(at)) if self.links else []:
            if lk.a_key in at and lk.b_key in at:
                (same if lk.kind == "same" else apart).append((at[lk.a_key], at[lk.b_key]))
        by_event: dict[int, list[int]] = {}
        for i, r in enumerate(rows):
            if r.event_id in reviewed:
                by_event.setdefault(r.event_id, []).append(i)
        groups = list(by_event.values())
        split = {(min(p), max(p)) for p in apart}
        for g in groups:  # a reviewed event's reports together, but for those an analyst split
            same += [(i, j) for i, j in combinations(sorted(g), 2) if (i, j) not in split]
        for x, y in combinations(range(len(groups)), 2):
            apart += [(i, j) for i in groups[x] for j in groups[y]]
        return same, apart

    def report(self, row: ReportRow) -> Report:
        rep = self._reports.get(row.id)
        if rep is None:
            if row.document_id not in self._documents:
                self._documents[row.document_id] = self.s.execute(
                    select(DocumentRow.published, DocumentRow.minhash).where(DocumentRow.id == row.document_id)).one()
            published, minhash = self._documents[row.document_id]
            rep = report_of(self.event(row), row.key, row.document_id, published, minhash)
            self._reports[row.id] = rep
        return rep

    def _compare(self, rep: Report, row: ReportRow) -> Comparison:
        other = self.report(row)
        copies = similarity(rep.signature, other.signature) if rep.signature and other.signature else 0.0
        return compare(rep, other, copies)

    # -- events from reports -----------------------------------------------------------------
    def rebuild(self, row: EventRow, members: list[ReportRow], fresh: bool = False) -> None:
        """Every field of `row` from its reports (`fresh`: a new event, with nothing to clear). The rows
        of its lists are written as bulk statements, not through the ORM's collections (the writer's hot
        path); the collections are expired after, so a later read in this session loads what is stored."""
        s = self.s
        self.touched.add(row.id)
        members = sorted(members, key=lambda m: m.key)
        events = [(m.document_id, self.event(m)) for m in members]
        reviewed = not fresh and row.review_state != "unreviewed"  # only a reviewed event has overrides
        pending = self.pending
        if pending is not None and reviewed:  # its overrides read its lists: what the batch holds goes first
            pending.write(s)
        if pending is not None and not reviewed:
            if not fresh:
                pending.clear(row.id)
        elif not fresh:
            for table in CHILD_TABLES:
                s.execute(delete(table).where(table.event_id == row.id).execution_options(synchronize_session=False))
        first = events[0][1]
        row.status = max((ev.status for _, ev in events), key=lambda st: STATUS_RANK.get(st, 0))
        row.mode = first.mode
        row.confidence = max((ev.confidence for _, ev in events if ev.confidence is not None), default=None)
        conflicts: list[dict] = []

        def single(fld: str, value, shown, rank=None) -> Event | None:
            """The report giving the value of `fld` most reports give (then the finer, then the first in
            key order); every other value given is recorded as a conflict of its document."""
            given = [(doc_id, ev, value(ev)) for doc_id, ev in events if value(ev)]
            if not given:
                return None
            votes = Counter(v for _, _, v in given)
            first = {v: i for i, (_, _, v) in reversed(list(enumerate(given)))}
            best = max(votes, key=lambda v: (votes[v], rank(given[first[v]][1]) if rank else 0, -first[v]))
            conflicts.extend({"event_id": row.id, "document_id": doc_id, "field": fld, "value": shown(ev)}
                             for doc_id, ev, v in given if v != best)
            return given[first[best]][1]

        fmt = single("named_format", lambda ev: ev.named_format, lambda ev: ev.named_format)
        row.named_format = fmt.named_format if fmt else None
        date = single("date", lambda ev: ev.date and (ev.date.start, ev.date.end, ev.date.precision),
                      lambda ev: ev.date.start.isoformat(), rank=lambda ev: PRECISION_RANK.get(ev.date.precision, 0))
        row.date_start, row.date_end, row.date_precision = (
            (date.date.start, date.date.end, date.date.precision) if date and date.date else (None, None, None))
        loc = single("location", lambda ev: ev.location and ev.location.name, lambda ev: ev.location.name)
        place = loc.location if loc else None
        row.location_name, row.location_country = (place.name, place.country) if place else (None, None)
        row.lat, row.lon = (place.lat, place.lon) if place else (None, None)
        vis = single("visit", lambda ev: ev.visit and (ev.visit.type, ev.visit.visitor, ev.visit.host),
                     lambda ev: ev.visit.type)
        visit = vis.visit if vis else None
        row.visit_type, row.visit_visitor, row.visit_host = (visit.type, visit.visitor, visit.host) if visit else (None, None, None)
        countries = sorted({c for _, ev in events for c in ev.countries})
        orgs = sorted({o for _, ev in events for o in ev.organizations})
        topics = sorted({t for _, ev in events for t in ev.topics})
        people: dict[str, dict] = {}
        for _, ev in events:
            for p in ev.participants:
                k = person_key(p.name_en) or p.name_en
                have = people.get(k)
                if have is None:
                    people[k] = {"event_id": row.id, "name": p.name, "name_en": p.name_en, "role": p.role,
                                 "country": p.country}
                else:  # a later report may know the role or the state the first did not
                    if have["role"] == "other" and p.role != "other":
                        have["role"] = p.role
                    if have["country"] is None and p.country:
                        have["country"] = p.country
        # one row per real document: the same joint statement reported in five languages is one, so
        # of each type the event keeps the list of the source that names the most (first in key order)
        kept: dict[str, int] = {}
        for k, (_, ev) in enumerate(events):
            for t in {o.type for o in ev.outcomes}:
                n = sum(o.type == t for o in ev.outcomes)
                if t not in kept or n > sum(o.type == t for o in events[kept[t]][1].outcomes):
                    kept[t] = k
        outcomes: list[dict] = []
        for k, (doc_id, ev) in enumerate(events):
            seen = set()
            for o in ev.outcomes:
                if kept.get(o.type) == k and (o.type, o.title) not in seen:
                    seen.add((o.type, o.title))
                    outcomes.append({"event_id": row.id, "document_id": doc_id, "type": o.type, "title": o.title})
        figures: list[dict] = []
        said = set()
        for doc_id, ev in events:
            for f in ev.figures:
                if (f.indicator, f.kind, f.value) not in said:
                    said.add((f.indicator, f.kind, f.value))
                    figures.append({"event_id": row.id, "document_id": doc_id, "indicator": f.indicator,
                                    "value": f.value, "unit": f.unit, "kind": f.kind, "year": f.year})
        sources: list[dict] = []
        evidence: list[dict] = []
        for doc_id, ev in events:
            if all(d["document_id"] != doc_id for d in sources):  # two of its events an analyst made one
                sources.append({"event_id": row.id, "document_id": doc_id, "extraction_id": ev.id, "status": ev.status})
            evidence.extend(evidence_rows(row.id, doc_id, ev))
        lists = [(EventCountry, [{"event_id": row.id, "iso3": c} for c in countries]),
                 (EventOrganization, [{"event_id": row.id, "org": o} for o in orgs]),
                 (EventTopic, [{"event_id": row.id, "topic": t} for t in topics]),
                 (ParticipantRow, list(people.values())), (OutcomeRow, outcomes), (FigureRow, figures),
                 (EventDocument, sources), (EvidenceRow, evidence), (ConflictRow, conflicts)]
        if pending is not None and not reviewed:
            pending.put(row.id, [(table, rows) for table, rows in lists if rows], fresh=fresh)
        else:
            s.flush()  # the event's own row first (a new one is flushed already)
            for table, rows in lists:
                if rows:
                    s.execute(insert(table), rows)
        s.expire(row, RELATIONS)
        multilateral = len(set(countries) | set(orgs)) >= 3 or any(ev.format == "multilateral" for _, ev in events)
        row.format = "multilateral" if multilateral else "bilateral"
        if reviewed:
            apply_overrides(s, row)  # it reads and writes the lists through the ORM: they load first
            row.summary = summary(row)
            row.people_key = KEY_SEP.join(sorted({p.name_en for p in row.participants}))
        else:
            row.summary = summary_of(row.named_format,
                                     (row.location_name, row.location_country) if row.location_name else None,
                                     countries, orgs,
                                     [(p["name"], p["name_en"]) for p in people.values()], topics,
                                     [o["title"] for o in outcomes])
            row.people_key = KEY_SEP.join(sorted({p["name_en"] for p in people.values()}))
        row.country_key = ",".join(countries)
        s.flush()


def evidence_rows(event_id: int, doc_id: int, ev: Event) -> Iterable[dict]:
    def rows(fld: str, item: str | None, spans):
        for a, b in spans or []:
            yield {"event_id": event_id, "document_id": doc_id, "field": fld, "item": item, "start": a, "end": b}

    yield from rows("event", None, ev.evidence)
    if ev.date:
        yield from rows("date", ev.date.start.isoformat(), ev.date.evidence)
    if ev.location:
        yield from rows("location", ev.location.name, ev.location.evidence)
    if ev.visit:
        yield from rows("visit", ev.visit.type, ev.visit.evidence)
    for p in ev.participants:
        yield from rows("participant", p.name_en, p.evidence)
    for o in ev.outcomes:
        yield from rows("outcome", o.title[:500], o.evidence)
    for f in ev.figures:
        yield from rows("figure", f"{f.indicator} {f.value:g} {f.unit}", f.evidence)


def summary(row: EventRow) -> str:
    """The event's search text, from its stored row and lists (`summary_of`)."""
    return summary_of(row.named_format, (row.location_name, row.location_country) if row.location_name else None,
                      [c.iso3 for c in row.countries], [o.org for o in row.organizations],
                      [(p.name, p.name_en) for p in row.participants], [t.topic for t in row.topics],
                      [o.title for o in row.outcomes])


def summary_of(named_format: str | None, location: tuple[str, str | None] | None, countries: Iterable[str],
               orgs: Iterable[str], people: Iterable[tuple[str, str]], topics: Iterable[str],
               outcomes: Iterable[str]) -> str:
    """The event's search text: its fields and the KB names, in every language, of what it links
    (`store.search.event_text`); `people` in the order they were stored."""
    from kurultai.store.search import event_text

    return event_text(named_format, location, list(countries), list(orgs), list(people), list(topics), list(outcomes))
