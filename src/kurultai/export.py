"""Exports of the record for other tools: `kurultai export` and `/api/export/{fmt}`.

- csv / parquet: one row per event (flat columns; lists are Parquet lists, in CSV joined by ";", outcome
  titles by " | "; GDELT/ACLED-style join columns: actor1/actor2, source_url, outlet, date_added,
  n_sources, date_precision, geo_precision, admin1) and a
  participants table (one row per event and person). A file export writes both: `OUT.csv` and
  `OUT.participants.csv` (same for parquet). CSV is UTF-8 without BOM, RFC 4180 quoting, CRLF; a text
  cell starting with = + - @ TAB or CR gets a leading apostrophe (article text is untrusted: no formulas
  in spreadsheets). Parquet has an explicit schema (dates as date32, ints, floats, strings).
- jsonl: one event (`kurultai.views.event_dict`) per line.
- geojson: a FeatureCollection of meeting places (Point [lon, lat]) with their event count, first and
  last date and the ids of their events (at most `MAX_PLACE_IDS`; `events` is the full count).
- gexf: the who-meets-whom network of `Store.graph` (states, or people with `nodes="person"`) for Gephi,
  dynamic: each node and edge has the `start` and `end` of its dated events (Gephi's timeline).
- plover: PLOVER event records (openeventdata/PLOVER), as newline-delimited JSON, the layout the
  PLOVER manual recommends: each meeting is a CONSULT record, each document adopted at it an AGREE
  record (see `plover_records`); `data/plover.schema.json` describes exactly the records written.

- gold (`write_gold`, a folder): the analysts' reviewed events as gold for `kurultai eval --gold DIR`,
  in the layout of the shared dev corpus: per document NAME.gold.json (`document.lang` / `published`
  and its events in the contract's form, without evidence), NAME.txt (the stored text) and meta.json
  ({NAME: lang, published, source, document_id}). A document is gold when every event it reports
  is reviewed; its gold events are the confirmed and corrected ones (rejected ones are none).

Every export takes the same `SearchQuery` as search and the API; `limit=None` exports every match.
Rejected events are out of every export unless the query asks for them (`review`, `include_rejected`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kurultai.dates import iso_as_written
from kurultai.store import SearchQuery, Store
from kurultai.store.facets import NO_DATE, when_code, when_text
from kurultai.views import event_dict

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("csv", "jsonl", "parquet", "geojson", "gexf", "plover")
GOLD = "gold"  # `write_gold`: a folder, not a file (the CLI only)
GOLD_STATES = ("confirmed", "corrected")
TABLES = ("events", "participants")
NODES = ("country", "person")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet",
               "geojson": "application/geo+json", "gexf": "application/gexf+xml", "plover": "application/x-ndjson"}
SUFFIXES = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet", "geojson": ".geojson", "gexf": ".gexf",
            "plover": ".plover.jsonl"}
MAX_PLACE_IDS = 200
GRAPH_EDGE_LIMIT = 1_000_000
SCHEMA_PATH = Path(__file__).parent / "data" / "plover.schema.json"

# (column, pyarrow type name): the tables' columns, in order, for CSV and Parquet alike.
# List columns ("list<...>") are Parquet lists; in CSV their items are joined by ";" (titles by " | ").
# The columns a user joins on, as GDELT and ACLED name them: actor1 / actor2 (the two states of a dyad: a
# visit's visitor and host, else in code order; empty for a meeting of more), source_url and outlet (of
# the first source), date_added (when the first source was stored), n_sources, date_precision,
# geo_precision (the KB place's kind: city, venue or region) and admin1 (its first-level division).
EVENT_COLUMNS = [
    ("id", "int64"), ("status", "string"), ("mode", "string"), ("format", "string"), ("named_format", "string"),
    ("date", "string"), ("date_start", "date32"), ("date_end", "date32"), ("date_precision", "string"),
    ("date_added", "date32"),
    ("location_name", "string"), ("location_country", "string"), ("lat", "float64"), ("lon", "float64"),
    ("geo_precision", "string"), ("admin1", "string"),
    ("actor1", "string"), ("actor1_name", "string"), ("actor2", "string"), ("actor2_name", "string"),
    ("countries", "list<string>"), ("organizations", "list<string>"), ("topics", "list<string>"),
    ("participants", "list<string>"), ("n_participants", "int64"),
    ("visit_type", "string"), ("visit_visitor", "string"), ("visit_host", "string"),
    ("n_outcomes", "int64"), ("outcome_types", "list<string>"), ("outcome_titles", "list<string>"),
    ("n_sources", "int64"), ("source_ids", "list<int64>"), ("source_url", "string"), ("source_urls", "list<string>"),
    ("outlet", "string"), ("outlets", "list<string>"),
]
LIST_SEP = {"outcome_titles": " | "}
PARTICIPANT_COLUMNS = [("event_id", "int64"), ("name", "string"), ("name_en", "string"), ("role", "string"),
                       ("country", "string")]


# -- entry points ----------------------------------------------------------------------------------------
def write_export(store: Store, fmt: str, query: SearchQuery, out_path: str | Path, nodes: str = "country") -> dict[str, int]:
    """Write the export to `out_path` (and, for csv/parquet, the participants table beside it, see
    `participants_path`); files appear whole or not at all. Returns what was written, e.g.
    {"events": 12, "participants": 30}."""
    _check(fmt, "events", nodes)
    out = Path(out_path)
    if fmt in ("csv", "parquet"):
        with _atomic(out) as events_fh, _atomic(participants_path(out)) as people_fh:
            return _tabular(store, fmt, query, events_fh, people_fh)
    with _atomic(out) as fh:
        return _WRITERS[fmt](store, query, fh, nodes)


def export_bytes(store: Store, fmt: str, query: SearchQuery, table: str = "events",
                 nodes: str = "country") -> tuple[bytes, str, str]:
    """The export in memory for the API: (content, media type, file name). `table="participants"` gives
    the participants table of csv/parquet; `nodes="person"` the people network of gexf."""
    _check(fmt, table, nodes)
    buf = io.BytesIO()
    if fmt in ("csv", "parquet"):
        _tabular(store, fmt, query, buf if table == "events" else None, buf if table == "participants" else None)
        name = f"kurultai-{table}"
    else:
        _WRITERS[fmt](store, query, buf, nodes)
        name = {"jsonl": "kurultai-events", "geojson": "kurultai-places", "gexf": f"kurultai-network-{nodes}",
                "plover": "kurultai"}[fmt]
    return buf.getvalue(), MEDIA_TYPES[fmt], name + SUFFIXES[fmt]


def participants_path(out_path: str | Path) -> Path:
    """Where the participants table of a csv/parquet export goes: `x.csv` -> `x.participants.csv`."""
    out = Path(out_path)
    return out.with_name(f"{out.stem}.participants{out.suffix}")


def _check(fmt: str, table: str, nodes: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}: one of {', '.join(TABLES)}")
    if nodes not in NODES:
        raise ValueError(f"unknown network nodes {nodes!r}: one of {', '.join(NODES)}")


@contextmanager
def _atomic(path: Path) -> Iterator[IO[bytes]]:
    part = path.with_name(path.name + ".part")
    try:
        with open(part, "wb") as fh:
            yield fh
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _events(store: Store, query: SearchQuery, batch: int = 500) -> Iterator[dict[str, Any]]:
    """The events `q` matches as `event_dict`s, each with `source_documents`: its sources' id, URL or
    path, outlet, publication date and the day they were added."""
    rows: list = []

    def flush() -> Iterator[dict[str, Any]]:
        meta = store.document_meta(d.document_id for r in rows for d in r.sources)
        for r in rows:
            d = event_dict(r)
            d["source_documents"] = [meta[i] for i in d["sources"] if i in meta]
            yield d

    for row in store.iter_events(query):
        rows.append(row)
        if len(rows) >= batch:
            yield from flush()
            rows = []
    yield from flush()


# -- csv / parquet -----------------------------------------------------------------------------------------
def distinct_outcomes(outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An event's adopted documents, once each: the store keeps one outcome per reporting source, so the
    same joint statement told by five outlets is five rows. Per type, the source that names the most
    documents of that type stands for all (its titles are kept)."""
    by_type: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for o in outcomes:
        by_type[o["type"]][o["document_id"]].append(o)
    out: list[dict[str, Any]] = []
    for per_doc in by_type.values():
        out.extend(max(per_doc.values(), key=len))
    return out


