"""Writers at once, on SQLite and PostgreSQL: first starts on an empty database, and two and four
`kurultai ingest` runs of the same sources into one store. None may die with a traceback, each document
is stored once, and the store is the one a single run makes, field by field."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import BACKENDS, SAMPLES, empty_url, news, write_jsonl
from store_dump import differences, dump

# Each process says it is ready (a file in a folder), waits until all are, then opens the store.
OPEN_TOGETHER = """
import pathlib, sys, tempfile, time
from kurultai.store import Store
folder, n, url = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
tempfile.NamedTemporaryFile(dir=folder, delete=False).close()
while len(list(folder.iterdir())) < n:
    time.sleep(0.01)
Store(url).close()
"""

def _all_at_once(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    out = []
    for p, c in zip(procs, commands, strict=True):
        stdout, stderr = p.communicate(timeout=900)
        out.append(subprocess.CompletedProcess(c, p.returncode, stdout, stderr))
    return out


def _clean(runs: list[subprocess.CompletedProcess]) -> None:
    for r in runs:
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-3000:]


@pytest.mark.parametrize("backend", BACKENDS)
def test_first_starts_at_once_make_the_schema_once(backend, tmp_path):
    for attempt in range(2):  # a race may be missed once; two rounds of four starts seldom miss it
        folder = tmp_path / str(attempt)
        folder.mkdir()
        url = empty_url(backend, folder)
        ready = folder / "ready"
        ready.mkdir()
        _clean(_all_at_once([[sys.executable, "-c", OPEN_TOGETHER, str(ready), "4", url] for _ in range(4)]))
        assert dump(url)["documents"] == []


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("sources")
    # (Russian samples and generated Russian news: each process loads one analyser, the race is the same)
    return [str(p) for p in sorted(SAMPLES.glob("ru_*.txt"))] + [write_jsonl(folder / "news.jsonl", news(30, seed=5))]


def _ingest(sources: list[str], url: str) -> list[str]:
    return [sys.executable, "-m", "kurultai.cli", "ingest", *sources, "--db", url]


@pytest.fixture(scope="module")
def one_run(sources, tmp_path_factory) -> dict:
    from kurultai.ingest import ingest
    from kurultai.store import Store

    url = empty_url("sqlite", tmp_path_factory.mktemp("one"))
    store = Store(url)
    try:
        assert ingest(store, sources).errors == 0
    finally:
        store.close()
    return dump(url)


@pytest.mark.parametrize("runs", [2, 4])
@pytest.mark.parametrize("backend", BACKENDS)
def test_ingests_at_once_store_what_one_run_does(backend, runs, sources, one_run, tmp_path):
    url = empty_url(backend, tmp_path)
    results = _all_at_once([_ingest(sources, url) for _ in range(runs)])
    _clean(results)
    assert len(one_run["documents"]) > 30 and any(len(dict(e)["key"]) > 1 for e in one_run["events"])
    stored = sum(int(r.stdout.split("stored ")[1].split(",")[0]) for r in results)
    assert stored == len(one_run["documents"])  # each document stored by one run; the others found it
    diff = differences(one_run, dump(url))
    assert not diff, "\n".join(diff)

