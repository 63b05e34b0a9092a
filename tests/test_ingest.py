"""`kurultai ingest`: idempotence, bad inputs recorded, a SIGKILLed run finished by a second one, and no
extraction worker outliving a killed run."""

import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, synth
from kurultai.clean import InputError
from kurultai.ingest import canonical_key, canonical_order
from kurultai.models import Document
from store_dump import differences, dump


def kurultai(*args, **kw):
    return subprocess.run([sys.executable, "-m", "kurultai.cli", *args], capture_output=True, text=True, timeout=900, **kw)


def counts(db: Path) -> tuple[int, int, int, int]:
    with sqlite3.connect(db) as c:
        return tuple(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("documents", "events", "event_documents", "evidence"))


def test_folder_twice_and_bad_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in SAMPLES.glob("ru_*.txt"):
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "k.db"
    r1 = kurultai("ingest", str(folder), "--db", f"sqlite:///{db}")
    assert r1.returncode == 1, r1.stderr  # bad files are reported, the rest is stored
    assert "errors 2" in r1.stdout
    first = counts(db)
    assert first[0] == len(list(SAMPLES.glob("ru_*.txt")))
    r2 = kurultai("ingest", str(folder), "--db", f"sqlite:///{db}")
    assert counts(db) == first
    assert "already stored" in r2.stdout
    shown = kurultai("show", "1", "--db", f"sqlite:///{db}", "--json")
    data = json.loads(shown.stdout)
    assert all(e["quote"] for e in data["evidence"])
    found = kurultai("search", "--country", "TJK", "--json", "--db", f"sqlite:///{db}")
    assert all("TJK" in e["countries"] for e in json.loads(found.stdout))


def test_sigkill_then_rerun_equals_a_clean_run(tmp_path):
    corpus = synth.write_jsonl(tmp_path / "corpus.jsonl", 2000)
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    r = kurultai("ingest", str(corpus), "--db", f"sqlite:///{clean_db}", "--workers", "2")
    assert r.returncode == 0, r.stderr[-2000:]
    expected = counts(clean_db)
    # copies that differ only in page chrome clean to the same text: stored once
    assert 1500 < expected[0] <= 2000 and expected[1] > 100
    proc = subprocess.Popen([sys.executable, "-m", "kurultai.cli", "ingest", str(corpus), "--db", f"sqlite:///{killed_db}",
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline:  # kill it once part of the corpus is stored
        time.sleep(0.5)
        if killed_db.exists():
            try:
                with sqlite3.connect(killed_db, timeout=1) as c:
                    if c.execute("SELECT count(*) FROM documents").fetchone()[0] >= 300:
                        break
            except sqlite3.Error:
                pass
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = counts(killed_db)
    assert 0 < partial[0] < expected[0]
    before = dump(f"sqlite:///{killed_db}")
    r = kurultai("ingest", str(corpus), "--db", f"sqlite:///{killed_db}", "--workers", "2")
    assert r.returncode == 0, r.stderr[-2000:]
    assert counts(killed_db) == expected
    after = dump(f"sqlite:///{killed_db}")
    assert set(before["documents"]) <= set(after["documents"])  # what was stored stays as it was
    diff = differences(dump(f"sqlite:///{clean_db}"), after)  # and the rerun finishes a clean run's store
    assert not diff, "\n".join(diff)


def _gone(pids: list[int], within: float = 30.0) -> list[int]:
    """The processes of `pids` still alive after `within` seconds (a zombie that waits to be reaped by
    whoever adopted it counts as gone)."""
    deadline = time.monotonic() + within
    while True:
        alive = []
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.append(pid)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def test_workers_die_with_a_killed_ingest(tmp_path):
    corpus = synth.write_jsonl(tmp_path / "corpus.jsonl", 300)
    db = tmp_path / "k.db"
    proc = subprocess.Popen([sys.executable, "-m", "kurultai.cli", "ingest", str(corpus), "--db", f"sqlite:///{db}",
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        parent = psutil.Process(proc.pid)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # until the pool's workers are extracting
            time.sleep(0.5)
            if len(parent.children()) >= 2 and db.exists():
                with sqlite3.connect(db, timeout=5) as c:
                    if c.execute("SELECT count(*) FROM documents").fetchone()[0] > 0:
                        break
        children = [p.pid for p in parent.children(recursive=True)]
        assert len(children) >= 2
        proc.kill()  # SIGKILL to the ingest alone: no clean-up runs in it
        proc.wait()
        assert _gone(children) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


WATCHED_CHILD = """
import multiprocessing, os, time
from kurultai.ingest import _die_with_parent

def child(parent):
    _die_with_parent(parent, use_prctl=False)
    time.sleep(600)

if __name__ == "__main__":
    p = multiprocessing.get_context("fork").Process(target=child, args=(os.getpid(),))
    p.start()
    print(p.pid, flush=True)
    time.sleep(600)
"""


def test_without_prctl_a_thread_ends_the_orphan(tmp_path):
    """The portable fallback: a worker whose parent is killed notices it is adopted and exits."""
    script = tmp_path / "watched.py"
    script.write_text(WATCHED_CHILD)
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        child = int(proc.stdout.readline())
        proc.kill()
        proc.wait()
        assert _gone([child]) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


BATCH = [Document(id=f"d{i}", source=src, text=text, published=day)
         for i, (src, text, day) in enumerate([
             ("a.txt", "Первый текст.", dt.date(2024, 5, 2)), ("b.txt", "Второй текст.", dt.date(2024, 5, 1)),
             ("c.txt", "Третий текст.", None), ("d.txt", "Второй текст.", dt.date(2024, 5, 1)),
             ("e.txt", "Четвёртый текст.", dt.date(2024, 5, 1)), (None, "Пятый\n текст.", None)])]


@settings(max_examples=40, deadline=None)
@given(st.permutations(BATCH + [InputError("bad.txt: binary file")]))
def test_a_batch_comes_in_one_order_whatever_its_order(items):
    out = list(canonical_order(items))
    assert isinstance(out[0], InputError)  # bad inputs are reported at once
    assert out[1:] == sorted(BATCH, key=canonical_key)  # documents come back whole, in one order
    assert [d.published for d in out[1:3]] == [None, None]  # undated first, then by date
