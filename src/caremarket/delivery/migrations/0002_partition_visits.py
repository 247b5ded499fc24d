"""On PostgreSQL, rebuild the visits table partitioned by month of ``day`` (a no-op on SQLite).

Visits are the largest table (England logs about 50 million a month), so each month is its
own partition: a pay run reads one or a few partitions, and old months can be detached and
archived. Months from 2024 to 2030 are created here, with a DEFAULT partition for anything
outside them. The primary key and the unique visit id include ``day``, as PostgreSQL requires
of a partitioned table. Foreign keys, check constraints and indexes are copied from the table
Django created, so the model and the table agree.
"""

from __future__ import annotations

from django.db import migrations

TABLE = "delivery_visit"


def partition(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'c')",
            [TABLE],
        )
        constraints = cur.fetchall()
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u'))",
            [TABLE, TABLE],
        )
        indexes = cur.fetchall()
        cur.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_unpartitioned")
        cur.execute(
            f"CREATE TABLE {TABLE} (LIKE {TABLE}_unpartitioned INCLUDING DEFAULTS) "
            "PARTITION BY RANGE (day)"
        )
        cur.execute(f"DROP TABLE {TABLE}_unpartitioned")
        cur.execute(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
        cur.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
        cur.execute(f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id, day)")
        cur.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT visit_id_unique_per_source "
            "UNIQUE (source, external_id, day)"
        )
        for name, definition in constraints:
            cur.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cur.execute(definition.replace(" ONLY ", " "))
        for year in range(2024, 2031):
            for month in range(1, 13):
                nxt = (year + (month == 12), month % 12 + 1)
                cur.execute(
                    f"CREATE TABLE {TABLE}_{year}_{month:02d} PARTITION OF {TABLE} "
                    f"FOR VALUES FROM ('{year}-{month:02d}-01') TO ('{nxt[0]}-{nxt[1]:02d}-01')"
                )
        cur.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_initial")]
    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
