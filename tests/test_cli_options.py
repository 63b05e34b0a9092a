"""The command line's habits (issue 13, item 14): `--version`, `-h`, a progress bar with the total and an
ETA, `extract --meta FILE.json` with per-file publication dates and sources in the corpus' meta.json
form. (`--mode` on `search` and the filter flags shared with `export`: tests/test_filter_values.py.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import ROOT, shared_or_skip
from kurultai.cli import app, version

runner = CliRunner()


def test_version():
    for flag in ("--version", "-V"):
        r = runner.invoke(app, [flag])
        assert r.exit_code == 0 and r.stdout == f"kurultai {version()}\n"
    assert version() != "unknown"


@pytest.mark.parametrize("command", [[], ["search"], ["export"], ["extract"], ["serve"], ["ingest"]])
def test_h_is_help(command):
    r = runner.invoke(app, [*command, "-h"], terminal_width=200)
    assert r.exit_code == 0 and "Usage:" in r.stdout and "--help" in r.stdout and "-h" in r.stdout
    assert r.stdout == runner.invoke(app, [*command, "--help"], terminal_width=200).stdout


def test_extract_meta_gives_dates_and_sources_and_a_progress_bar(tmp_path):
    dev = shared_or_skip() / "corpus" / "dev"
    meta = json.loads((dev / "meta.json").read_text(encoding="utf-8"))
    names = [n for n in sorted(meta) if meta[n].get("published")][:2] + [n for n in sorted(meta) if not meta[n].get("published")][:1]
    src = tmp_path / "in"
    src.mkdir()
    for n in names:
        shutil.copy(dev / f"{n}.txt", src / f"{n}.txt")
    shutil.copy(dev / f"{names[0]}.txt", src / "not_in_meta.txt")
    out = tmp_path / "out"
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "160"}  # a terminal, for the progress bar
    r = subprocess.run([sys.executable, "-m", "kurultai.cli", "extract", str(src), "--meta", str(dev / "meta.json"),
                        "--published", "2001-02-03", "--out", str(out)], capture_output=True, text=True, cwd=ROOT,
                       timeout=600, env=env)
    assert r.returncode == 0, r.stderr
    for n in names:
        doc = json.loads((out / f"{n}.json").read_text(encoding="utf-8"))["document"]
        assert doc["source"] == meta[n]["source"]
        assert doc["published"] == (meta[n]["published"] or "2001-02-03")  # meta first, then --published
    other = json.loads((out / "not_in_meta.json").read_text(encoding="utf-8"))["document"]
    assert other["published"] == "2001-02-03" and other["source"].endswith("not_in_meta.txt")
    assert "warning: " in r.stderr and "no entry 'not_in_meta'" in r.stderr
    assert "4/4" in r.stderr and "eta" in r.stderr  # the bar: count of the total, and the time left


@pytest.mark.parametrize(("content", "words"), [
    ("[1, 2]", "expected an object"), ("{not json", "not JSON"), ('{"a": {"published": "May"}}', "not a date"),
    ('{"a": 3}', "expected an object"), (None, "No such file")])
def test_a_bad_meta_file_is_one_line_and_exit_2(tmp_path, content, words):
    meta = tmp_path / "meta.json"
    if content is not None:
        meta.write_text(content, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Министры провели переговоры в Бишкеке.", encoding="utf-8")
    r = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--meta", str(meta)])
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --meta: ") and words in lines[0], r.stderr
