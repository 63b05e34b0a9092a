"""Participants' names folded as filters compare them (`kurultai.folding`): `participants.name_key`,
filled for every stored participant, so a person filter finds "Лавров" written "ЛАВРОВ" on SQLite and
PostgreSQL alike (SQL's lower() and LIKE fold ASCII only on SQLite).

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

from kurultai.folding import name_key

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    op.add_column("participants", sa.Column("name_key", sa.Text, nullable=False, server_default=""))
    conn = op.get_bind()
    participants = sa.table("participants", sa.column("id", sa.Integer), sa.column("name", sa.Text),
                            sa.column("name_en", sa.Text), sa.column("name_key", sa.Text))
    last = 0
    while True:
        rows = conn.execute(sa.select(participants.c.id, participants.c.name, participants.c.name_en)
                            .where(participants.c.id > last).order_by(participants.c.id).limit(BATCH)).all()
        if not rows:
            break
        conn.execute(participants.update().where(participants.c.id == sa.bindparam("pid"))
                     .values(name_key=sa.bindparam("key")),
                     [{"pid": i, "key": name_key(name or "", name_en or "")} for i, name, name_en in rows])
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("name_key")