def _dyad(d: dict[str, Any]) -> tuple[str | None, str | None]:
    """actor1, actor2: the two states of a meeting of two (a visit: visitor, host), else none."""
    countries, visit = d["countries"], d["visit"] or {}
    if len(countries) != 2:
        return None, None
    if visit.get("visitor") in countries and visit.get("host") in countries and visit["visitor"] != visit["host"]:
        return visit["visitor"], visit["host"]
    return countries[0], countries[1]


def _place(loc: dict[str, Any]) -> tuple[str | None, str | None]:
    """geo_precision and admin1 of a meeting place, from the KB."""
    if not loc.get("name"):
        return None, None
    from kurultai.kb import load_kb

    place = load_kb().place(loc["name"], loc.get("country"))
    return (place.kind, place.admin1) if place else (None, None)


def _country(iso3: str | None) -> str | None:
    from kurultai.kb import load_kb

    c = load_kb().countries.get(iso3) if iso3 else None
    return c.name("en") if c else iso3


def event_row(d: dict[str, Any]) -> dict[str, Any]:
    date, loc, visit = d["date"] or {}, d["location"] or {}, d["visit"] or {}
    outcomes = distinct_outcomes(d["outcomes"])
    docs = d.get("source_documents") or []
    actor1, actor2 = _dyad(d)
    geo, admin1 = _place(loc)
    added = [doc["added"] for doc in docs if doc.get("added")]
    return {
        "id": d["id"], "status": d["status"], "mode": d["mode"], "format": d["format"], "named_format": d["named_format"],
        # the date as written, ISO 8601 at its precision ("2025", "2025-03", "2025-03-12"), and its range
        "date": iso_as_written(date["start"], date.get("precision")) if date else None,
        "date_start": _day(date.get("start")), "date_end": _day(date.get("end")), "date_precision": date.get("precision"),
        "date_added": _day(min(added)) if added else None,
        "location_name": loc.get("name"), "location_country": loc.get("country"), "lat": loc.get("lat"), "lon": loc.get("lon"),
        "geo_precision": geo, "admin1": admin1,
        "actor1": actor1, "actor1_name": _country(actor1), "actor2": actor2, "actor2_name": _country(actor2),
        "countries": list(d["countries"]), "organizations": list(d["organizations"]), "topics": list(d["topics"]),
        "participants": [p["name_en"] for p in d["participants"]], "n_participants": len(d["participants"]),
        "visit_type": visit.get("type"), "visit_visitor": visit.get("visitor"), "visit_host": visit.get("host"),
        "n_outcomes": len(outcomes), "outcome_types": [o["type"] for o in outcomes],
        "outcome_titles": [o["title"] for o in outcomes],
        "n_sources": len(d["sources"]), "source_ids": list(d["sources"]),
        "source_url": next((doc["source"] for doc in docs if doc.get("source")), None),
        "source_urls": [doc["source"] for doc in docs if doc.get("source")],
        "outlet": next((doc["outlet"] for doc in docs if doc.get("outlet")), None),
        "outlets": list(dict.fromkeys(doc["outlet"] for doc in docs if doc.get("outlet"))),
    }


