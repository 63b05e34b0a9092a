"""Initial schema: documents, events and their parts, evidence, conflicts, ingest errors, full-text indexes.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _event_fk() -> sa.Column:
    return sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False)


def _doc_fk(primary: bool = False) -> sa.Column:
    return sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
                     primary_key=primary)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("doc_key", sa.String(1024), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("ingested_at", sa.DateTime, server_default=sa.func.now()),
    )
    op.create_index("ix_documents_doc_key", "documents", ["doc_key"])
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_documents_duplicate_of", "documents", ["duplicate_of"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("named_format", sa.String(32)),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(8)),
        sa.Column("location_name", sa.String(128)),
        sa.Column("location_country", sa.String(3)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("visit_type", sa.String(16)),
        sa.Column("visit_visitor", sa.String(3)),
        sa.Column("visit_host", sa.String(3)),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("confidence", sa.Float),
    )
    op.create_index("ix_events_status", "events", ["status"])
    op.create_index("ix_events_named_format", "events", ["named_format"])
    op.create_index("ix_events_date_start", "events", ["date_start"])
    op.create_table("event_documents", sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
                    _doc_fk(primary=True), sa.Column("extraction_id", sa.String(64)), sa.Column("status", sa.String(16)))
    op.create_index("ix_event_documents_document_id", "event_documents", ["document_id"])
    op.create_table("event_countries", sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
                    sa.Column("iso3", sa.String(3), primary_key=True))
    op.create_index("ix_event_countries_iso3", "event_countries", ["iso3"])
    op.create_table("event_organizations", sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
                    sa.Column("org", sa.String(16), primary_key=True))
    op.create_index("ix_event_organizations_org", "event_organizations", ["org"])
    op.create_table("event_topics", sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
                    sa.Column("topic", sa.String(16), primary_key=True))
    op.create_index("ix_event_topics_topic", "event_topics", ["topic"])
    op.create_table("participants", sa.Column("id", sa.Integer, primary_key=True), _event_fk(),
                    sa.Column("name", sa.String(256), nullable=False), sa.Column("name_en", sa.String(256), nullable=False),
                    sa.Column("role", sa.String(32), nullable=False), sa.Column("country", sa.String(3)))
    op.create_index("ix_participants_event_id", "participants", ["event_id"])
    op.create_index("ix_participants_name_en", "participants", ["name_en"])
    op.create_table("outcomes", sa.Column("id", sa.Integer, primary_key=True), _event_fk(), _doc_fk(),
                    sa.Column("type", sa.String(32), nullable=False), sa.Column("title", sa.Text, nullable=False))
    op.create_index("ix_outcomes_event_id", "outcomes", ["event_id"])
    op.create_table("figures", sa.Column("id", sa.Integer, primary_key=True), _event_fk(), _doc_fk(),
                    sa.Column("indicator", sa.String(32), nullable=False), sa.Column("value", sa.Float, nullable=False),
                    sa.Column("unit", sa.String(8), nullable=False), sa.Column("kind", sa.String(8), nullable=False),
                    sa.Column("year", sa.Integer))
    op.create_index("ix_figures_event_id", "figures", ["event_id"])
    op.create_table("evidence", sa.Column("id", sa.Integer, primary_key=True), _event_fk(), _doc_fk(),
                    sa.Column("field", sa.String(32), nullable=False), sa.Column("item", sa.String(512)),
                    sa.Column("start", sa.Integer, nullable=False), sa.Column("end", sa.Integer, nullable=False))
    op.create_index("ix_evidence_event_id", "evidence", ["event_id"])
    op.create_index("ix_evidence_document_id", "evidence", ["document_id"])
    op.create_table("conflicts", sa.Column("id", sa.Integer, primary_key=True), _event_fk(), _doc_fk(),
                    sa.Column("field", sa.String(32), nullable=False), sa.Column("value", sa.Text))
    op.create_index("ix_conflicts_event_id", "conflicts", ["event_id"])
    op.create_table("ingest_errors", sa.Column("id", sa.Integer, primary_key=True), sa.Column("source", sa.Text, nullable=False),
                    sa.Column("message", sa.Text, nullable=False), sa.Column("created_at", sa.DateTime, server_default=sa.func.now()))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table, cols in (("documents", "title, text"), ("events", "summary")):
            op.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5({cols}, content='{table}', content_rowid='id', "
                       "tokenize='unicode61 remove_diacritics 2')")
            new = ", ".join(f"new.{c.strip()}" for c in cols.split(","))
            old = ", ".join(f"old.{c.strip()}" for c in cols.split(","))
            op.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN "
                       f"INSERT INTO {table}_fts(rowid, {cols}) VALUES (new.id, {new}); END")
            op.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN "
                       f"INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
            op.execute(f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN "
                       f"INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                       f"INSERT INTO {table}_fts(rowid, {cols}) VALUES (new.id, {new}); END")
    elif bind.dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_documents_fts ON documents USING gin (to_tsvector('simple', coalesce(title, '') || ' ' || text))")
        op.execute("CREATE INDEX ix_events_fts ON events USING gin (to_tsvector('simple', summary))")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table in ("documents", "events"):
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    for table in ("ingest_errors", "conflicts", "evidence", "figures", "outcomes", "participants", "event_topics",
                  "event_organizations", "event_countries", "event_documents", "events", "documents"):
        op.drop_table(table)
