"""A store as plain data with its ids replaced by stable keys, to compare two stores field by field.

A document is named by its content hash; an event by the sorted (document hash, extraction id) pairs
of the reports it was built from; every other row by its fields with those names in place of ids.
Surrogate ids, timestamps and the store-version counter are left out: they depend on when and in which
order rows were written, not on what the store says.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import sqlalchemy as sa

from kurultai.store import normalise_url
from kurultai.store.models import Base

SKIP_TABLES = {"store_version"}
SKIP_COLUMNS = {"id", "ingested_at", "created_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def dump(url: str) -> dict[str, Any]:
    """Every mapped table of the store at `url` as a sorted list of rows (tuples of column, value)."""
    engine = sa.create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            docs = {i: h for i, h in conn.execute(sa.text("SELECT id, content_hash FROM documents"))}
            members: dict[int, list[tuple[str, str]]] = {}
            for event_id, doc_id, extraction_id in conn.execute(
                    sa.text("SELECT event_id, document_id, extraction_id FROM event_documents")):
                members.setdefault(event_id, []).append((docs[doc_id], extraction_id or ""))
            events = {i: tuple(sorted(m)) for i, m in members.items()}
            out: dict[str, Any] = {}
            for name, table in Base.metadata.tables.items():
                if name in SKIP_TABLES:
                    continue
                rows = []
                for row in conn.execute(sa.select(table)).mappings():
                    item = []
                    for col, value in row.items():
                        if col in SKIP_COLUMNS and not (name == "events" and col == "id"):
                            continue
                        if name == "events" and col == "id":
                            col, value = "key", events.get(value, ())
                        elif col == "event_id":
                            value = events.get(value, ())
                        elif col in ("document_id", "duplicate_of") and value is not None:
                            value = docs[value]
                        item.append((col, _plain(value)))
                    rows.append(tuple(item))
                out[name] = sorted(rows, key=repr)
            return out
    finally:
        engine.dispose()


def differences(a: dict[str, Any], b: dict[str, Any], limit: int = 10) -> list[str]:
    """Rows that one dump has and the other lacks, table by table (at most `limit` lines)."""
    lines = []
    for table in sorted(set(a) | set(b)):
        left, right = Counter(a.get(table, [])), Counter(b.get(table, []))
        for row in (left - right):
            lines.append(f"{table}: only in the first: {row}")
        for row in (right - left):
            lines.append(f"{table}: only in the second: {row}")
    return [line if len(line) <= 400 else line[:400] + "..." for line in lines[:limit]]
