"""Ingest errors: one row per source (the latest message, how many times, when last), so a batch re-run
does not pile up copies.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ingest_errors") as batch:
        batch.add_column(sa.Column("times", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("last_seen", sa.DateTime))
    # the rows of one source become its latest row, counting them all
    op.execute("UPDATE ingest_errors SET times = (SELECT count(*) FROM ingest_errors e WHERE e.source = ingest_errors.source), "
               "last_seen = (SELECT max(e.created_at) FROM ingest_errors e WHERE e.source = ingest_errors.source)")
    op.execute("DELETE FROM ingest_errors WHERE id NOT IN (SELECT max(id) FROM ingest_errors GROUP BY source)")
    op.create_index("ix_ingest_errors_source", "ingest_errors", ["source"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_ingest_errors_source", table_name="ingest_errors")
    with op.batch_alter_table("ingest_errors") as batch:
        batch.drop_column("last_seen")
        batch.drop_column("times")