def participant_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"event_id": d["id"], "name": p["name"], "name_en": p["name_en"], "role": p["role"], "country": p["country"]}
            for p in d["participants"]]


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell: None is empty, dates are ISO, text that a spreadsheet would run as a formula is quoted
    with a leading apostrophe. Numbers (a negative longitude) stay numbers."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _arrow_type(pa: Any, name: str) -> Any:
    """A column's pyarrow type: "string", "int64"... or "list<string>" for a list of them."""
    if name.startswith("list<"):
        return pa.list_(_arrow_type(pa, name[5:-1]))
    return getattr(pa, name)()


class _Table:
    """One table being written as CSV (row by row) or Parquet (in row groups)."""

    BATCH = 5000

    def __init__(self, fmt: str, columns: list[tuple[str, str]], fh: IO[bytes]):
        self.fmt, self.names, self.rows, self.count = fmt, [c for c, _ in columns], [], 0
        if fmt == "csv":
            self.text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
            self.csv = csv.writer(self.text, lineterminator="\r\n")
            self.csv.writerow(self.names)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            self.schema = pa.schema([(c, _arrow_type(pa, t)) for c, t in columns])
            self.parquet = pq.ParquetWriter(fh, self.schema)

    def add(self, row: dict[str, Any]) -> None:
        self.count += 1
        if self.fmt == "csv":
            self.csv.writerow([csv_cell(LIST_SEP.get(c, ";").join(str(v) for v in row[c]) if isinstance(row[c], list)
                                        else row[c]) for c in self.names])
            return
        self.rows.append(row)
        if len(self.rows) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.parquet.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        if self.fmt == "csv":
            self.text.flush()
            self.text.detach()
        else:
            self._flush()
            self.parquet.close()


