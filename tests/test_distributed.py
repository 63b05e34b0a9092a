"""Ingest on Dask: a local cluster stores what one process stores, two cluster ingests of the same shards
at once store each document once, and a worker killed mid-run loses nothing."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import BACKENDS, SAMPLES, SHARED, empty_url, news
from store_dump import differences, dump

pytest.importorskip("distributed")

BACKEND = "postgresql" if "postgresql" in BACKENDS else "sqlite"  # the store of many writers


def _empty(backend: str, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    return empty_url(backend, folder)


def _sources() -> list[str]:
    refs = [str(SAMPLES)]
    if (SHARED / "corpus" / "dev").is_dir():
        refs.append(str(SHARED / "corpus" / "dev"))
    return refs


def _shards(folder: Path, n: int = 60, parts: int = 3) -> Path:
    folder.mkdir()
    records = news(n, seed=5)
    for i in range(parts):
        with gzip.open(folder / f"part{i}.jsonl.gz", "wt", encoding="utf-8") as fh:
            for rec in records[i::parts]:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return folder


def _ingest(url: str, refs: list[str], **kw):
    from kurultai.ingest import ingest
    from kurultai.store import Store

    store = Store(url)
    try:
        report = ingest(store, refs, **kw)
    finally:
        store.close()
    assert report.errors == 0, report.error_messages
    return report


def test_in_order_keeps_the_order_and_the_window():
    import random
    import time
    from concurrent.futures import ThreadPoolExecutor

    from kurultai.ingest import in_order
    from kurultai.models import Document

    docs = [Document(id=str(i), text=f"text {i}") for i in range(40)]
    in_flight, most = [0], [0]
    lock = threading.Lock()

    def work(doc):
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(random.random() / 200)
        with lock:
            in_flight[0] -= 1
        return doc.id

    with ThreadPoolExecutor(8) as pool:
        out = list(in_order(docs, lambda d: pool.submit(work, d), window=3))
    assert [r for _, r in out] == [d.id for d in docs]
    assert most[0] <= 3


def test_bad_addresses_are_one_line_errors(tmp_path):
    from kurultai.distributed import DaskError, parse

    assert parse("local:2") == ("local", 2)
    assert parse("tcp://10.0.0.5:8786") == ("remote", "tcp://10.0.0.5:8786")
    for bad in ("local:0", "local:x", "10.0.0.5:8786", ""):
        with pytest.raises(DaskError):
            parse(bad)
    (tmp_path / "a.txt").write_text("Министр иностранных дел Казахстана провел встречу с послом Японии.", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "kurultai.cli", "ingest", str(tmp_path / "a.txt"), "--db",
                        f"sqlite:///{tmp_path / 's.db'}", "--dask", "somewhere"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and "--dask" in r.stderr, r.stderr


def test_local_cluster_stores_what_one_process_stores(tmp_path):
    one = _empty("sqlite", tmp_path / "one")
    _ingest(one, _sources())
    url = _empty(BACKEND, tmp_path / "dask")
    report = _ingest(url, _sources(), dask="local:2")
    assert report.stored > 10
    diff = differences(dump(one), dump(url))  # documents, events, merges, evidence, field by field
    assert not diff, "\n".join(diff)
    again = _ingest(url, _sources(), dask="local:2")  # a store that holds it all: nothing new
    assert (again.stored, again.existing) == (0, report.documents)


def test_two_dask_ingests_of_the_same_shards_store_each_document_once(tmp_path):
    shards = _shards(tmp_path / "shards")
    one = _empty("sqlite", tmp_path / "one")
    _ingest(one, [str(shards)])
    url = _empty(BACKEND, tmp_path / "both")
    cmd = [sys.executable, "-m", "kurultai.cli", "ingest", str(shards), "--db", url, "--dask", "local:1", "--batch", "5"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=900) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0 and "Traceback" not in err, err[-3000:]
    diff = differences(dump(one), dump(url))
    assert not diff, "\n".join(diff)


def test_a_worker_killed_mid_run_loses_nothing(tmp_path):
    from distributed import Client, LocalCluster

    shards = _shards(tmp_path / "shards", n=80, parts=4)
    one = _empty("sqlite", tmp_path / "one")
    _ingest(one, [str(shards)])
    url = _empty(BACKEND, tmp_path / "killed")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as watcher:
        pids = sorted(watcher.run(os.getpid).values())
        killed: list[int] = []

        def kill_one(report) -> None:
            if not killed and report.stored >= 10:  # mid-run: some stored, most still to come
                killed.append(pids[0])
                os.kill(pids[0], signal.SIGKILL)

        report = _ingest(url, [str(shards)], dask=cluster.scheduler_address, batch=5, on_progress=kill_one)
    assert killed, "the run ended before a worker could be killed"
    assert report.errors == 0
    diff = differences(dump(one), dump(url))
    assert not diff, "\n".join(diff)
