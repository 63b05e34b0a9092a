"""The server under load: C concurrent clients for D seconds over the read endpoints and the dashboard
pages of a large store (by default the 100,000-event SQLite store of `benchmarks/api.py`), with and
without a writer that ingests new articles through `POST /api/documents` meanwhile.

The server is the real `kurultai serve --workers N` in a subprocess; the clients are asyncio tasks on
one `httpx.AsyncClient` each in P client processes (the writer in a process of its own) (closed loop: a client sends its next request as
soon as the previous answer is in, no think time, so latency = clients / throughput). The machine has
2 cores and the clients compete with the server for them: the client processes' and the server's CPU
time are reported beside the latencies.

The request mix (weights in MIX) repeats a fixed pool of filters, as users of one dashboard do, and
reads event, document and person pages at random (mostly never asked before). The writer posts one
generated article (`benchmarks/synth.py`, a seed of its own so every one is new) after the other,
with a pause of `--write-pause` seconds, and its latency is the time to the 201.

    .venv/bin/python benchmarks/load.py [--db PATH] [--pg-url URL] [--events 100000] [--clients 200]
        [--duration 60] [--workers 2] [--client-procs 1] [--writer both|no|only] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing as mp
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import api as api_bench  # noqa: E402  (benchmarks/api.py: the 100k-event store and percentiles)

TOKEN = "load-benchmark-token"
REGION = ("KAZ", "KGZ", "UZB", "TJK", "TKM", "RUS", "CHN", "TUR", "USA", "AFG")
TOPICS = ("trade", "security", "transport", "energy", "water", "investment", "migration", "culture")
# (group, weight): how often each kind of request is sent
MIX = {"api/events filtered": 30, "api/events/{id}": 10, "api/graph": 8, "api/timeline": 6, "api/places": 4,
       "api/people, countries, organizations, stats": 6, "api/countries/{iso3}, people/{name}": 4,
       "api/documents/{id}": 4, "page /?filters": 10, "page /events/{id}": 8,
       "pages timeline, network, map, countries, people": 7, "page /countries/{iso3}": 3}


def request_pool(rnd: random.Random, n_events: int, people: list[str]) -> dict[str, list[tuple[str, dict]]]:
    """A fixed pool of (path, params) per group; the `{id}` groups draw fresh ids at send time."""
    events = []
    for i in range(120):
        c = REGION[i % len(REGION)]
        kind = i % 6
        if kind == 0:
            events.append({"country": c})
        elif kind in (1, 2):
            events.append({"country": c, "topic": TOPICS[i % len(TOPICS)]})
        elif kind == 3:
            y = rnd.randint(2010, 2025)
            events.append({"country": c, "from": f"{y}-01-01", "to": f"{y + 1}-06-30"})
        elif kind == 4:
            events.append({"topic": TOPICS[i % len(TOPICS)], "status": "held", "offset": 50 * rnd.randint(0, 20)})
        else:
            events.append({"country": c, "sort": rnd.choice(["date", "-date", "-sources"]), "limit": 100})
    graphs = [{}, {"nodes": "person"}] + [{"topic": t} for t in TOPICS] + [{"country": c} for c in REGION[:5]] + [
        {"from": f"{y}-01-01", "to": f"{y}-12-31"} for y in range(2015, 2026)]
    timelines = [{}, {"by": "format"}, {"by": "all"}] + [{"country": c} for c in REGION] + [{"topic": t} for t in TOPICS]
    places = [{}] + [{"country": c} for c in REGION] + [{"topic": t} for t in TOPICS[:4]]
    lists = [("/api/people", {}), ("/api/countries", {}), ("/api/organizations", {}), ("/api/stats", {})] + [
        ("/api/people", {"country": c}) for c in REGION[:5]]
    details = [(f"/api/countries/{c}", {}) for c in REGION] + [(f"/api/people/{p}", {}) for p in people[:20]]
    front = [{}] + [{"country": c} for c in REGION] + [{"country": c, "topic": t} for c in REGION[:5] for t in TOPICS[:3]]
    pages = [("/timeline", {}), ("/network", {}), ("/map", {}), ("/countries", {}), ("/people", {}),
             ("/network", {"nodes": "person"}), ("/timeline", {"by": "format"})]
    return {
        "api/events filtered": [("/api/events", p) for p in events],
        "api/graph": [("/api/graph", p) for p in graphs],
        "api/timeline": [("/api/timeline", p) for p in timelines],
        "api/places": [("/api/places", p) for p in places],
        "api/people, countries, organizations, stats": lists,
        "api/countries/{iso3}, people/{name}": details,
        "page /?filters": [("/", p) for p in front],
        "pages timeline, network, map, countries, people": pages,
        "page /countries/{iso3}": [(f"/countries/{c}", {}) for c in REGION[:6]],
        "api/events/{id}": [], "api/documents/{id}": [], "page /events/{id}": [],
    }


def pick(rnd: random.Random, pool: dict[str, list[tuple[str, dict]]], n_events: int) -> tuple[str, str, dict]:
    group = rnd.choices(list(MIX), list(MIX.values()))[0]
    if group == "api/events/{id}":
        return group, f"/api/events/{rnd.randint(1, n_events)}", {}
    if group == "page /events/{id}":
        return group, f"/events/{rnd.randint(1, n_events)}", {}
    if group == "api/documents/{id}":
        return group, f"/api/documents/{rnd.randint(1, max(1, n_events // 2))}", {}
    path, params = rnd.choice(pool[group])
    return group, path, params


# -- the clients ------------------------------------------------------------------------------------
async def _readers(base: str, clients: int, duration: float, seed: int, n_events: int, people: list[str],
                   writer: bool, write_pause: float) -> dict:
    import httpx

    rnd = random.Random(seed)
    pool = request_pool(random.Random(7), n_events, people)
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: dict[str, str] = {}
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=clients + 2, max_keepalive_connections=clients + 2)

    async def one_client(client: httpx.AsyncClient, r: random.Random) -> None:
        while time.perf_counter() < deadline:
            group, path, params = pick(r, pool, n_events)
            t = time.perf_counter()
            try:
                resp = await client.get(path, params=params)
                ok = resp.status_code == 200
                if not ok:
                    samples.setdefault(f"{group}: HTTP {resp.status_code}", f"{path} {params} {resp.text[:200]}")
            except httpx.HTTPError as exc:
                ok = False
                samples.setdefault(f"{group}: {type(exc).__name__}", f"{path} {params}")
            lat[group].append(time.perf_counter() - t)
            if not ok:
                errors[group] += 1

    async def one_writer(client: httpx.AsyncClient) -> None:
        import synth

        docs = synth.generate(400, seed=seed + 1000)
        i = 0
        while time.perf_counter() < deadline - 1 and i < len(docs):
            d = docs[i]
            i += 1
            t = time.perf_counter()
            try:
                resp = await client.post("/api/documents", json={"text": d["text"] + f"\nload-{seed}-{i}",
                                                                   "published": d["published"]},
                                         headers={"Authorization": f"Bearer {TOKEN}"})
                ok = resp.status_code == 201
                if not ok:
                    samples.setdefault(f"write: HTTP {resp.status_code}", resp.text[:200])
            except httpx.HTTPError as exc:
                ok = False
                samples.setdefault(f"write: {type(exc).__name__}", "")
            lat["WRITE POST /api/documents"].append(time.perf_counter() - t)
            if not ok:
                errors["WRITE POST /api/documents"] += 1
            await asyncio.sleep(write_pause)

    cpu0 = time.process_time()
    async with httpx.AsyncClient(base_url=base, timeout=60.0, limits=limits) as client:
        tasks = [one_client(client, random.Random(rnd.random())) for _ in range(clients)]
        if writer:
            tasks.append(one_writer(client))
        await asyncio.gather(*tasks)
    return {"lat": dict(lat), "errors": dict(errors), "samples": samples, "cpu": time.process_time() - cpu0}


def _client_process(args: tuple) -> dict:
    return asyncio.run(_readers(*args))


# -- the server -------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, workers: int, token_file: Path, src: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("KURULTAI_API_TOKEN", None)
    cmd = [str(Path(sys.executable).with_name("kurultai")), "serve", "--db", db_url, "--port", str(port),
           "--token-file", str(token_file)] + (["--workers", str(workers)] if workers != 1 else [])
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def server_cpu(proc: subprocess.Popen) -> float:
    """CPU seconds of the server and its worker processes so far."""
    import psutil

    p = psutil.Process(proc.pid)
    total = 0.0
    for q in [p, *p.children(recursive=True)]:
        try:
            t = q.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def warm_up(base: str, proc: subprocess.Popen, workers: int, writes: bool) -> list[str]:
    """Wait for the server, then send each kind of request on fresh connections, several at once, until
    every worker has built its index (the answers of the request pool are not cached by this), and with
    `writes` post a few documents (each worker starts its extraction process on its first write);
    returns people's names for the person pages."""
    import httpx

    with httpx.Client(base_url=base, timeout=300.0) as client:
        api_bench.wait_up(client, proc, timeout=300)
        people = [p["name_en"] for p in client.get("/api/people", params={"limit": 50}).json()["items"]]

    async def fresh(path: str, params: dict) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=300.0) as client:
            assert (await client.get(path, params=params)).status_code == 200, path

    async def rounds() -> None:
        for _ in range(3 * workers):
            await asyncio.gather(*(fresh(path, params) for path, params in (
                ("/api/events", {"country": "BRA"}), ("/api/graph", {"nodes": "person", "country": "BRA"}),
                ("/api/timeline", {"country": "BRA"}), ("/api/places", {"country": "BRA"}),
                ("/api/people", {"name": "x"}), ("/api/countries", {"x": 1})) for _ in range(workers)))

    asyncio.run(rounds())
    if writes:
        import synth

        for i, d in enumerate(synth.generate(3 * workers, seed=99)):
            with httpx.Client(base_url=base, timeout=300.0) as client:  # a fresh connection: any worker
                r = client.post("/api/documents", json={"text": d["text"] + f"\nwarm-up {i}"},
                                headers={"Authorization": f"Bearer {TOKEN}"})
                assert r.status_code == 201, r.text
    return people


