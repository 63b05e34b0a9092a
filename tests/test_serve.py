"""The server under many readers: GET answers cached per store version (and dropped by any write, from
any process), identical requests computed once, writes that never queue behind reads, and
`kurultai serve --workers N`."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from kurultai.api import create_app
from kurultai.models import DateRange, Document, Event, Extraction
from kurultai.store import Store

TOKEN = "serve-test-token-0123"


def report(n: int, country: str = "KAZ") -> Extraction:
    day = dt.date(2024, 1, 1) + dt.timedelta(days=n)
    return Extraction(document=Document(id=f"r{n}", text=f"Synthetic report {n} on talks in {country}."),
                      events=[Event(date=DateRange(start=day, end=day), countries=[country, "UZB"], topics=["trade"])])


@pytest.fixture()
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'k.db'}")
    for n in range(5):
        s.add(report(n))
    yield s
    s.close()


def counting(store: Store, monkeypatch, wait=None) -> list:
    """Count (and optionally hold, until `wait` returns) the store's page reads."""
    calls: list = []
    page = store.page

    def counted(q, *args, **kwargs):
        calls.append(q)
        if wait:
            wait()
        return page(q, *args, **kwargs)

    monkeypatch.setattr(store, "page", counted)
    return calls


def test_a_repeated_get_is_answered_once_until_any_write(store, monkeypatch):
    client = TestClient(create_app(store=store, token=TOKEN))
    calls = counting(store, monkeypatch)
    first = client.get("/api/events", params={"country": "KAZ"})
    again = client.get("/api/events", params={"country": "KAZ"})
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert len(calls) == 1
    assert again.headers["X-Content-Type-Options"] == "nosniff"  # the guards and headers still apply
    other = Store(store.url)  # another process writes: the next answer is computed anew
    other.add(report(10))
    assert client.get("/api/events", params={"country": "KAZ"}).json()["total"] == first.json()["total"] + 1
    assert len(calls) == 2
    errors = client.get("/api/stats").json()["ingest_errors"]
    other.record_error("bad.txt", "unreadable")  # not a document, still a change of what /api/stats says
    other.close()
    assert client.get("/api/stats").json()["ingest_errors"] == errors + 1
    assert client.get("/api/events", params={"country": "KAZ", "limit": 0}).status_code == 422  # errors not kept
    assert client.get("/api/events/999").status_code == 404


def test_identical_requests_at_once_are_computed_once(store, monkeypatch):
    app = create_app(store=store, token=TOKEN)
    calls = counting(store, monkeypatch, wait=lambda: time.sleep(0.2))

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            return await asyncio.gather(*(client.get("/api/events", params={"country": "UZB"}) for _ in range(20)))

    answers = asyncio.run(burst())
    assert {r.status_code for r in answers} == {200} and len({r.content for r in answers}) == 1
    assert len(calls) == 1


def fake_extract(doc: Document) -> Extraction:
    """Extraction without models: one event per posted text."""
    return Extraction(document=doc, events=[Event(date=DateRange(start=dt.date(2030, 5, 5), end=dt.date(2030, 5, 5)),
                                                  countries=["KGZ", "TJK"])])


def test_a_write_does_not_wait_for_the_readers(store, monkeypatch):
    """Every thread of the sync endpoints is held by a read; a POST still goes through."""
    app = create_app(store=store, token=TOKEN)
    monkeypatch.setattr(app.state.kurultai, "extract", fake_extract)
    release = threading.Event()
    calls: list = []

    def held(q, *_args, **_kwargs):  # a read holding its thread (and no connection) until released
        calls.append(q)
        release.wait(120)
        return 0, []

    monkeypatch.setattr(store, "page", held)
    n_reads = 45  # more than anyio's 40 threads

    async def scenario() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            reads = [asyncio.create_task(client.get("/api/events", params={"offset": i})) for i in range(n_reads)]
            while len(calls) < 40:  # the thread pool is full
                await asyncio.sleep(0.01)
            try:
                post = await asyncio.wait_for(client.post(
                    "/api/documents", json={"text": "Talks in Bishkek.", "title": "t"},
                    headers={"Authorization": f"Bearer {TOKEN}"}), timeout=60)
            finally:
                release.set()
            assert all(r.status_code == 200 for r in await asyncio.gather(*reads))
            return post

    post = asyncio.run(scenario())
    assert post.status_code == 201 and post.json()["events_created"] == 1


