"""Outlets and search (issue 13): how each document's outlet was found (`outlet_by`: mark | host | site |
feed; `outlet_found`: the mark as written or the host), and full-text search over stems and KB names:
`documents.terms` (the stems of a document's words), indexed with its title and text (SQLite: FTS5
`documents_fts(title, text, terms)`; PostgreSQL: a GIN index over the three), and each event's
`summary` rebuilt with the KB names, in every language, of what it links.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BATCH = 500
TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"


def _fill_terms(bind) -> None:
    from kurultai.store.search import document_terms

    last = 0
    while True:
        rows = bind.execute(sa.text("SELECT id, title, text, lang FROM documents WHERE id > :last ORDER BY id LIMIT :n"),
                            {"last": last, "n": BATCH}).all()
        if not rows:
            return
        bind.execute(sa.text("UPDATE documents SET terms = :terms WHERE id = :id"),
                     [{"id": i, "terms": document_terms(title, body, lang)} for i, title, body, lang in rows])
        last = rows[-1][0]


def _grouped(bind, sql: str, params: dict) -> dict[int, list]:
    """{event id: its values} of a link table (one value, or a tuple of several, per row)."""
    out: dict[int, list] = {}
    for eid, *values in bind.execute(sa.text(sql), params):
        out.setdefault(eid, []).append(values[0] if len(values) == 1 else tuple(values))
    return out


def _rebuild_summaries(bind) -> None:
    from kurultai.store.search import event_text

    last = 0
    while True:
        events = bind.execute(sa.text("SELECT id, named_format, location_name, location_country FROM events "
                                      "WHERE id > :last ORDER BY id LIMIT :n"), {"last": last, "n": BATCH}).all()
        if not events:
            return
        span = {"lo": events[0][0], "hi": events[-1][0]}
        countries = _grouped(bind, "SELECT event_id, iso3 FROM event_countries WHERE event_id BETWEEN :lo AND :hi", span)
        orgs = _grouped(bind, "SELECT event_id, org FROM event_organizations WHERE event_id BETWEEN :lo AND :hi", span)
        topics = _grouped(bind, "SELECT event_id, topic FROM event_topics WHERE event_id BETWEEN :lo AND :hi", span)
        people = _grouped(bind, "SELECT event_id, name, name_en FROM participants WHERE event_id BETWEEN :lo AND :hi "
                                "ORDER BY id", span)
        titles = _grouped(bind, "SELECT event_id, title FROM outcomes WHERE event_id BETWEEN :lo AND :hi ORDER BY id", span)
        bind.execute(sa.text("UPDATE events SET summary = :s WHERE id = :id"), [
            {"id": eid, "s": event_text(fmt, (place, country) if place else None, countries.get(eid, []),
                                        orgs.get(eid, []), people.get(eid, []), topics.get(eid, []), titles.get(eid, []))}
            for eid, fmt, place, country in events])
        last = span["hi"]


def _documents_fts(cols: str) -> None:
    op.execute(f"CREATE VIRTUAL TABLE documents_fts USING fts5({cols}, content='documents', content_rowid='id', {TOKENIZE})")
    new = ", ".join(f"new.{c.strip()}" for c in cols.split(","))
    old = ", ".join(f"old.{c.strip()}" for c in cols.split(","))
    op.execute(f"CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
               f"INSERT INTO documents_fts(rowid, {cols}) VALUES (new.id, {new}); END")
    op.execute(f"CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
               f"INSERT INTO documents_fts(documents_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
    op.execute(f"CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN "
               f"INSERT INTO documents_fts(documents_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); "
               f"INSERT INTO documents_fts(rowid, {cols}) VALUES (new.id, {new}); END")
    op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")


def _drop_documents_fts() -> None:
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS documents_{suffix}")
    op.execute("DROP TABLE IF EXISTS documents_fts")


def upgrade() -> None:
    bind = op.get_bind()
    # plain ADD COLUMN (no table copy: SQLite's full-text triggers and tables point at documents)
    op.add_column("documents", sa.Column("outlet_by", sa.String(8)))
    op.add_column("documents", sa.Column("outlet_found", sa.Text))
    op.add_column("documents", sa.Column("terms", sa.Text))
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        _drop_documents_fts()  # rebuilt over the filled column below
    else:
        op.execute("DROP INDEX IF EXISTS ix_documents_fts")
    _fill_terms(bind)
    _rebuild_summaries(bind)  # events_fts follows through its update trigger
    if sqlite:
        _documents_fts("title, text, terms")
    else:
        op.execute("CREATE INDEX ix_documents_fts ON documents USING gin (to_tsvector('simple', "
                   "coalesce(documents.title, '') || ' ' || documents.text || ' ' || coalesce(documents.terms, '')))")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _drop_documents_fts()
    else:
        op.execute("DROP INDEX IF EXISTS ix_documents_fts")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("terms")
        batch.drop_column("outlet_found")
        batch.drop_column("outlet_by")
    if bind.dialect.name == "sqlite":
        _documents_fts("title, text")
    else:
        op.execute("CREATE INDEX ix_documents_fts ON documents USING gin (to_tsvector('simple', coalesce(title, '') || ' ' || text))")
