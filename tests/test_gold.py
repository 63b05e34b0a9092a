"""The curated record as gold: `kurultai export --format gold` writes the reviewed events of each fully
reviewed document (corrected values, no rejected event) in the dev corpus' layout, and the folder
scores an extraction of the same events at F1 1.0 with `kurultai eval` and with ../shared/eval/score.py."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from conftest import ROOT, shared_or_skip
from kurultai.models import DateRange, Document, Event, Extraction, Participant
from kurultai.store import SearchQuery, Store

D = dt.date(2026, 4, 14)


def talks(day: dt.date, a: str = "KGZ", b: str = "UZB") -> Event:
    return Event(date=DateRange(start=day, end=day), countries=[a, b], topics=["trade"],
                 participants=[Participant(name="Кулубаев", name_en="Zheenbek Kulubaev", role="foreign_minister", country="KGZ")])


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kurultai.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def reviewed_store(tmp_path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    store.add(Extraction(document=Document(id="doc one", text="Report one. " * 5, lang="ru", published=D),
                         events=[talks(D), talks(D + dt.timedelta(days=30), "KAZ", "TJK")]))
    store.add(Extraction(document=Document(id="two", text="Report two. " * 5, lang="en"),
                         events=[talks(D + dt.timedelta(days=90), "TKM", "CHN")]))
    store.add(Extraction(document=Document(id="three", text="Report three. " * 5, lang="en"),
                         events=[talks(D + dt.timedelta(days=200), "TUR", "KAZ"),
                                 talks(D + dt.timedelta(days=260), "UZB", "TKM")]))
    ids = {tuple(e["countries"]): e["id"] for e in store.search_dicts(SearchQuery(limit=None))}
    store.correct(ids[("KGZ", "UZB")], {"date": {"start": "2026-04-15", "end": "2026-04-15"}}, "ana", "the ministry says 15")
    store.review(ids[("KAZ", "TJK")], "reject", "ana", "not a meeting")
    store.review(ids[("CHN", "TKM")], "confirm", "ben")
    store.review(ids[("KAZ", "TUR")], "confirm", "ben")
    return store  # one event of document three is not reviewed yet: it is no gold


def test_gold_export_round_trips_through_both_scorers(tmp_path):
    store = reviewed_store(tmp_path)
    store.close()
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    out = run("export", "--format", "gold", "-o", str(gold), "--db", str(tmp_path / "k.db"))
    assert out.returncode == 0, out.stderr
    assert "documents 2, events 2, skipped 1" in out.stdout
    meta = json.loads((gold / "meta.json").read_text(encoding="utf-8"))
    assert sorted(meta) == ["doc_one", "two"] and meta["doc_one"]["published"] == "2026-04-14"
    one = json.loads((gold / "doc_one.gold.json").read_text(encoding="utf-8"))
    assert one["document"] == {"lang": "ru", "published": "2026-04-14"}
    assert [e["date"]["start"] for e in one["events"]] == ["2026-04-15"]  # corrected; the rejected one is none
    assert one["events"][0]["participants"] == [{"name": "Кулубаев", "name_en": "Zheenbek Kulubaev",
                                                 "role": "foreign_minister", "country": "KGZ"}]
    assert (gold / "doc_one.txt").read_text(encoding="utf-8") == "Report one. " * 5
    pred.mkdir()
    for name in meta:  # an extraction of the same events, in the contract's form
        g = json.loads((gold / f"{name}.gold.json").read_text(encoding="utf-8"))
        ex = Extraction(document=Document(id=name, text=(gold / f"{name}.txt").read_text(encoding="utf-8"),
                                          lang=g["document"]["lang"], published=g["document"]["published"]),
                        events=[Event.model_validate(e) for e in g["events"]])
        (pred / f"{name}.json").write_text(ex.to_json(), encoding="utf-8")
    ours = run("eval", "--gold", str(gold), "--pred", str(pred), "--json")
    assert ours.returncode == 0, ours.stderr
    result = json.loads(ours.stdout)
    assert result["event_f1"] == 1.0 and result["fields_micro_f1"] == 1.0
    shared = shared_or_skip()
    theirs = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "--gold", str(gold), "--pred", str(pred),
                             "--json", str(tmp_path / "s.json")], capture_output=True, text=True, check=True)
    assert theirs.returncode == 0
    scored = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert scored["event_f1"] == 1.0 and scored["fields_micro_f1"] == 1.0
    # the extraction before review scores below 1.0 against what the analyst corrected
    first = json.loads((pred / "doc_one.json").read_text(encoding="utf-8"))
    first["events"][0]["date"] = {"start": "2026-04-14", "end": "2026-04-14", "precision": "day"}
    (pred / "doc_one.json").write_text(json.dumps(first), encoding="utf-8")
    again = json.loads(run("eval", "--gold", str(gold), "--pred", str(pred), "--json").stdout)
    assert again["fields_micro_f1"] < 1.0


def test_gold_refuses_unreviewed_and_a_file(tmp_path):
    reviewed_store(tmp_path).close()
    db = str(tmp_path / "k.db")
    bad = run("export", "--format", "gold", "-o", str(tmp_path / "g"), "--review", "unreviewed", "--db", db)
    assert bad.returncode == 2 and "reviewed" in bad.stderr
    (tmp_path / "f").write_text("x")
    assert run("export", "--format", "gold", "-o", str(tmp_path / "f"), "--db", db).returncode == 2
    only = run("export", "--format", "gold", "-o", str(tmp_path / "c"), "--review", "confirmed", "--db", db)
    assert only.returncode == 0 and sorted(json.loads((tmp_path / "c" / "meta.json").read_text())) == ["two"]
