from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def pipeline():
    from kurultai.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def ru():
    from kurultai.analyze import get_analyser

    return get_analyser("ru")


@pytest.fixture()
def extract_text(pipeline):
    def run(text: str, published: dt.date | None = None, doc_id: str = "t"):
        return pipeline.run_bytes(text.encode("utf-8"), doc_id, None, published)

    return run


def shared_or_skip() -> Path:
    if not (SHARED / "corpus" / "dev").is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED
