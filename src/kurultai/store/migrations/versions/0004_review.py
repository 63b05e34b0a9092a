"""The analysts' review: each event's review state and whether a source joined since, field overrides,
merge and split decisions between reports, and the log of every decision.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("review_state", sa.String(16), nullable=False, server_default="unreviewed"))
        batch.add_column(sa.Column("new_since_review", sa.Boolean, nullable=False, server_default="0"))
    op.create_index("ix_events_review_state", "events", ["review_state"])
    op.create_table(
        "overrides",
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("field", sa.String(32), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "merge_links",
        sa.Column("a_key", sa.String(80), primary_key=True),
        sa.Column("b_key", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
    )
    op.create_index("ix_merge_links_b_key", "merge_links", ["b_key"])
    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("field", sa.String(32)),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_review_log_event_id", "review_log", ["event_id"])


def downgrade() -> None:
    op.drop_table("review_log")
    op.drop_table("merge_links")
    op.drop_table("overrides")
    op.drop_index("ix_events_review_state", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("new_since_review")
        batch.drop_column("review_state")