def _tabular(store: Store, fmt: str, query: SearchQuery, events_fh: IO[bytes] | None,
             people_fh: IO[bytes] | None) -> dict[str, int]:
    events = _Table(fmt, EVENT_COLUMNS, events_fh) if events_fh else None
    people = _Table(fmt, PARTICIPANT_COLUMNS, people_fh) if people_fh else None
    n_events = n_people = 0
    for d in _events(store, query):
        n_events += 1
        n_people += len(d["participants"])
        if events:
            events.add(event_row(d))
        if people:
            for p in participant_rows(d):
                people.add(p)
    for table in (events, people):
        if table:
            table.close()
    return {"events": n_events, "participants": n_people}


# -- jsonl, geojson, gexf ----------------------------------------------------------------------------------
def _jsonl(store: Store, query: SearchQuery, fh: IO[bytes], nodes: str) -> dict[str, int]:
    n = 0
    for d in _events(store, query):
        fh.write((json.dumps(d, ensure_ascii=False) + "\n").encode("utf-8"))
        n += 1
    return {"events": n}


def geojson(store: Store, query: SearchQuery) -> dict[str, Any]:
    """Meeting places as a GeoJSON FeatureCollection (grouped as `Store.places` groups them)."""
    places: dict[tuple, dict[str, Any]] = {}
    for d in _events(store, query):
        loc = d["location"]
        if not loc or loc["lat"] is None or loc["lon"] is None:
            continue
        p = places.setdefault((loc["name"], loc["country"]), {"lat": [], "lon": [], "days": [], "ids": []})
        p["lat"].append(loc["lat"])
        p["lon"].append(loc["lon"])
        p["ids"].append(d["id"])
        if d["date"]:
            p["days"].append(when_code(dt.date.fromisoformat(d["date"]["start"]), d["date"]["precision"]))
    features = []
    for (name, country), p in sorted(places.items(), key=lambda kv: (-len(kv[1]["ids"]), kv[0][0] or "")):
        lon, lat = round(sum(p["lon"]) / len(p["lon"]), 5), round(sum(p["lat"]) / len(p["lat"]), 5)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": {"name": name, "country": country, "events": len(p["ids"]),
                                        "first": when_text(min(p["days"], default=NO_DATE)),
                                        "last": when_text(max(p["days"], default=NO_DATE)),
                                        "event_ids": sorted(p["ids"])[:MAX_PLACE_IDS]}})
    return {"type": "FeatureCollection", "features": features}


