from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"

_spec = importlib.util.spec_from_file_location("synth", ROOT / "benchmarks" / "synth.py")
synth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synth)


def news(n: int, seed: int = 1) -> list[dict]:
    """`n` generated articles (benchmarks/synth.py), each with a URL of its own, so that a document's
    source does not depend on the file or the line it comes in."""
    return [{**r, "url": f"https://example.org/news/{r['id']}"} for r in synth.generate(n, seed=seed)]


def write_jsonl(path: Path, records: list[dict]) -> str:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return str(path)


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


def empty_url(backend: str, folder: Path) -> str:
    """The URL of an empty database without a schema: a new SQLite file in `folder`, or the test
    PostgreSQL database wiped."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'k.db'}"
    import sqlalchemy as sa

    engine = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


def new_store(backend: str, folder: Path):
    """An empty store on `backend`: a SQLite file in `folder`, or the test PostgreSQL database wiped."""
    from kurultai.store import Store

    return Store(empty_url(backend, folder))


def shared_or_skip() -> Path:
    if not (SHARED / "corpus" / "dev").is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED


def old_store(path: Path, revision: str, *statements: str) -> str:
    """A SQLite store at `path` made only up to the migration `revision`, with `statements` run on it
    (rows as an older version wrote them); returns its URL, for a test of the migrations after it."""
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    import kurultai.store as store_pkg

    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_pkg.__file__).parent / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        for sql in statements:
            conn.execute(sa.text(sql))
    engine.dispose()
    return url
