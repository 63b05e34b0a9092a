"""Readers' indexes read on after batched writes (issue 8: reads that never block the writer):
`store_version.rewrites`, raised by the write transactions that change stored events without adding
documents (reviews, merges and splits, `remerge`). A reader's index that has seen the same number of
rewrites reads on from the documents added since, however many transactions added them; before, it
counted one version per document, so every batch of `ingest` (50 documents, one version) and every
review made each server worker rebuild its index of the whole store.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("store_version") as batch:
        batch.add_column(sa.Column("rewrites", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("store_version") as batch:
        batch.drop_column("rewrites")
