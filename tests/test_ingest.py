"""`kurultai ingest`: idempotence, bad inputs recorded, and a SIGKILLed run finished by a second one."""

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, SAMPLES

_spec = importlib.util.spec_from_file_location("synth", ROOT / "benchmarks" / "synth.py")
synth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synth)


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
    r = kurultai("ingest", str(corpus), "--db", f"sqlite:///{killed_db}", "--workers", "2")
    assert r.returncode == 0, r.stderr[-2000:]
    assert counts(killed_db) == expected
