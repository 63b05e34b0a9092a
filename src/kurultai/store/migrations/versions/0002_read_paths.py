"""Read paths for large stores: value-first covering indexes on the link tables, a (date, id) index for
newest-first pages, per-event keys of the countries and people taking part (the graph groups events
by them instead of self-joining the link tables), and a store version raised by every write (readers
keeping an in-memory index know when it is out of date).

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (table, old single-column index, new value-first index, its columns)
LINKS = [
    ("event_countries", "ix_event_countries_iso3", "ix_event_countries_iso3_event", ["iso3", "event_id"]),
    ("event_organizations", "ix_event_organizations_org", "ix_event_organizations_org_event", ["org", "event_id"]),
    ("event_topics", "ix_event_topics_topic", "ix_event_topics_topic_event", ["topic", "event_id"]),
    ("participants", "ix_participants_name_en", "ix_participants_name_en_event", ["name_en", "event_id"]),
]


def _keys_sql(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "UPDATE events SET country_key = coalesce((SELECT string_agg(c.iso3, ',' ORDER BY c.iso3 COLLATE \"C\") "
            "FROM event_countries c WHERE c.event_id = events.id), '')",
            "UPDATE events SET people_key = coalesce((SELECT string_agg(d.n, chr(31) ORDER BY d.n) FROM (SELECT "
            "DISTINCT p.name_en COLLATE \"C\" AS n FROM participants p WHERE p.event_id = events.id) d), '')",
        ]
    return [
        "UPDATE events SET country_key = coalesce((SELECT group_concat(iso3, ',') FROM (SELECT c.iso3 FROM "
        "event_countries c WHERE c.event_id = events.id ORDER BY c.iso3)), '')",
        "UPDATE events SET people_key = coalesce((SELECT group_concat(name_en, char(31)) FROM (SELECT DISTINCT "
        "p.name_en FROM participants p WHERE p.event_id = events.id ORDER BY p.name_en)), '')",
    ]


def upgrade() -> None:
    for table, old, new, cols in LINKS:
        op.create_index(new, table, cols)
        op.drop_index(old, table_name=table)
    op.create_index("ix_events_date_start_id", "events", ["date_start", "id"])
    op.drop_index("ix_events_date_start", table_name="events")
    op.add_column("events", sa.Column("country_key", sa.Text, nullable=False, server_default=""))
    op.add_column("events", sa.Column("people_key", sa.Text, nullable=False, server_default=""))
    for sql in _keys_sql(op.get_bind().dialect.name):
        op.execute(sql)
    op.create_index("ix_events_country_key", "events", ["country_key"])
    op.create_index("ix_events_people_key", "events", ["people_key"])
    version = op.create_table("store_version", sa.Column("id", sa.Integer, primary_key=True),
                              sa.Column("version", sa.Integer, nullable=False, server_default="0"))
    op.bulk_insert(version, [{"id": 1, "version": 0}])
    op.execute("ANALYZE")  # statistics for the new indexes, so the planner picks them


def downgrade() -> None:
    op.drop_table("store_version")
    op.drop_index("ix_events_people_key", table_name="events")
    op.drop_index("ix_events_country_key", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("people_key")
        batch.drop_column("country_key")
    op.create_index("ix_events_date_start", "events", ["date_start"])
    op.drop_index("ix_events_date_start_id", table_name="events")
    for table, old, new, cols in LINKS:
        op.create_index(old, table, [cols[0]])
        op.drop_index(new, table_name=table)
