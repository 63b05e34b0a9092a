from __future__ import annotations

import datetime as dt
import os
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


PG_URL = os.environ.get("KURULTAI_TEST_PG_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def new_store(backend: str, folder: Path):
    """An empty store on `backend`: a SQLite file in `folder`, or the test PostgreSQL database wiped."""
    from kurultai.store import Store

    if backend == "sqlite":
        return Store(f"sqlite:///{folder / 'k.db'}")
    import sqlalchemy as sa

    engine = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return Store(PG_URL)


def shared_or_skip() -> Path:
    if not (SHARED / "corpus" / "dev").is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED
