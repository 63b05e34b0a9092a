"""Latency of the read API on a large store: N generated events (with their documents, countries,
topics, participants, outcomes, figures, sources and evidence) are written straight into a fresh
SQLite store with bulk inserts, the app is served by uvicorn in a subprocess, and one keep-alive
HTTP client measures `/api/events` with two filters, `/api/graph` (country and person nodes) and
`/api/timeline`. Targets (issue): `/api/events` with two filters p95 <= 50 ms, `/api/graph` <= 300 ms
at 100,000 events. The server answers from its in-memory index (`kurultai.store.facets`), built by the
first request after start (timed on its own); the store is not written during the run.

    .venv/bin/python benchmarks/api.py [--events 100000] [--db PATH] [--seed 7] [--write]

With `--db PATH` the database is kept (and reused: generation is skipped when it already holds at
least N events, topped up otherwise); without it a temporary directory is used and kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DB_ENV = "KURULTAI_BENCH_DB"
CHUNK = 5000  # events per transaction

# countries of events, skewed toward the region and its main partners
COUNTRY_WEIGHTS = {"KAZ": 30, "UZB": 26, "KGZ": 22, "TJK": 20, "TKM": 14, "RUS": 18, "CHN": 14, "TUR": 9, "USA": 7,
                   "AFG": 5, "IRN": 5, "AZE": 5, "IND": 4, "PAK": 4, "BLR": 4, "ARM": 3, "DEU": 3, "FRA": 2, "GBR": 2,
                   "JPN": 3, "KOR": 3, "ARE": 2, "SAU": 2, "QAT": 2, "HUN": 2, "ITA": 1, "MNG": 1, "GEO": 2, "UKR": 1}
CENTRAL_ASIA = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
TOPICS = ("security", "borders", "trade", "transport", "energy", "water", "investment", "industry", "agriculture",
          "health", "migration", "culture", "education", "digital", "environment", "afghanistan", "international")
TOPIC_WEIGHTS = (12, 5, 14, 10, 9, 6, 9, 5, 5, 3, 4, 5, 4, 4, 3, 3, 6)
TOPICS_RU = {"security": "региональной безопасности", "borders": "делимитации границ", "trade": "торгово-экономического сотрудничества",
             "transport": "транспорта и транзита", "energy": "энергетики", "water": "водных ресурсов",
             "investment": "инвестиционных проектов", "industry": "промышленной кооперации",
             "agriculture": "сельского хозяйства", "health": "здравоохранения", "migration": "трудовой миграции",
             "culture": "культурно-гуманитарных связей", "education": "образования", "digital": "цифровизации",
             "environment": "охраны окружающей среды", "afghanistan": "ситуации в Афганистане",
             "international": "международной повестки"}
# named formats: (id, organisation or None, fixed members or None)
NAMED_FORMATS = [("C5", None, CENTRAL_ASIA), ("C5+RUS", None, (*CENTRAL_ASIA, "RUS")),
                 ("C5+CHN", None, (*CENTRAL_ASIA, "CHN")), ("C5+USA", None, (*CENTRAL_ASIA, "USA")),
                 ("C5+EU", "EU", CENTRAL_ASIA), ("CSTO:CFM", "CSTO", ("RUS", "KAZ", "KGZ", "TJK", "BLR", "ARM")),
                 ("CSTO:SUMMIT", "CSTO", ("RUS", "KAZ", "KGZ", "TJK", "BLR", "ARM")),
                 ("SCO:CFM", "SCO", ("CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK")),
                 ("SCO:SUMMIT", "SCO", ("CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK")),
                 ("CIS:CFM", "CIS", ("RUS", "KAZ", "KGZ", "TJK", "UZB", "TKM", "AZE", "ARM", "BLR")),
                 ("CIS:SUMMIT", "CIS", ("RUS", "KAZ", "KGZ", "TJK", "UZB", "TKM", "AZE", "ARM", "BLR")),
                 ("EAEU:IGC", "EAEU", ("RUS", "KAZ", "KGZ", "BLR", "ARM")),
                 ("EAEU:SEEC", "EAEU", ("RUS", "KAZ", "KGZ", "BLR", "ARM"))]
OUTCOME_TYPES = ("agreement", "memorandum", "joint_statement", "declaration", "plan", "protocol", "other")
OUTCOME_TITLES = {"agreement": "Соглашение о сотрудничестве в области {t}", "memorandum": "Меморандум о взаимопонимании по вопросам {t}",
                  "joint_statement": "Совместное заявление", "declaration": "Декларация о стратегическом партнерстве",
                  "plan": "План действий на {y}-{y2} годы", "protocol": "Протокол заседания межправительственной комиссии",
                  "other": "Дорожная карта по вопросам {t}"}
OUTLETS = ("Kazinform", "24.kz", "Kabar", "UzA", "Kun.uz", "Khovar", "Asia-Plus", "TASS", "RIA Novosti", "Interfax", "Xinhua")
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
DAY0, DAYS = dt.date(2010, 1, 1), (dt.date(2026, 12, 31) - dt.date(2010, 1, 1)).days + 1


# -- generation -----------------------------------------------------------------------------------
class World:
    """What generated events are made of: places, office holders and country names from the KB."""

    def __init__(self) -> None:
        from kurultai.kb import load_kb

        kb = load_kb()
        self.kb = kb
        self.countries = list(COUNTRY_WEIGHTS)
        self.country_w = list(COUNTRY_WEIGHTS.values())
        self.places: dict[str, list] = {}
        for p in kb.places:
            self.places.setdefault(p.country, []).append(p)
        self.all_places = list(kb.places)
        self.name_ru = {iso: (c.names.get("ru") or [iso])[0] for iso, c in kb.countries.items()}
        self.name_en = {iso: c.name("en") for iso, c in kb.countries.items()}
        # per country: (person, role, first day, last day) of each term
        self.terms: dict[str, list] = {}
        self.anyone: list = []
        for person in kb.persons.values():
            for t in person.terms:
                if t.country:
                    self.terms.setdefault(t.country, []).append((person, t.role, t.start, t.end))
                    self.anyone.append((person, t.role, t.country))

    def person(self, rnd: random.Random, iso: str, day: dt.date):
        """An office holder of `iso` on `day` (one of its people from another time, or anyone, failing that)."""
        terms = self.terms.get(iso)
        if terms:
            now = [x for x in terms if (x[2] is None or x[2] <= day) and (x[3] is None or day <= x[3])]
            person, role, _, _ = rnd.choice(now or terms)
            return person, role, iso
        return rnd.choice(self.anyone)


def _pick_countries(rnd: random.Random, w: World, k: int) -> list[str]:
    out: list[str] = []
    while len(out) < k:
        c = rnd.choices(w.countries, w.country_w)[0]
        if c not in out:
            out.append(c)
    return out


def generate(w: World, start: int, stop: int, seed: int, emit: Callable[[dict[str, list[dict]]], None]) -> None:
    """Events with ids start+1..stop (documents: one per two events), handed to `emit` CHUNK at a time."""
    from kurultai.store import event_keys

    rnd = random.Random(f"{seed}:{start}")
    rows: dict[str, list[dict]] = {k: [] for k in ("documents", "events", "event_documents", "event_countries",
                                                   "event_organizations", "event_topics", "participants", "outcomes",
                                                   "figures", "evidence")}
    doc_text: dict[int, str] = {}
    doc_meta: dict[int, tuple[str, dt.date]] = {}
    for i in range(start, stop):
        eid = i + 1
        doc_id = i // 2 + 1
        day = DAY0 + dt.timedelta(days=int(DAYS * rnd.random() ** 0.8))  # more events in later years
        status = rnd.choices(("held", "planned", "referenced"), (80, 12, 8))[0]
        mode = rnd.choices(("in_person", "video", "phone"), (82, 8, 10))[0]
        nf = rnd.choice(NAMED_FORMATS) if rnd.random() < 0.12 else None
        if nf:
            members = list(nf[2])
            countries = rnd.sample(members, k=min(len(members), rnd.randint(3, 6)))
            countries.sort(key=lambda c: c not in CENTRAL_ASIA)  # hosted in the region, mostly
        else:
            countries = _pick_countries(rnd, w, rnd.choices((2, 3, 4, 5, 6), (62, 16, 10, 7, 5))[0])
        orgs = [nf[1]] if nf and nf[1] else []
        fmt = "multilateral" if len(countries) + len(orgs) >= 3 else "bilateral"
        host = countries[0] if rnd.random() < 0.9 else rnd.choice(countries)
        place = rnd.choice(w.places.get(host) or w.all_places)
        visit = None
        if fmt == "bilateral" and mode == "in_person" and rnd.random() < 0.5:
            visitor = next(c for c in countries if c != host)
            visit = (rnd.choice(("state", "official", "working", "unspecified")), visitor, host)
        topics: list[str] = []
        n_topics = rnd.choices((1, 2, 3), (45, 35, 20))[0]
        while len(topics) < n_topics:
            t = rnd.choices(TOPICS, TOPIC_WEIGHTS)[0]
            if t not in topics:
                topics.append(t)
        people = []
        seen = set()
        for iso in countries[:rnd.randint(1, 4)]:
            person, role, country = w.person(rnd, iso, day)
            if person.name_en in seen:
                continue
            seen.add(person.name_en)
            people.append((person.names.get("ru") or person.name_en, person.name_en, role, country))
        outcomes = []
        if status == "held" and rnd.random() < 0.3:
            for _ in range(rnd.randint(1, 2)):
                typ = rnd.choice(OUTCOME_TYPES)
                outcomes.append((typ, OUTCOME_TITLES[typ].format(t=TOPICS_RU[topics[0]], y=day.year, y2=day.year + 2)))
        figure = None
        if "trade" in topics and rnd.random() < 0.3:
            figure = ("trade_turnover", round(rnd.uniform(0.1, 30), 1), "bn_usd", rnd.choice(("actual", "target")),
                      day.year - 1)

        # the document: one per two events, the second event of a pair adds its paragraph
        city = place.names.get("ru", [place.name_en])[0]
        names = " и ".join(w.name_ru.get(c, c) for c in countries[:3])
        para = (f"{'Сегодня' if status == 'held' else 'Планируется, что'} в {city} "
                f"{'состоялись переговоры' if status == 'held' else 'пройдут переговоры'} "
                f"{'в формате ' + nf[0] + ' ' if nf else ''}между делегациями {names}. "
                + (f"{people[0][0]} ({people[0][2].replace('_', ' ')}) " if people else "")
                + f"обсудил вопросы {', '.join(TOPICS_RU[t] for t in topics)}. ")
        if outcomes:
            para += "По итогам подписаны документы: " + "; ".join(o[1] for o in outcomes) + ". "
        if figure:
            para += f"Товарооборот составил {figure[1]:g} млрд долларов. "
        if i % 2 == 0 or doc_id not in doc_text:
            head = f"{city}, {day.day} {MONTHS[day.month - 1]} {day.year} года. "
            doc_text[doc_id] = head + para
            doc_meta[doc_id] = (f"Переговоры в {city}: {TOPICS_RU[topics[0]]}", day)
            doc_start = len(head)
        else:
            doc_start = len(doc_text[doc_id])
            doc_text[doc_id] += para
        if i % 2 == 1 or i == stop - 1:
            txt = doc_text.pop(doc_id) + f"Материал № {doc_id}."
            title, published = doc_meta.pop(doc_id)
            rows["documents"].append({
                "id": doc_id, "doc_key": f"bench/{doc_id}", "content_hash": hashlib.sha256(txt.encode()).hexdigest(),
                "source": f"https://example.org/news/{doc_id}", "lang": "ru",
                "title": title, "outlet": rnd.choice(OUTLETS), "published": published, "text": txt, "minhash": None, "duplicate_of": None})

        summary = " ".join(p for p in [nf[0] if nf else "", place.name_en,
                                       *(f"{c} {w.name_en.get(c, '')} {w.name_ru.get(c, '')}" for c in countries),
                                       *orgs, *(f"{p[0]} {p[1]}" for p in people), *topics, *(o[1] for o in outcomes)] if p)
        rows["events"].append({
            "id": eid, "status": status, "mode": mode, "format": fmt, "named_format": nf[0] if nf else None,
            "date_start": day, "date_end": day + dt.timedelta(days=1) if nf and rnd.random() < 0.3 else None,
            "date_precision": "day", "location_name": place.name_en, "location_country": place.country,
            "lat": place.lat, "lon": place.lon, "visit_type": visit[0] if visit else None,
            "visit_visitor": visit[1] if visit else None, "visit_host": visit[2] if visit else None,
            "summary": summary, "confidence": round(rnd.uniform(0.5, 1.0), 2),
            **dict(zip(("country_key", "people_key"), event_keys(countries, (p[1] for p in people)), strict=True))})
        rows["event_documents"].append({"event_id": eid, "document_id": doc_id, "extraction_id": f"e{eid}", "status": status})
        if doc_id > 10 and rnd.random() < 0.15:  # a second report in an earlier document
            rows["event_documents"].append({"event_id": eid, "document_id": rnd.randint(max(1, doc_id - 500), doc_id - 1),
                                            "extraction_id": f"e{eid}b", "status": status})
        rows["event_countries"] += [{"event_id": eid, "iso3": c} for c in countries]
        rows["event_organizations"] += [{"event_id": eid, "org": o} for o in orgs]
        rows["event_topics"] += [{"event_id": eid, "topic": t} for t in topics]
        rows["participants"] += [{"event_id": eid, "name": n, "name_en": ne, "role": r, "country": c} for n, ne, r, c in people]
        rows["outcomes"] += [{"event_id": eid, "document_id": doc_id, "type": t, "title": ti} for t, ti in outcomes]
        if figure:
            rows["figures"].append({"event_id": eid, "document_id": doc_id, "indicator": figure[0], "value": figure[1],
                                    "unit": figure[2], "kind": figure[3], "year": figure[4]})
        end = doc_start + len(para)
        ev = [("event", None, doc_start, end), ("date", day.isoformat(), 0, doc_start),
              ("location", place.name_en, doc_start + para.index(city), doc_start + para.index(city) + len(city))]
        ev += [("participant", p[1], doc_start, end) for p in people[:2]]
        rows["evidence"] += [{"event_id": eid, "document_id": doc_id, "field": f, "item": it, "start": a, "end": b}
                             for f, it, a, b in ev]
        if (i + 1 - start) % CHUNK == 0 and i % 2 == 1:
            emit(rows)
            rows = {k: [] for k in rows}
    if any(rows.values()):
        emit(rows)


def build(db: Path, n: int, seed: int) -> tuple[int, float]:
    """Bring the store at `db` to at least `n` events; the number generated and the seconds it took."""
    from sqlalchemy import func, select

    from kurultai.store import Store

    store = Store(f"sqlite:///{db}")
    with store.engine.connect() as conn:
        have = conn.scalar(select(func.count()).select_from(_table(store, "events")))
        max_doc = conn.scalar(select(func.max(_table(store, "documents").c.id))) or 0
    if have >= n:
        store.close()
        return 0, 0.0
    if have % 2 or max_doc != have // 2:
        raise SystemExit(f"{db} holds {have} events and {max_doc} documents: not a database of this script; use another --db")
    w = World()
    tables = {name: _table(store, name) for name in ("documents", "events", "event_documents", "event_countries",
                                                      "event_organizations", "event_topics", "participants", "outcomes",
                                                      "figures", "evidence")}
    t0 = time.perf_counter()
    done = [have]

    def emit(rows: dict[str, list[dict]]) -> None:
        with store.engine.begin() as conn:  # one transaction per chunk
            for name, tab in tables.items():  # parents first
                if rows[name]:
                    conn.execute(tab.insert(), rows[name])
        done[0] += len(rows["events"])
        print(f"\r  {done[0]} / {n} events, {time.perf_counter() - t0:.0f} s", end="", file=sys.stderr, flush=True)

    generate(w, have, n, seed, emit)
    print(file=sys.stderr)
    elapsed = time.perf_counter() - t0
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return n - have, elapsed


def _table(store, name: str):
    from kurultai.store.models import Base

    return Base.metadata.tables[name]


# -- serving and measuring --------------------------------------------------------------------------
def app_factory():
    """For uvicorn --factory: the app on the benchmark's database, writes off."""
    from kurultai.api import create_app

    return create_app(db_url=f"sqlite:///{os.environ[DB_ENV]}", token="")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, DB_ENV: str(db), "PYTHONPATH": str(ROOT / "src")}
    env.pop("KURULTAI_API_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api:app_factory", "--app-dir", str(ROOT / "benchmarks"),
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
    return proc, f"http://127.0.0.1:{port}"


def wait_up(client, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    import httpx

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"uvicorn exited with {proc.returncode}")
        try:
            if client.get("/api/stats").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("uvicorn did not come up")


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def measure(client, path: str, params: list[dict], check: Callable[[dict], bool], html: bool = False) -> list[float]:
    times = []
    for p in params:
        t = time.perf_counter()
        r = client.get(path, params=p)
        body = r.content
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (path, p, r.status_code, body[:300])
        assert (b"</html>" in body) if html else check(r.json()), (path, p, body[:300])
    return times


def workloads(rnd: random.Random) -> list[tuple[str, str, list[dict], Callable[[dict], bool]]]:
    region = ["KAZ", "KGZ", "UZB", "TJK", "TKM", "RUS", "CHN"]
    topics = ["trade", "security", "transport", "energy", "water", "investment", "migration", "culture"]
    ev: list[dict] = []
    for i in range(200):
        c = region[i % len(region)]
        if i % 4 == 3:  # country + period
            y = rnd.randint(2010, 2025)
            d0 = dt.date(y, rnd.randint(1, 12), 1)
            d1 = d0 + dt.timedelta(days=rnd.choice((90, 365, 730)))
            ev.append({"country": c, "from": d0.isoformat(), "to": d1.isoformat()})
        else:  # country + topic
            ev.append({"country": c, "topic": topics[(i // len(region) + i) % len(topics)]})
    graph: list[dict] = []
    for i in range(50):
        if i % 3 == 0:
            graph.append({})
        elif i % 3 == 1:
            graph.append({"topic": topics[i % len(topics)]})
        else:
            y = 2010 + i % 16
            graph.append({"from": f"{y}-01-01", "to": f"{y + 1}-12-31"})
    person = [{**g, "nodes": "person"} for g in graph]
    timeline = [{} if i % 2 == 0 else {"country": region[i % len(region)]} for i in range(50)]

    def has_items(b: dict) -> bool:
        return b["total"] > 0 and len(b["items"]) > 0

    def has_edges(b: dict) -> bool:
        return len(b["nodes"]) > 0 and len(b["edges"]) > 0

    def has_series(b: dict) -> bool:
        return len(b["months"]) > 0 and len(b["series"]) > 0

    return [("/api/events, two filters (country+topic or country+from/to), limit 50", "/api/events", ev, has_items),
            ("/api/graph, country nodes (none / topic / two-year period)", "/api/graph", graph, has_edges),
            ("/api/graph?nodes=person (none / topic / two-year period)", "/api/graph", person, has_edges),
            ("/api/timeline, by country (none / country)", "/api/timeline", timeline, has_series)]


def main() -> int:
    import httpx

    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--db", type=Path, help="database to build or reuse (kept); default: a new temporary directory")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--write", action="store_true", help="append the results to benchmarks/RESULTS.md")
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="kurultai-api-bench-")) / "bench.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    made, gen_s = build(db, args.events, args.seed)
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 2**20
    lines = [f"store: {args.events} events wanted, SQLite {size:.0f} MB ({db.name} + WAL)"]
    lines.append(f"  generated {made} events in {gen_s:.0f} s ({made / gen_s:.0f} events/s, bulk inserts incl. FTS triggers)"
                 if made else "  reused the existing database (generation skipped)")
    with _sqlite(db) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("events", "documents", "event_countries", "event_topics", "participants", "evidence")}
    lines.append("  rows: " + ", ".join(f"{t} {k}" for t, k in counts.items()))
    load0 = os.getloadavg()
    proc, base = serve(db)
    try:
        with httpx.Client(base_url=base, timeout=120.0) as client:
            wait_up(client, proc)
            t = time.perf_counter()
            assert client.get("/api/events", params={"country": "KAZ"}).status_code == 200
            lines.append(f"first /api/events after start (builds the in-memory index of {counts['events']} events): "
                         f"{(time.perf_counter() - t) * 1000:.0f} ms")
            rnd = random.Random(args.seed)
            warm = [{"country": "KAZ", "topic": "trade"}, {"country": "UZB", "from": "2020-01-01", "to": "2021-01-01"}]
            for i in range(20):
                path = ("/api/events", "/api/graph", "/api/timeline", "/api/graph")[i % 4]
                params = warm[i % 2] if path == "/api/events" else ({"nodes": "person"} if i % 8 == 7 else {})
                assert client.get(path, params=params).status_code == 200
            lines.append("HTTP via uvicorn (1 worker), one keep-alive client, after 20 warm-up requests:")
            for label, path, params, check in workloads(rnd):
                t = measure(client, path, params, check)
                lines.append(f"  {label}: {len(t)} requests, p50 {pct(t, 0.5):.1f} ms, p95 {pct(t, 0.95):.1f} ms, "
                             f"max {max(t):.1f} ms")
            lines.append("dashboard pages (server-rendered HTML), 10 requests each after one:")
            for page in ("/", "/?country=KAZ&topic=trade", "/timeline", "/network", "/map", "/countries",
                         "/countries/KAZ", "/people", "/events/5000"):
                path, _, query = page.partition("?")
                params = dict(kv.split("=") for kv in query.split("&")) if query else {}
                client.get(path, params=params)
                t = measure(client, path, [params] * 10, lambda _b: True, html=True)
                lines.append(f"  {page}: p50 {pct(t, 0.5):.1f} ms, max {max(t):.1f} ms")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    load1 = os.getloadavg()
    lines.append(f"targets: /api/events two filters p95 <= 50 ms, /api/graph <= 300 ms; "
                 f"load average 1 min {load0[0]:.2f} before, {load1[0]:.2f} after")
    print("\n".join(lines))
    print(f"database kept at {db}")
    if args.write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## api.py, {dt.date.today().isoformat()} ({machine})\n\n```\n" + "\n".join(lines) + "\n```\n")
    return 0


def _sqlite(db: Path):
    import sqlite3
    from contextlib import closing

    return closing(sqlite3.connect(db))


if __name__ == "__main__":
    sys.exit(main())
