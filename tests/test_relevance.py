"""The relevance prefilter: it never drops an article with a real event, skips what cannot hold one,
records the reason, and `--no-prefilter` extracts what it skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import BACKENDS, new_store
from kurultai.relevance import key_of, prefilter

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
SAMPLES = ROOT / "samples"

# project-written texts without a diplomatic event (economy, sport, weather, accidents, culture)
NEGATIVES = [
    "Курс доллара на бирже вырос на 12 копеек. Аналитики связывают рост с ценами на нефть.",
    "В субботу в городе ожидается дождь и сильный ветер, температура опустится до плюс пяти градусов.",
    "The local football club signed a new striker on a three-year contract, the coach said on Friday.",
    "Ертең республиканың батыс өңірлерінде жаңбыр жауады, желдің екпіні секундына 15 метрге жетеді.",
    "Bugun poytaxtda yangi kutubxona ochildi, unda 20 mingdan ortiq kitob bor.",
    "Бишкекте жаңы мектептин курулушу аяктады, анда 1200 окуучу окуйт.",
]


def _gold_articles() -> list[tuple[str, str]]:
    if not DEV.is_dir():
        return []
    out = []
    for gold in sorted(DEV.glob("*.gold.json")):
        name = gold.name.removesuffix(".gold.json")
        if json.loads(gold.read_text(encoding="utf-8")).get("events"):
            out.append((name, (DEV / f"{name}.txt").read_text(encoding="utf-8")))
    return out


def test_key_is_a_short_prefix_every_form_shares():
    assert key_of("Китай") == "Кита"  # Китая, Китаем
    assert key_of("встреча") == "встре"  # встречи, встретился
    assert key_of("met") == "met"
    assert key_of("безопасност*") == "безоп"


@pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/corpus/dev")
def test_never_drops_a_dev_article_with_a_gold_event():
    arts = _gold_articles()
    assert len(arts) >= 30
    dropped = [(name, prefilter().verdict(text).reason) for name, text in arts if not prefilter().verdict(text).keep]
    assert dropped == []


def test_never_drops_a_sample_or_a_test_article():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    for path in sorted((ROOT / "tests" / "data" / "merge").glob("*.txt")):
        texts.append(path.read_text(encoding="utf-8"))
    assert texts
    assert all(prefilter().verdict(t).keep for t in texts)


@pytest.mark.parametrize("text", NEGATIVES)
def test_skips_text_without_an_encounter_and_says_why(text):
    v = prefilter().verdict(text)
    assert not v.keep and v.reason


def test_needs_both_an_encounter_and_a_party():
    assert prefilter().verdict("Министр иностранных дел Казахстана провел встречу с послом Японии.").keep
    assert not prefilter().verdict("Казахстан увеличил добычу нефти на 5 процентов.").keep  # a party, no encounter
    assert not prefilter().verdict("Встреча выпускников прошла в школе номер три.").keep  # an encounter, no party
    # a key must start a word: "встре" inside another word is not an encounter
    assert not prefilter().verdict("Казахстан и его невстречаемые птицы.").keep


def test_every_script_and_apostrophe():
    assert prefilter().verdict("Oʻzbekiston Prezidenti Xitoy Tashqi ishlar vazirini qabul qildi va uchrashuv oʻtkazdi.").keep
    assert prefilter().verdict("O'zbekiston va Qozog'iston tashqi ishlar vazirlari uchrashuvi bo'lib o'tdi.").keep
    assert prefilter().verdict("Ўзбекистон ва Қозоғистон ташқи ишлар вазирлари учрашуви бўлиб ўтди.").keep


@pytest.mark.parametrize("backend", BACKENDS)
def test_ingest_records_skipped_articles_and_no_prefilter_extracts_them(backend, tmp_path):
    from sqlalchemy import select

    from kurultai.ingest import ingest
    from kurultai.store.models import DocumentRow

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "weather.txt").write_text(NEGATIVES[1], encoding="utf-8")
    # a real meeting the prefilter keeps, and one it cannot see (a party, then "talks" in no lexicon's words)
    (folder / "meeting.txt").write_text("Астана, 5 марта 2024 года. Министр иностранных дел Казахстана провел "
                                        "встречу с министром иностранных дел Японии.", encoding="utf-8")
    store = new_store(backend, tmp_path)
    try:
        first = ingest(store, [str(folder)])
        assert (first.stored, first.skipped, first.errors) == (1, 1, 0)
        assert list(first.skip_reasons.values()) == [1]
        with store.Session() as s:
            rows = {r.doc_key: r for r in s.scalars(select(DocumentRow))}
        assert rows["weather"].skipped and rows["meeting"].skipped is None
        again = ingest(store, [str(folder)])  # a skipped article counts as stored
        assert (again.existing, again.stored, again.skipped) == (2, 0, 0)
        everything = ingest(store, [str(folder)], prefilter=False)  # now it is extracted, in its same row
        assert (everything.existing, everything.stored) == (1, 1)
        with store.Session() as s:
            rows = {r.doc_key: r for r in s.scalars(select(DocumentRow))}
        assert len(rows) == 2 and rows["weather"].skipped is None
    finally:
        store.close()
