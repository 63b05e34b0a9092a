"""Reports: each document's account of each event, kept as extracted, so events are made from their
reports and can be re-clustered (`kurultai remerge`); the keys reports are found by; the candidates of
a report left apart because it fits several events; the events a document's merging changed beyond
its own (what readers' in-memory indexes read on).

A store made before this revision holds events, not reports: each (event, document) pair becomes one
report whose payload is the event as stored with that document's evidence (the documents' own accounts
were not kept, so a report of a merged event carries the event's united fields). `remerge` then
re-clusters from these.

Revision ID: 0003
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_index", sa.Integer, nullable=False),
        sa.Column("key", sa.String(80), nullable=False, unique=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="SET NULL")),
        sa.Column("component", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("dated", sa.Boolean, nullable=False),
        sa.Column("lo", sa.Integer),
        sa.Column("hi", sa.Integer),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("merge_state", sa.String(16), nullable=False, server_default="alone"),
        sa.Column("merge_confidence", sa.Float, nullable=False, server_default="0"),
        sa.Column("merge_basis", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_reports_document_index", "reports", ["document_id", "event_index"], unique=True)
    op.create_index("ix_reports_event_id", "reports", ["event_id"])
    op.create_index("ix_reports_component", "reports", ["component"])
    op.create_table(
        "report_keys",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String(300), primary_key=True),
    )
    op.create_index("ix_report_keys_key_report", "report_keys", ["key", "report_id"])
    op.create_table(
        "merge_candidates",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("candidate_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_table(
        "event_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("event_id", sa.Integer, nullable=False),
    )
    op.create_index("ix_event_changes_document_id", "event_changes", ["document_id"])
    _backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("event_changes")
    op.drop_table("merge_candidates")
    op.drop_table("report_keys")
    op.drop_table("reports")


def _backfill(conn) -> None:
    """One report per (event, document) of a store made before reports were kept."""
    from kurultai.merge import report_of

    links = conn.execute(sa.text(
        "SELECT ed.event_id, ed.document_id, ed.extraction_id, ed.status, d.content_hash, d.published, d.minhash "
        "FROM event_documents ed JOIN documents d ON d.id = ed.document_id ORDER BY ed.document_id, ed.event_id")).all()
    if not links:
        return
    index: dict[int, int] = {}
    component: dict[int, int] = {}
    next_id = 1
    for event_id, doc_id, extraction_id, status, chash, published, minhash in links:
        ev = _event(conn, event_id, doc_id, extraction_id, status)
        i = index.get(doc_id, 0)
        index[doc_id] = i + 1
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        key = f"{chash}:{i:04d}"
        rep = report_of(ev, key, doc_id, published, minhash)
        comp = component.setdefault(event_id, next_id)
        conn.execute(sa.text(
            "INSERT INTO reports (id, document_id, event_index, key, event_id, component, status, dated, lo, hi, "
            "payload, merge_state, merge_confidence, merge_basis) VALUES (:id, :doc, :i, :key, :ev, :comp, :status, "
            ":dated, :lo, :hi, :payload, :state, 0, '')"),
            {"id": next_id, "doc": doc_id, "i": i, "key": key, "ev": event_id, "comp": comp, "status": ev.status,
             "dated": rep.dated, "lo": rep.lo, "hi": rep.hi, "payload": ev.model_dump_json(),
             "state": "alone"})
        for k in dict.fromkeys(rep.keys()):
            conn.execute(sa.text("INSERT INTO report_keys (report_id, key) VALUES (:r, :k)"), {"r": next_id, "k": k})
        next_id += 1
    conn.execute(sa.text(
        "UPDATE reports SET merge_state = 'joined' WHERE event_id IN "
        "(SELECT event_id FROM reports GROUP BY event_id HAVING count(*) > 1)"))
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('reports', 'id'), (SELECT max(id) FROM reports))"))


def _event(conn, event_id: int, doc_id: int, extraction_id, status):
    from kurultai.models import Event

    e = conn.execute(sa.text("SELECT * FROM events WHERE id = :id"), {"id": event_id}).mappings().one()

    def col(sql: str) -> list:
        return [r[0] for r in conn.execute(sa.text(sql), {"id": event_id})]

    def spans(fld: str, item=None) -> list:
        q = "SELECT start, \"end\" FROM evidence WHERE event_id = :id AND document_id = :doc AND field = :f"
        args = {"id": event_id, "doc": doc_id, "f": fld}
        if item is not None:
            q += " AND item = :item"
            args["item"] = item
        return [[a, b] for a, b in conn.execute(sa.text(q + " ORDER BY start"), args)]

    def day(v):
        return v if isinstance(v, dt.date) or v is None else dt.date.fromisoformat(str(v)[:10])

    start, end = day(e["date_start"]), day(e["date_end"])
    data = {
        "id": extraction_id, "status": status or e["status"], "mode": e["mode"], "format": e["format"],
        "named_format": e["named_format"], "confidence": e["confidence"],
        "date": {"start": start.isoformat(), "end": (end or start).isoformat(), "precision": e["date_precision"] or "day",
                 "evidence": spans("date")} if start else None,
        "location": {"name": e["location_name"], "country": e["location_country"] or "", "lat": e["lat"], "lon": e["lon"],
                     "evidence": spans("location")} if e["location_name"] else None,
        "visit": {"type": e["visit_type"], "visitor": e["visit_visitor"] or "", "host": e["visit_host"] or "",
                  "evidence": spans("visit")} if e["visit_type"] else None,
        "countries": col("SELECT iso3 FROM event_countries WHERE event_id = :id ORDER BY iso3"),
        "organizations": col("SELECT org FROM event_organizations WHERE event_id = :id ORDER BY org"),
        "topics": col("SELECT topic FROM event_topics WHERE event_id = :id ORDER BY topic"),
        "participants": [{"name": n, "name_en": ne, "role": r, "country": c, "evidence": spans("participant", ne)}
                         for n, ne, r, c in conn.execute(sa.text(
                             "SELECT name, name_en, role, country FROM participants WHERE event_id = :id ORDER BY id"),
                             {"id": event_id})],
        "outcomes": [{"type": t, "title": ti, "evidence": spans("outcome", ti[:500])} for t, ti in conn.execute(sa.text(
            "SELECT type, title FROM outcomes WHERE event_id = :id AND document_id = :doc ORDER BY id"),
            {"id": event_id, "doc": doc_id})],
        "figures": [{"indicator": i, "value": v, "unit": u, "kind": k, "year": y} for i, v, u, k, y in conn.execute(sa.text(
            "SELECT indicator, value, unit, kind, year FROM figures WHERE event_id = :id AND document_id = :doc ORDER BY id"),
            {"id": event_id, "doc": doc_id})],
        "evidence": spans("event"),
    }
    return Event.model_validate({k: v for k, v in data.items() if v is not None or k in ("date", "location", "visit")})