def run(base: str, proc: subprocess.Popen, clients: int, duration: float, procs: int, n_events: int,
        people: list[str], writer: bool, write_pause: float) -> tuple[dict, float, float]:
    share = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    jobs = [(base, share[i], duration, 100 + i, n_events, people, False, write_pause) for i in range(procs)]
    if writer:  # a client of its own: the readers' event loop, busy with 200 clients, would delay its answers
        jobs.append((base, 0, duration, 99, n_events, people, True, write_pause))
    cpu0, t0 = server_cpu(proc), time.perf_counter()
    with mp.get_context("spawn").Pool(len(jobs)) as pool:
        parts = pool.map(_client_process, jobs)
    wall, cpu = time.perf_counter() - t0, server_cpu(proc) - cpu0
    merged: dict = {"lat": defaultdict(list), "errors": defaultdict(int), "samples": {}, "cpu": 0.0}
    for part in parts:
        for k, v in part["lat"].items():
            merged["lat"][k] += v
        for k, v in part["errors"].items():
            merged["errors"][k] += v
        merged["samples"].update(part["samples"])
        merged["cpu"] += part["cpu"]
    return merged, wall, cpu


def report(title: str, res: dict, wall: float, server_cpu_s: float) -> list[str]:
    pct = api_bench.pct
    lines = [title]
    reads = [x for k, v in res["lat"].items() if not k.startswith("WRITE") for x in v]
    n_err = sum(v for k, v in res["errors"].items() if not k.startswith("WRITE"))

    def row(label: str, xs: list[float], errs: int) -> str:
        return (f"  {label:<46} {len(xs):>6} req  p50 {pct(xs, .5) * 1000:>6.0f}  p95 {pct(xs, .95) * 1000:>6.0f}  "
                f"p99 {pct(xs, .99) * 1000:>6.0f}  max {max(xs) * 1000:>6.0f} ms  errors {errs}")

    lines.append(row("ALL READS", reads, n_err) + f"  ({len(reads) / wall:.0f} req/s)")
    for group in sorted(res["lat"]):
        lines.append(row(group, res["lat"][group], res["errors"].get(group, 0)))
    n = sum(len(v) for v in res["lat"].values())
    lines.append(f"  CPU over {wall:.0f} s wall: server {server_cpu_s:.0f} s ({100 * server_cpu_s / wall:.0f}% of one core, "
                 f"{1000 * server_cpu_s / n:.1f} ms a request), clients {res['cpu']:.0f} s ({100 * res['cpu'] / wall:.0f}%, "
                 f"{1000 * res['cpu'] / n:.1f} ms a request)")
    for k, v in list(res["samples"].items())[:5]:
        lines.append(f"  first {k}: {v}")
    return lines