def _geojson(store: Store, query: SearchQuery, fh: IO[bytes], nodes: str) -> dict[str, int]:
    data = geojson(store, query)
    fh.write(json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return {"places": len(data["features"]), "events": sum(f["properties"]["events"] for f in data["features"])}


def network(store: Store, query: SearchQuery, nodes: str = "country") -> nx.Graph:
    """`Store.graph` as a networkx Graph: node attributes label, type, events (and country, role for
    people), edge attribute weight (events both took part in). The whole network, not the top edges."""
    import networkx as nx

    g = store.graph(query, nodes=nodes, limit=GRAPH_EDGE_LIMIT)
    graph = nx.Graph(name=f"Kurultai {nodes} network")
    spans = _time_spans(store, query, nodes)
    for n in g["nodes"]:
        graph.add_node(n["id"], **{k: v for k, v in n.items() if k != "id" and v is not None}, **spans.get(n["id"], {}))
    for e in g["edges"]:
        graph.add_edge(e["source"], e["target"], weight=e["weight"], **spans.get((e["source"], e["target"]), {}))
    return graph


def _time_spans(store: Store, query: SearchQuery, nodes: str) -> dict[Any, dict[str, str]]:
    """{node or (a, b) edge: {"start": first day, "end": last day}} over the dated events of `query`:
    what Gephi's timeline plays (GEXF `start` / `end`, timeformat date)."""
    first: dict[Any, dt.date] = {}
    last: dict[Any, dt.date] = {}
    for row in store.iter_events(query):
        if row.date_start is None:
            continue
        a, b = row.date_start, row.date_end or row.date_start
        members = sorted({c.iso3 for c in row.countries} if nodes == "country" else {p.name_en for p in row.participants})
        keys: list[Any] = list(members)
        keys += [(x, y) for i, x in enumerate(members) for y in members[i + 1:]]
        for k in keys:
            if k not in first or a < first[k]:
                first[k] = a
            if k not in last or b > last[k]:
                last[k] = b
    return {k: {"start": first[k].isoformat(), "end": last[k].isoformat()} for k in first}


def _gexf(store: Store, query: SearchQuery, fh: IO[bytes], nodes: str) -> dict[str, int]:
    import networkx as nx

    graph = network(store, query, nodes)
    nx.write_gexf(graph, fh)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


# -- PLOVER ------------------------------------------------------------------------------------------------
PLOVER_CODEBOOK = "PLOVER 0.8 (CAMEO2PLOVER-2021), CONSULT and AGREE"
# Kurultai topics as PLOVER general contexts (manual table "General contexts"); unmapped topics add none.
TOPIC_CONTEXT = {
    "security": "military", "borders": "resource", "trade": "economic", "transport": "economic", "energy": "economic",
    "water": "resource", "investment": "economic", "industry": "economic", "agriculture": "economic",
    "health": "disease", "migration": "migration", "culture": "culture", "education": "culture",
    "digital": "economic", "environment": "enviro_disaster", "international": "diplomatic",
}
STATUS_CONTEXT = {"planned": "future", "referenced": "historical"}


@lru_cache(maxsize=1)
def plover_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the PLOVER records `plover_records` emits."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _coder() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"kurultai {version('kurultai')}"
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "kurultai"


def _actors(d: dict[str, Any]) -> list[dict[str, Any]]:
    """States as ISO 3166-1 alpha-3 actors (one per named participant, with the name as written and the
    office; a bare state actor when nobody of that state is named), organisations as IGO actors."""
    from kurultai.kb import load_kb

    kb = load_kb()
    actors: list[dict[str, Any]] = []
    named = set()
    for p in d["participants"]:
        code = p["country"] or ("IGO" if p["role"] == "head_of_organization" else None)
        if code is None:
            continue
        named.add(code)
        actors.append({"code": code, "sector": "GOV" if code != "IGO" else None, "actor_text": p["name"],
                       "name_en": p["name_en"], "office": p["role"]})
    actors.extend({"code": iso, "sector": "GOV"} for iso in d["countries"] if iso not in named)
    for oid in d["organizations"]:
        org = kb.organizations.get(oid)
        actors.append({"code": "IGO", "actor_text": (org.names.get("en") or [oid])[0] if org else oid})
    return [{k: v for k, v in a.items() if v is not None} for a in actors]


def _consult_mode(d: dict[str, Any], visit: bool) -> list[str]:
    """CONSULT modes (manual table "CONSULT modes"): visit, third-party, multilateral, phone."""
    remote = d["mode"] in ("phone", "video")  # "via phone or some other remote medium"
    modes = ["phone"] if remote else ["visit"] if visit else []
    loc = d["location"] or {}
    if d["format"] == "multilateral" or d["organizations"]:
        modes.append("multilateral")
    elif not (remote or visit) and loc.get("country") and len(d["countries"]) >= 2 and loc["country"] not in d["countries"]:
        modes.append("third-party")
    return modes


def plover_records(d: dict[str, Any], coded: dt.date | None = None) -> list[dict[str, Any]]:
    """One stored event (`event_dict`) as PLOVER records: a CONSULT record for the meeting and an AGREE
    record per document adopted at it (`distinct_outcomes`), linked by `link`. A visit makes the visitor
    the source and the host the recipient; otherwise every party is a source (manual, "Compound and
    Reciprocal Actors"). Planned events get the context "future", referenced ones "historical". An event
    without a date has no record (PLOVER requires `date`). Kurultai's own fields are under "kurultai"."""
    if not d["date"]:
        return []
    actors = _actors(d)
    visit = d["visit"] if d["visit"] and d["visit"]["visitor"] and d["visit"]["host"] else None
    if visit:
        source = [a for a in actors if a["code"] != visit["host"]]
        recipient = [a for a in actors if a["code"] == visit["host"]]
        if not source or not recipient:
            visit, source, recipient = None, actors, []
    else:
        source, recipient = actors, []
    if not source:
        return []
    context = sorted({TOPIC_CONTEXT[t] for t in d["topics"] if t in TOPIC_CONTEXT}
                     | ({STATUS_CONTEXT[d["status"]]} if d["status"] in STATUS_CONTEXT else set()))
    loc = d["location"]
    base: dict[str, Any] = {"date": d["date"]["start"]}
    if d["date"]["end"] and d["date"]["end"] != d["date"]["start"]:
        base["enddate"] = d["date"]["end"]
    common: dict[str, Any] = {
        "context": context or None,
        "event_loc": {"name": loc["name"], "latitude": loc["lat"], "longitude": loc["lon"], "cc3": loc["country"]}
        if loc else None,
        "quad_code": 1,  # verbal cooperation
        "link": f"kurultai-event-{d['id']}",
        "cite_info": {"corpus": "Kurultai", "codebook": PLOVER_CODEBOOK},
        "coder": _coder(), "coded_date": (coded or dt.date.today()).isoformat(),
    }
    kurultai = {"event_id": d["id"], "status": d["status"], "mode": d["mode"], "format": d["format"],
                "named_format": d["named_format"], "date_precision": d["date"]["precision"], "sources": d["sources"]}
    consult = {"id": f"KURULTAI-{d['id']}-CONSULT", **base, "source": source, "recipient": recipient or None,
               "event": ["CONSULT"], "mode": _consult_mode(d, bool(visit)) or None, **common, "kurultai": kurultai}
    records = [consult]
    for n, o in enumerate(distinct_outcomes(d["outcomes"]), 1):
        records.append({"id": f"KURULTAI-{d['id']}-AGREE-{n}", **base, "source": actors, "event": ["AGREE"],
                        "event_text": [o["title"]], **common,
                        "kurultai": {**kurultai, "outcome_type": o["type"], "outcome_document_id": o["document_id"]}})
    return [{k: v for k, v in r.items() if v is not None} for r in records]


def _plover(store: Store, query: SearchQuery, fh: IO[bytes], nodes: str) -> dict[str, int]:
    counts = {"records": 0, "consult": 0, "agree": 0, "skipped": 0}
    today = dt.date.today()
    for d in _events(store, query):
        records = plover_records(d, today)
        if not records:
            counts["skipped"] += 1
        for r in records:
            fh.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))
            counts["records"] += 1
            counts[r["event"][0].lower()] += 1
    return counts


