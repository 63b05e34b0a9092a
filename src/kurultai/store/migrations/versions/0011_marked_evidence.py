"""Spans of a source that an analyst marked as the evidence of a field (issue 11: the review's evidence):
each names its event, the document its offsets point into, the field (and item) it supports, who marked
it and when. Before, a marked span was kept only inside the corrected value, without its document.

Revision ID: 0011
"""

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


def downgrade() -> None:
    op.drop_table("marked_evidence")
