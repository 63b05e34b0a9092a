"""Documents the relevance prefilter skipped: stored (so a re-run skips them too, and `--no-prefilter`
can extract them later) with the reason, and no events.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: the table is not copied, so SQLite keeps its full-text triggers
    op.add_column("documents", sa.Column("skipped", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("skipped")