_WRITERS = {"jsonl": _jsonl, "geojson": _geojson, "gexf": _gexf, "plover": _plover}


# -- gold ------------------------------------------------------------------------------------------------
def _no_evidence(value: Any) -> Any:
    """`value` without its `evidence` lists (gold states values, not where the text gives them)."""
    if isinstance(value, dict):
        return {k: _no_evidence(v) for k, v in value.items() if k != "evidence"
                and not (k in ("lat", "lon") and v is None)}
    if isinstance(value, list):
        return [_no_evidence(v) for v in value]
    return value


def gold_event(row: Any) -> dict[str, Any]:
    """A stored event in the contract's form (the fields of the guide, no evidence)."""
    from kurultai.store.review import FIELDS, read

    return _no_evidence({field: read(row, field) for field in FIELDS})


def _gold_name(key: str, doc_id: int, taken: set[str]) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", key).strip("._")[:80] or f"doc{doc_id}"
    if name in taken:
        name = f"{name}-{doc_id}"
    taken.add(name)
    return name


def write_gold(store: Store, query: SearchQuery, out_dir: str | Path) -> dict[str, int]:
    """Write the reviewed events of the documents `query` finds as a gold folder (see the module's
    docstring). Returns {"documents": written, "events": gold events, "skipped": documents with an
    event still unreviewed}."""
    from sqlalchemy import select

    from kurultai.store.models import DocumentRow, EventDocument, EventRow

    if query.review not in (None, "reviewed", *GOLD_STATES):
        raise ValueError(f"gold holds reviewed events: review is one of reviewed, {', '.join(GOLD_STATES)}")
    q = SearchQuery(**{**query.__dict__, "limit": query.limit, "offset": 0, "sort": "id",
                       "review": query.review or "reviewed", "include_rejected": False})
    doc_ids = sorted({d.document_id for row in store.iter_events(q) for d in row.sources})
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta: dict[str, dict[str, Any]] = {}
    counts = {"documents": 0, "events": 0, "skipped": 0}
    taken: set[str] = set()
    with store.Session() as s:
        for i in range(0, len(doc_ids), 200):
            chunk = doc_ids[i:i + 200]
            links: dict[int, list[int]] = defaultdict(list)
            for doc, event in s.execute(select(EventDocument.document_id, EventDocument.event_id)
                                        .where(EventDocument.document_id.in_(chunk)).order_by(EventDocument.event_id)):
                links[doc].append(event)
            rows = {r.id: r for r in s.scalars(select(EventRow).where(EventRow.id.in_(
                [e for events in links.values() for e in events])))}
            for doc in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(chunk)).order_by(DocumentRow.id)):
                events = [rows[e] for e in links[doc.id]]
                if any(r.review_state == "unreviewed" for r in events):
                    counts["skipped"] += 1  # its gold would miss an event: not gold yet
                    continue
                name = _gold_name(doc.doc_key, doc.id, taken)
                gold = {"document": {"lang": doc.lang, "published": doc.published.isoformat() if doc.published else None},
                        "events": [gold_event(r) for r in events if r.review_state in GOLD_STATES]}
                with _atomic(out / f"{name}.gold.json") as fh:
                    fh.write((json.dumps(gold, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
                with _atomic(out / f"{name}.txt") as fh:
                    fh.write(doc.text.encode("utf-8"))
                meta[name] = {"lang": doc.lang, "published": gold["document"]["published"], "source": doc.source,
                              "document_id": doc.id}
                counts["documents"] += 1
                counts["events"] += len(gold["events"])
    with _atomic(out / "meta.json") as fh:
        fh.write((json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return counts
