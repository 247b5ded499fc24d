"""Progress written on a side connection: seen by others while the import's own
transaction is still open, and never able to fail the import."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from caremarket.core import import_progress
from caremarket.core.models import ImportRun

needs_pg = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second connection to the same database"
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second connection to the same database"
)
def test_progress_is_visible_before_the_import_commits() -> None:
    run = ImportRun.objects.create(kind="k", owner="provider:1", sha256="a" * 64, filename="f.csv")
    with import_progress.reporter(run.pk) as report, transaction.atomic():
        ImportRun.objects.create(kind="k", owner="provider:1", sha256="b" * 64, filename="g.csv")
        report(stage="Reading the file", rows_checked=40, status="writing")
        seen = ImportRun.objects.get(pk=run.pk)  # read committed: the side write is there
        assert (seen.stage, seen.rows_checked, seen.status) == ("Reading the file", 40, "writing")
        transaction.set_rollback(True)
    assert not ImportRun.objects.filter(sha256="b" * 64).exists()  # the import's own: undone
    assert ImportRun.objects.get(pk=run.pk).stage == "Reading the file"  # progress: kept
    run.delete()


@pytest.mark.django_db
def test_a_report_that_cannot_be_written_does_not_stop_the_import() -> None:
    with import_progress.reporter(10**9) as report:
        report(stage="x" * 200, rows_checked=1)  # no such run: nothing to update, no error
    import_progress.IGNORE(stage="anything")


@pytest.mark.django_db
@needs_pg
def test_a_run_locked_by_the_callers_own_transaction_is_not_waited_for() -> None:
    import time

    run = ImportRun.objects.create(kind="k", owner="provider:1", sha256="c" * 64, filename="h.csv")
    ImportRun.objects.filter(pk=run.pk).update(stage="")  # the test's transaction holds the row
    started = time.monotonic()
    with import_progress.reporter(run.pk) as report:
        for n in range(20):
            report(stage="Reading the file", rows_checked=n)
    assert time.monotonic() - started < 2  # one 200 ms wait, then no more tries
