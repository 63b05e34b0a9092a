"""Near-duplicates found through an index of LSH keys (`document_bands`) instead of an in-memory index
that grew with every document; the keys of the documents stored before are computed here. On
PostgreSQL the report keys get the "C" collation, so that a prefix of them is a range of their index.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHUNK = 2000


def upgrade() -> None:
    from kurultai.merge import band_keys

    op.create_table(
        "document_bands",
        sa.Column("key", sa.BigInteger, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_document_bands_document_id", "document_bands", ["document_id"])
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        # report keys are found by prefix as a range of their index: they must sort byte by byte
        op.execute('ALTER TABLE report_keys ALTER COLUMN key TYPE VARCHAR(300) COLLATE "C"')
    last = 0
    while True:  # in chunks: a large store is not read into memory at once
        rows = conn.execute(sa.text("SELECT id, minhash FROM documents WHERE id > :last AND minhash IS NOT NULL "
                                    "ORDER BY id LIMIT :n"), {"last": last, "n": CHUNK}).all()
        if not rows:
            break
        conn.execute(sa.text("INSERT INTO document_bands (key, document_id) VALUES (:key, :doc)"),
                     [{"key": k, "doc": doc_id} for doc_id, blob in rows for k in dict.fromkeys(band_keys(bytes(blob)))])
        last = rows[-1][0]


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE report_keys ALTER COLUMN key TYPE VARCHAR(300) COLLATE "default"')
    op.drop_index("ix_document_bands_document_id", table_name="document_bands")
    op.drop_table("document_bands")
