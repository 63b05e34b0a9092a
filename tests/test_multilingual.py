"""The same events from every language: samples the project wrote in ru, kk, ky, uz, tg, tk and en."""

import datetime as dt
import json

import pytest

from conftest import SAMPLES, shared_or_skip

EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8")) if (SAMPLES / "expected.json").exists() else {}
SAME_EVENT = [f"{lang}_c5_russia_video.txt" for lang in ("ru", "kk", "ky", "uz", "tg", "tk", "en")]


def key(ev):
    return (ev.countries, ev.named_format, ev.date.start if ev.date else None,
            sorted(p.name_en for p in ev.participants), ev.mode)


def test_same_event_in_seven_languages(pipeline):
    keys = {}
    for name in SAME_EVENT:
        result = pipeline.run_path(SAMPLES / name)
        assert result.document.lang == name[:2], name
        held = [e for e in result.events if e.status == "held"]
        assert len(held) == 1, (name, result.events)
        keys[name] = key(held[0])
    first = keys[SAME_EVENT[0]]
    assert first == (["KAZ", "KGZ", "RUS", "TJK", "TKM", "UZB"], "C5+RUS", dt.date(2024, 10, 15),
                     ["Murat Nurtleu", "Sergey Lavrov"], "video")
    for name, k in keys.items():
        assert k == first, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_samples_match_their_expected_events(pipeline, name):
    result = pipeline.run_path(SAMPLES / name)
    expected = EXPECTED[name]
    got = result.events
    assert len(got) == len(expected), [(e.status, e.countries) for e in got]
    for exp, ev in zip(expected, got, strict=True):
        assert ev.status == exp["status"]
        assert ev.mode == exp["mode"]
        assert ev.format == exp["format"]
        assert ev.named_format == exp["named_format"]
        assert (ev.date.start.isoformat() if ev.date else None) == exp["date"]
        assert (ev.location.name if ev.location else None) == exp["location"]
        assert ev.countries == exp["countries"]
        assert {(p.name_en, p.role, p.country) for p in ev.participants} == {
            (p["name_en"], p["role"], p["country"]) for p in exp["participants"]}
        assert set(exp["topics"]) <= set(ev.topics)
        assert sorted(o.type for o in ev.outcomes) == sorted(exp["outcomes"])


def test_kazakh_seed_article(pipeline, tmp_path):
    from kurultai.evaluate import score

    dev = shared_or_skip() / "corpus" / "dev"
    result = pipeline.run_path(dev / "seed_002.txt")
    (ev,) = [e for e in result.events if e.status == "held"]
    assert ev.named_format == "C5+RUS" and ev.mode == "video"
    assert ev.countries == ["KAZ", "KGZ", "RUS", "TJK", "TKM", "UZB"]
    assert ev.date.start == dt.date(2020, 10, 15)
    assert [p.name_en for p in ev.participants] == ["Mukhtar Tileuberdi"]
    assert [o.type for o in ev.outcomes] == ["joint_statement"]
    gold, pred = tmp_path / "g", tmp_path / "p"
    gold.mkdir()
    pred.mkdir()
    (gold / "seed_002.gold.json").write_text((dev / "seed_002.gold.json").read_text(encoding="utf-8"), encoding="utf-8")
    (pred / "seed_002.json").write_text(result.to_json(), encoding="utf-8")
    assert score(gold, pred)["fields_micro_f1"] >= 0.7


def test_language_identification_accuracy():
    from benchmarks_lang import evaluate

    acc, confusion, n, errors = evaluate()
    assert n >= 300
    assert acc >= 0.98, errors
    # Tajik and Turkmen are told from their neighbours: Russian, Uzbek and Kazakh; Turkish, Azerbaijani
    for lang in ("tg", "tk"):
        total = sum(v for (g, _), v in confusion.items() if g == lang)
        assert total >= 40 and confusion[(lang, lang)] / total >= 0.98, (lang, confusion)
    for other in ("tr", "az"):
        assert confusion[(other, "tk")] == 0, confusion