def test_the_writer_starts_again_after_the_server_stopped_once(store, monkeypatch):
    app = create_app(store=store, token=TOKEN)
    monkeypatch.setattr(app.state.kurultai, "extract", fake_extract)
    for n in range(2):
        with TestClient(app) as client:  # each lifespan's end closes the writer; the next write opens it again
            posted = client.post("/api/documents", json={"text": f"Talks number {n} in Bishkek."},
                                 headers={"Authorization": f"Bearer {TOKEN}"})
            assert posted.status_code == 201, posted.text


def test_a_posted_document_is_extracted_in_a_process_of_its_own(store, monkeypatch):
    import kurultai.pipeline

    def not_here(*_args, **_kwargs):
        raise AssertionError("the models were loaded in the server's process")

    monkeypatch.setattr(kurultai.pipeline.Pipeline, "__init__", not_here)
    app = create_app(store=store, token=TOKEN)
    with TestClient(app) as client:  # its lifespan ends the extraction process
        posted = client.post("/api/documents", headers={"Authorization": f"Bearer {TOKEN}"}, json={
            "text": "Ташкент, 5 мая 2025 года. Министр иностранных дел Узбекистана Бахтиёр Саидов провел переговоры "
                    "с министром иностранных дел Кыргызстана Жээнбеком Кулубаевым."})
        assert posted.status_code == 201, posted.text
        assert posted.json()["events_created"] == 1
        pids = [p.pid for p in app.state.kurultai._extractor._processes.values()]
        assert pids and os.getpid() not in pids
        assert client.get("/api/stats").json()["documents"] == 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kurultai(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("kurultai")), *args]


def test_serve_with_workers(store, tmp_path):
    psutil = pytest.importorskip("psutil")
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN, encoding="utf-8")
    port = _free_port()
    env = {**os.environ}
    env.pop("KURULTAI_API_TOKEN", None)
    proc = subprocess.Popen(kurultai("serve", "--db", store.url, "--port", str(port), "--workers", "2",
                                     "--token-file", str(token_file)), env=env, stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert "2 workers" in proc.stdout.readline()
        for _ in range(600):
            try:
                if httpx.get(base + "/api/stats").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        def spawned(p) -> list:
            return [c for c in p.children() if "spawn_main" in " ".join(c.cmdline())]

        workers = spawned(psutil.Process(proc.pid))
        assert len(workers) == 2
        before = httpx.get(base + "/api/stats").json()["documents"]
        posted = httpx.post(base + "/api/documents", json={"text": "Бишкек, 5 мая 2025 года. Министр иностранных дел "
                                                                    "Кыргызстана провел переговоры с министром "
                                                                    "иностранных дел Таджикистана."},
                            headers={"Authorization": f"Bearer {TOKEN}"}, timeout=300)
        assert posted.status_code == 201, posted.text
        # every worker (new connections land on either) answers with the write, none from its cache
        assert {httpx.get(base + "/api/stats").json()["documents"] for _ in range(10)} == {before + 1}
        # the extraction process of the worker that took the write ends with that worker, even killed
        extractors = [x for w in workers for x in spawned(w)]
        assert len(extractors) == 1
        extractors[0].parent().kill()
        assert not psutil.wait_procs(extractors, timeout=60)[1]
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_serve_refuses_zero_workers(store):
    out = subprocess.run(kurultai("serve", "--db", store.url, "--workers", "0"), capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "300"})
    assert out.returncode == 2 and "Invalid value for '--workers'" in out.stderr
