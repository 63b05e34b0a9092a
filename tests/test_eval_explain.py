"""`kurultai eval --by-lang --explain`: scores per language and errors attributed to stages, on a gold
folder the test writes itself."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kurultai.cli import app
from kurultai.pipeline import Pipeline

TEXT = ("Министр иностранных дел Казахстана Мурат Нуртлеу провел переговоры с министром иностранных дел "
        "Кыргызстана Жээнбеком Кулубаевым. Погода в Астане была солнечной.")


def test_explain_attributes_a_missed_and_a_spurious_event(tmp_path):
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    ex = Pipeline().run_bytes(TEXT.encode(), "doc")
    got = ex.to_dict()
    assert len(got["events"]) == 1
    gold = json.loads(json.dumps(got))
    # the gold adds an event the text never mentions as an encounter (weather sentence): "no mention"
    weather = TEXT.index("Погода")
    gold["events"].append({**gold["events"][0], "countries": ["CHN", "KAZ"], "participants": [],
                           "evidence": [[weather, weather + 6]]})
    (gold_dir / "doc.gold.json").write_text(json.dumps(gold, ensure_ascii=False))
    (gold_dir / "doc.txt").write_text(TEXT)
    # the prediction adds an event of its own: "spurious event"; and misses the topic of the first
    pred = json.loads(json.dumps(got))
    pred["events"].append({**got["events"][0], "countries": ["TUR", "USA"], "participants": []})
    (pred_dir / "doc.json").write_text(json.dumps(pred, ensure_ascii=False))
    r = CliRunner().invoke(app, ["eval", "--gold", str(gold_dir), "--pred", str(pred_dir), "--explain", "--by-lang", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    counts = out["explain"]["counts"]["ru"]
    assert counts.get("no mention") == 1 and counts.get("spurious event") == 1
    assert out["by_language"]["ru"]["documents"] == 1 and "all" in out["by_language"]
    text = CliRunner().invoke(app, ["eval", "--gold", str(gold_dir), "--pred", str(pred_dir), "--explain"]).output
    assert "no mention" in text and "spurious event" in text
