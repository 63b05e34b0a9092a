"""Spans of a source that an analyst marked as the evidence of a field (issue 11: the review's evidence):
each names its event, the document its offsets point into, the field (and item) it supports, who marked
it and when. Before, a marked span was kept only inside the corrected value, without its document: the
upgrade carries those spans over where their document is known (the event has one source, or the
correction's reason, as the edit mode wrote it, "evidence: date in source 3; participants.0 in source 3,
5", names one source per span), with the correction's author and time.

Revision ID: 0011
"""

import datetime as dt
import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "marked_evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("item", sa.String(512)),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_marked_evidence_event_id", "marked_evidence", ["event_id"])
    op.create_index("ix_marked_evidence_document_id", "marked_evidence", ["document_id"])
    carry_over(op.get_bind())


LISTS = ("participants", "outcomes", "figures")
NAMED = re.compile(r"([a-z_]+(?:\.\d+)?) in source ((?:\d+(?:, )?)+)")


def _item(field: str, value: dict) -> str | None:
    if field == "participants":
        return (value.get("name_en") or value.get("name") or "")[:512] or None
    if field == "outcomes":
        return (value.get("title") or "")[:500] or None
    try:
        return f"{value['indicator']} {float(value['value']):g} {value['unit']}"[:512]
    except (KeyError, TypeError, ValueError):
        return None


def carry_over(conn) -> None:
    """The spans inside the overrides' values, as marked spans where their source is known."""
    table = sa.table("marked_evidence", sa.column("event_id", sa.Integer), sa.column("document_id", sa.Integer),
                     sa.column("field", sa.String), sa.column("item", sa.String), sa.column("start", sa.Integer),
                     sa.column("end", sa.Integer), sa.column("actor", sa.String), sa.column("at", sa.DateTime))
    rows = []
    for event_id, field, value in conn.execute(sa.text("SELECT event_id, field, value FROM overrides ORDER BY event_id, field")):
        try:
            v = json.loads(value)
        except ValueError:
            continue
        spans = {}  # the edit mode's key of a field ("date", "participants.0") -> (item, spans)
        if isinstance(v, dict) and v.get("evidence"):
            spans[field] = (None, v["evidence"])
        elif isinstance(v, list) and field in LISTS:
            for k, x in enumerate(v):
                if isinstance(x, dict) and x.get("evidence"):
                    spans[f"{field}.{k}"] = (_item(field, x), x["evidence"])
        if not spans:
            continue
        sources = [d for (d,) in conn.execute(sa.text("SELECT document_id FROM event_documents WHERE event_id = :e"),
                                              {"e": event_id})]
        logged = conn.execute(sa.text("SELECT actor, at, reason FROM review_log WHERE event_id = :e AND field = :f "
                                      "AND action = 'correct' ORDER BY id DESC"), {"e": event_id, "f": field}).first()
        named = {}
        for key, docs in NAMED.findall(logged[2] if logged else ""):
            named[key] = [int(d) for d in docs.split(",") if d.strip()]
        lengths = {d: len(t) for d, t in conn.execute(
            sa.text("SELECT id, text FROM documents WHERE id IN (SELECT document_id FROM event_documents WHERE event_id = :e)"),
            {"e": event_id})}
        at = logged[1] if logged else dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if isinstance(at, str):
            at = dt.datetime.fromisoformat(at)
        for key, (item, found) in spans.items():
            docs = named.get(key, [])
            if len(docs) != len(found):
                docs = sources * len(found) if len(sources) == 1 else []
            for span, doc in zip(found, docs, strict=False):
                if (doc in lengths and isinstance(span, list) and len(span) == 2 and all(type(x) is int for x in span)
                        and 0 <= span[0] < span[1] <= lengths[doc]):
                    rows.append({"event_id": event_id, "document_id": doc, "field": field, "item": item,
                                 "start": span[0], "end": span[1], "actor": (logged[0] if logged else "api")[:128], "at": at})
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("marked_evidence")
