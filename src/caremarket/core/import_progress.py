"""Progress an import reports while its one transaction is still open.

Why: an import writes all or nothing inside one transaction, so a progress figure written
there stays invisible to the run page until the end. The whole-file paths (the bulk ECM
import) report on a connection of their own instead, which commits each figure at once.
Progress is a courtesy, never part of the import: if the side connection cannot write
(the run's row locked by a caller's own transaction, for one), it waits 200 ms at most,
stops reporting, and the import goes on regardless.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from caremarket.core.models import ImportRun


class Report(Protocol):
    def __call__(
        self, *, stage: str, rows_checked: int | None = None, status: str = ""
    ) -> None: ...


def _ignore(*, stage: str, rows_checked: int | None = None, status: str = "") -> None:
    return None


IGNORE: Report = _ignore


@contextmanager
def reporter(run_pk: int) -> Iterator[Report]:
    """A ``report(stage=..., rows_checked=..., status=...)`` for the run, on its own connection."""
    side: Any = connections.create_connection(DEFAULT_DB_ALIAS)
    table = side.ops.quote_name(ImportRun._meta.db_table)

    gave_up: list[bool] = []
    prepared: list[bool] = []

    def report(*, stage: str, rows_checked: int | None = None, status: str = "") -> None:
        if gave_up:
            return
        fields: dict[str, Any] = {"stage": stage[:80]}
        if rows_checked is not None:
            fields["rows_checked"] = rows_checked
        if status:
            fields["status"] = status
        sets = ", ".join(f"{side.ops.quote_name(name)} = %s" for name in fields)
        try:
            with side.cursor() as cur:
                if side.vendor == "postgresql" and not prepared:
                    # The run's row may be locked by the very transaction reporting (a
                    # caller's outer transaction): wait briefly, never for it to end.
                    cur.execute("SET lock_timeout = '200ms'")
                    prepared.append(True)
                statement = f"UPDATE {table} SET {sets} WHERE id = %s"  # noqa: S608  # nosec B608 - the model's own names
                cur.execute(statement, [*fields.values(), run_pk])
        except DatabaseError:
            gave_up.append(True)  # no more tries: the import goes on without progress

    try:
        yield report
    finally:
        side.close()