def copy_store(source, target, chunk: int = 20000) -> None:
    """Every row of the `source` store into the empty `target` (PostgreSQL), ids kept, sequences moved on."""
    from sqlalchemy import func, select, text

    from kurultai.store.models import Base, StoreVersion

    with source.engine.connect() as src, target.engine.begin() as dst:
        for table in Base.metadata.sorted_tables:
            if table.name == StoreVersion.__tablename__:
                continue
            rows = src.execute(select(table)).mappings()
            while batch := [dict(r) for r in rows.fetchmany(chunk)]:
                dst.execute(table.insert(), batch)
            if "id" in table.c and dst.scalar(select(func.max(table.c.id))):
                dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"))
        dst.execute(StoreVersion.__table__.update().values(version=src.scalar(select(StoreVersion.version))))
        dst.exec_driver_sql("ANALYZE")
    source.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--db", type=Path, help="SQLite database to build or reuse (kept); default: a temporary one")
    ap.add_argument("--pg-url", help="serve this PostgreSQL store instead; when it holds no events, the SQLite store "
                                     "(--db, built if need be) is copied into it first")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2, help="serve --workers")
    ap.add_argument("--client-procs", type=int, default=1)
    ap.add_argument("--writer", choices=("both", "no", "only"), default="both",
                    help="a run without the writer, then one with it (both), or one of them")
    ap.add_argument("--server-src", type=Path, default=ROOT / "src",
                    help="serve from these sources (e.g. an export of an older commit, for a before/after)")
    ap.add_argument("--write-pause", type=float, default=0.5, help="seconds between the writer's posts")
    ap.add_argument("--write", action="store_true", help="append the results to benchmarks/RESULTS.md")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kurultai-load-"))
    from kurultai.store import Store

    db = args.db or work / "bench.db"
    if args.pg_url:
        db_url = args.pg_url
        store_line = f"store: PostgreSQL ({args.pg_url.rsplit('/', 1)[-1]})"
        target = Store(db_url)
        if not target.stats()["events"]:
            db.parent.mkdir(parents=True, exist_ok=True)
            api_bench.build(db, args.events, 7)
            copy_store(Store(f"sqlite:///{db}"), target)
        target.close()
    else:
        db.parent.mkdir(parents=True, exist_ok=True)
        api_bench.build(db, args.events, 7)
        db_url = f"sqlite:///{db}"
        store_line = f"store: SQLite {db.name}"

    st = Store(db_url)
    stats = st.stats()
    st.close()
    n_events = stats["events"]
    token_file = work / "token"
    token_file.write_text(TOKEN, encoding="utf-8")
    lines = [f"{store_line}, {n_events} events, {stats['documents']} documents; serve --workers {args.workers} "
             f"(sources: {args.server_src}); load average {os.getloadavg()[0]:.1f}; "
             f"{args.clients} clients in {args.client_procs} process(es), closed loop, {args.duration:.0f} s per run"]
    modes = {"both": (False, True), "no": (False,), "only": (True,)}[args.writer]
    proc, base = start_server(db_url, args.workers, token_file, args.server_src)
    try:
        people = warm_up(base, proc, args.workers, writes=True in modes)
        for writer in modes:
            res, wall, cpu = run(base, proc, args.clients, args.duration, args.client_procs, n_events, people, writer,
                                 args.write_pause)
            title = (f"with a writer (POST /api/documents, {args.write_pause:g} s pause between posts):" if writer
                     else "reads only:")
            lines += report(f"{title} (load average {os.getloadavg()[0]:.1f} after)", res, wall, cpu)
            print("\n".join(lines[-(len(res['lat']) + 3 + min(5, len(res['samples']))):]), flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    print("\n".join(lines))
    if args.write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## load.py, {dt.date.today().isoformat()} ({machine})\n\n```\n" + "\n".join(lines) + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
