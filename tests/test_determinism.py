"""The same sources give the same store, field by field (ids aside), on SQLite and PostgreSQL and in any
order: files named in another order, and the lines of a JSONL shuffled across other files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import BACKENDS, SAMPLES, SHARED, new_store, news, write_jsonl
from store_dump import differences, dump

N_SYNTH = 300  # enough second reports and copies of one meeting that grouping and ties have work to do


@pytest.fixture(scope="module")
def cached_extraction(pipeline):
    """Extraction is deterministic and the slow part: each document is extracted once for all the runs."""
    cache = {}

    def run(doc):
        key = doc.model_dump_json()
        if key not in cache:
            cache[key] = pipeline.run_document(doc)
        return cache[key].model_copy(deep=True)

    return run


def _sources(folder: Path, seed: int | None) -> list[str]:
    """The articles as files: the samples, the dev corpus when it is beside the project, and generated
    news in four JSONL files. With a seed, the JSONL lines are dealt out in another order and every list
    of files is shuffled."""
    records = news(N_SYNTH, seed=3)
    files = sorted(SAMPLES.glob("*.txt"))
    if (SHARED / "corpus" / "dev").is_dir():
        files += sorted((SHARED / "corpus" / "dev").glob("*.txt"))
    refs = [str(p) for p in files]
    folder.mkdir()
    if seed is not None:
        rnd = random.Random(seed)
        rnd.shuffle(records)
        rnd.shuffle(refs)
    chunks = [records[i::4] for i in range(4)]
    refs += [write_jsonl(folder / f"part{i}.jsonl", chunk) for i, chunk in enumerate(chunks)]
    if seed is not None:
        random.Random(seed + 1).shuffle(refs)
    return refs


def _ingest(backend: str, tmp_path: Path, name: str, seed: int | None, monkeypatch, extract) -> dict:
    from kurultai import ingest

    monkeypatch.setattr(ingest, "_extract", extract)
    (tmp_path / name).mkdir()
    store = new_store(backend, tmp_path / name)
    try:
        report = ingest.ingest(store, _sources(tmp_path / name / "in", seed))
        assert report.errors == 0, report.error_messages
        url = store.url
    finally:
        store.close()
    return dump(url)


def test_same_store_on_both_backends_and_in_any_order(tmp_path, monkeypatch, cached_extraction):
    reference = _ingest("sqlite", tmp_path, "reference", None, monkeypatch, cached_extraction)
    assert len(reference["documents"]) > 250 and len(reference["events"]) > 200
    assert any(dict(d)["duplicate_of"] for d in reference["documents"])
    assert any(len(dict(e)["key"]) > 1 for e in reference["events"])  # merging had work to do
    runs = [("sqlite", 11)] + [("postgresql", seed) for seed in (None, 13) if "postgresql" in BACKENDS]
    for backend, seed in runs:
        other = _ingest(backend, tmp_path, f"{backend}-{seed}", seed, monkeypatch, cached_extraction)
        diff = differences(reference, other)
        assert not diff, f"{backend} {seed}:\n" + "\n".join(diff)
