"""Quality on the real Russian articles of ../shared/corpus/dev, scored by the project's scorer, which
must agree with the shared one."""

import datetime as dt
import json
import shutil
import subprocess
import sys

from conftest import shared_or_skip
from kurultai.evaluate import score

RUSSIAN = ("seed_000", "seed_001", "seed_003", "seed_004")


def test_russian_dev_documents_meet_the_bar(pipeline, tmp_path):
    shared = shared_or_skip()
    dev = shared / "corpus" / "dev"
    meta = json.loads((dev / "meta.json").read_text(encoding="utf-8"))
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    for name in RUSSIAN:
        shutil.copy(dev / f"{name}.gold.json", gold)
        published = (meta.get(name) or {}).get("published")
        result = pipeline.run_path(dev / f"{name}.txt", dt.date.fromisoformat(published) if published else None)
        (pred / f"{name}.json").write_text(result.to_json(), encoding="utf-8")
    ours = score(gold, pred)
    assert ours["event_f1"] >= 0.85, ours["slots"]
    assert ours["fields_micro_f1"] >= 0.75, ours["slots"]
    # the shared scorer gives the same figures
    out = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "--gold", str(gold), "--pred", str(pred),
                          "--json", str(tmp_path / "s.json")], capture_output=True, text=True, check=True)
    theirs = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert out.returncode == 0
    assert theirs["slots"] == ours["slots"]
    assert theirs["fields_micro_f1"] == ours["fields_micro_f1"]
