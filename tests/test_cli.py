import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLES


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "kurultai.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_batch_with_bad_files(tmp_path):
    good = (SAMPLES / "ru_phone_call.txt").read_text(encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "cp1251.txt").write_bytes(good.encode("cp1251"))
    out = tmp_path / "out"
    r = run("extract", str(tmp_path / "binary.txt"), str(tmp_path / "empty.txt"), str(tmp_path / "cp1251.txt"),
            str(tmp_path / "missing.txt"), "--out", str(out))
    assert r.returncode == 1
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 3, r.stderr
    assert any("binary.txt" in e and "binary" in e for e in errors)
    assert any("empty.txt" in e and "empty" in e for e in errors)
    assert any("missing.txt" in e for e in errors)
    result = json.loads((out / "cp1251.json").read_text(encoding="utf-8"))
    assert result["document"]["text"].startswith("Президент Кыргызской Республики")
    assert result["events"] and result["events"][0]["mode"] == "phone"
    assert not (out / "binary.json").exists() and not (out / "empty.json").exists()


def test_stdout_and_published_option(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Сегодня министры иностранных дел Казахстана и Кыргызстана провели переговоры в Бишкеке.", encoding="utf-8")
    r = run("extract", str(p), "--published", "2024-02-03")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["document"]["published"] == "2024-02-03"
    assert data["events"][0]["date"]["start"] == "2024-02-03"


def test_bad_published_is_a_usage_error(tmp_path):
    r = run("extract", str(SAMPLES / "ru_phone_call.txt"), "--published", "yesterday")
    assert r.returncode == 2
    assert "YYYY-MM-DD" in r.stderr


def test_eval_scores_a_folder(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "x.txt").write_text((SAMPLES / "ru_phone_call.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (gold / "x.gold.json").write_text(json.dumps({"document": {"lang": "ru", "published": "2025-02-05"}, "events": [
        {"status": "held", "mode": "phone", "format": "bilateral", "named_format": None,
         "date": {"start": "2025-02-05", "end": "2025-02-05", "precision": "day"}, "location": None,
         "countries": ["KAZ", "KGZ"], "organizations": [], "participants": [], "visit": None,
         "topics": ["borders", "energy"], "outcomes": [], "figures": []}]}), encoding="utf-8")
    r = run("eval", "--gold", str(gold))
    assert r.returncode == 0, r.stderr
    assert "event F1 1.000" in r.stdout
    assert Path(gold).exists()


def test_a_bad_body_limit_is_one_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kurultai.cli import app

    monkeypatch.setenv("KURULTAI_MAX_BODY", "lots")
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'k.db'}"])
    assert r.exit_code == 2 and "KURULTAI_MAX_BODY" in r.output and "Traceback" not in r.output


def test_extract_reads_html_and_docx_as_ingest_does(tmp_path):
    """One reading path: `extract` gives the article's text, never the markup (issue: the analyst's desk)."""
    from test_sources import make_docx

    text = (SAMPLES / "ru_phone_call.txt").read_text(encoding="utf-8")
    paras = [p for p in text.split("\n") if p.strip()]
    (tmp_path / "a.html").write_text('<html lang="ru"><head><title>Звонок</title></head><body><nav>Главная</nav>'
                                     + "".join(f"<p>{p}</p>" for p in paras) + "</body></html>", encoding="utf-8")
    make_docx(tmp_path / "b.docx", paras)
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "x", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    r = run("extract", str(tmp_path), "--out", str(out))  # the folder: .html and .docx (and not the .jsonl)
    assert r.returncode == 0, r.stderr
    for name in ("a", "b"):
        data = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert "<" not in data["document"]["text"] and "Главная" not in data["document"]["text"]
        assert "Садыр Жапаров провел телефонный разговор" in data["document"]["text"]
        assert data["events"] and data["events"][0]["mode"] == "phone"
    r = run("extract", str(tmp_path / "c.jsonl"))
    assert r.returncode == 1 and "use `kurultai ingest`" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_reading_commands_on_a_missing_store_say_so_and_create_nothing(tmp_path):
    db = tmp_path / "none.db"
    for args in (["stats"], ["search"], ["show", "1"], ["export", "-f", "csv", "-o", str(tmp_path / "x.csv")], ["remerge"]):
        r = run(*args, "--db", str(db))
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.strip() == f"error: no Kurultai store at {db} (`kurultai ingest` makes one)"
    assert not db.exists()
    r = run("stats", "--db", "postgresql://kurultai:s3cret@127.0.0.1:1/none")
    assert r.returncode == 2 and "s3cret" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_errors_are_one_row_per_source_however_often_tried(tmp_path):
    bad = tmp_path / "binary.txt"
    bad.write_bytes(bytes(range(256)) * 40)
    db = f"sqlite:///{tmp_path / 'k.db'}"
    for _ in range(3):
        assert run("ingest", str(bad), "--db", db).returncode in (0, 1)
    r = run("errors", "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["total"] == 1 and data["items"][0]["times"] == 3 and data["items"][0]["source"] == str(bad)
