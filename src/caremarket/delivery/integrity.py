"""Visits whose references are gone: the check that stands in for the database's keys.

Why: the visits table has no foreign-key constraints in the database (ADR 0011), because
checking six keys per row was a third of a million-visit import. The import writes only
references it has just checked, and deletes go through the ORM, where PROTECT refuses any
that visits still name; this is the safety net for anything done around them (raw SQL, a
restore of part of a database). ``caremarket check_visits`` runs it; docs/operations.md
says when.
"""

from __future__ import annotations

from django.db import connection

# (the visit's column, the table it names)
REFERENCES = (
    ("commissioner_id", "market_commissioner"),
    ("provider_id", "providers_provider"),
    ("person_id", "brokerage_person"),
    ("agreement_id", "brokerage_serviceagreement"),
    ("planned_id", "delivery_plannedvisit"),
    ("pay_run_id", "delivery_payrun"),
)


def orphaned_visits() -> dict[str, int]:
    """How many visits name a row that does not exist, by reference (all zero when sound)."""
    found: dict[str, int] = {}
    with connection.cursor() as cur:
        for column, table in REFERENCES:
            statement = (  # the module's own names, no values
                f"SELECT count(*) FROM delivery_visit v WHERE v.{column} IS NOT NULL "  # noqa: S608  # nosec B608
                f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = v.{column})"
            )
            cur.execute(statement)
            found[column.removesuffix("_id")] = int(cur.fetchone()[0])
    return found
