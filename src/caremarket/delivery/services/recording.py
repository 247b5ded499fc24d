"""Recording actual visits: one shape for the ECM file, the API and the provider's upload.

A visit is accepted only for a person who has an agreement with the sending provider (as
lead or as the subcontractor delivering it); its agreement is the one live on the visit's
day, if any (none: the visit is *unmatched* and never paid). The external visit id is unique
per source and day: sending the same visit again changes nothing (it is skipped and
counted), which is what makes the API and the files idempotent.

Large loads go through ``write_visits``: on PostgreSQL the rows stream through COPY into a
staging table and one ``INSERT ... ON CONFLICT DO NOTHING`` moves them into the partitioned
table; elsewhere ``bulk_create(ignore_conflicts=True)`` in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from caremarket.brokerage.models import Person, ServiceAgreement
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.delivery import rules
from caremarket.delivery.models import Visit

COLUMNS = (
    "commissioner_id",
    "provider_id",
    "person_id",
    "agreement_id",
    "source",
    "external_id",
    "carer_ref",
    "day",
    "check_in",
    "check_out",
    "planned_start",
    "planned_end",
    "method",
    "manual_reason",
    "minutes",
    "verified",
    "exceptions",
    "paid_minutes",
    "held",
    "hold_reason",
    "import_run",
    "created_at",
)
ONE_DAY = timedelta(days=1)


@dataclass
class People:
    """Who a provider may send visits for, in one commissioner: reference -> (person id,
    [(agreement id, start, end)]). Loaded once per import or request."""

    commissioner_id: int
    provider_id: int
    by_reference: dict[str, tuple[int, list[tuple[int, date, date | None]]]]

    @classmethod
    def load(cls, commissioner_id: int, provider_id: int) -> People:
        found: dict[str, tuple[int, list[tuple[int, date, date | None]]]] = {}
        rows = (
            ServiceAgreement.objects.filter(commissioner_id=commissioner_id, person__isnull=False)
            .filter(_provider_q(provider_id))
            .values_list("person__reference", "person_id", "pk", "start_date", "end_date")
            .order_by("pk")  # "first listed" is the oldest agreement, whatever the plan
        )
        for ref, person_id, pk, start, end in rows:
            found.setdefault(ref, (person_id, []))[1].append((pk, start, end))
        return cls(commissioner_id, provider_id, found)

    def fault(self, reference: str) -> str | None:
        if reference in self.by_reference:
            return None
        if Person.objects.filter(
            commissioner_id=self.commissioner_id, reference=reference
        ).exists():
            return f"person {reference} has no agreement with your organisation"
        return f"there is no person {reference} in this council"

    def agreement_on(self, reference: str, day: date) -> int | None:
        for pk, start, end in self.by_reference[reference][1]:
            if start <= day and (end is None or day <= end):
                return pk
        return None

    def segments(self, reference: str) -> list[tuple[int, date, date | None]]:
        """``agreement_on`` as disjoint day ranges (agreement, first day, last day or None):
        where two agreements overlap, the range goes to the one ``agreement_on`` picks. So
        a bulk import finds each visit's agreement with one equi-join and a range test, at
        most one row per visit, instead of a subquery per visit."""
        agreements = self.by_reference[reference][1]
        cuts = sorted({s for _, s, _ in agreements} | {e + ONE_DAY for _, _, e in agreements if e})
        found: list[tuple[int, date, date | None]] = []
        for i, first in enumerate(cuts):
            pk = self.agreement_on(reference, first)  # the same on every day up to the next cut
            last = cuts[i + 1] - ONE_DAY if i + 1 < len(cuts) else None
            if pk is None:
                continue
            if found and found[-1][0] == pk and found[-1][2] == first - ONE_DAY:
                found[-1] = (pk, found[-1][1], last)
            else:
                found.append((pk, first, last))
        return found


def _provider_q(provider_id: int) -> Any:
    from django.db.models import Q

    return Q(provider_id=provider_id) | Q(delivering_provider_id=provider_id)


def row_faults(row: dict[str, Any], people: People) -> dict[str, str]:
    """Every fault of one visit row (column -> message): the pure checks, then the person."""
    faults = rules.visit_faults(
        row.get("check_in"),
        row.get("check_out"),
        row.get("method"),
        row.get("manual_reason"),
        row.get("planned_start"),
        row.get("planned_end"),
    )
    ref = row.get("person_ref")
    if ref and (problem := people.fault(ref)):
        faults["person_ref"] = problem
    return faults


def to_values(
    row: dict[str, Any], people: People, *, source: str, import_run: int | None
) -> tuple[Any, ...]:
    """A valid row as the values of ``COLUMNS``."""
    check_in: datetime = row["check_in"]
    check_out: datetime = row["check_out"]
    day = timezone.localtime(check_in).date() if timezone.is_aware(check_in) else check_in.date()
    return (
        people.commissioner_id,
        people.provider_id,
        people.by_reference[row["person_ref"]][0],
        people.agreement_on(row["person_ref"], day),
        source,
        row["visit_id"],
        row.get("carer_ref") or "",
        day,
        check_in,
        check_out,
        row.get("planned_start"),
        row.get("planned_end"),
        row["method"],
        row.get("manual_reason") or "",
        int((check_out - check_in).total_seconds() // 60),
        False,
        "",
        0,
        False,
        "",
        import_run,
        clock.now(),
    )


def write_visits(values: Iterable[tuple[Any, ...]]) -> int:
    """Insert visit rows, skipping any already recorded; returns how many were new."""
    if connection.vendor == "postgresql":
        return _copy_in(values)
    written = 0
    batch: list[Visit] = []
    for v in values:
        batch.append(Visit(**dict(zip(COLUMNS, v, strict=True))))
        if len(batch) >= 5000:
            written += _bulk(batch)
            batch = []
    return written + (_bulk(batch) if batch else 0)


def _bulk(batch: list[Visit]) -> int:
    before = Visit.objects.count()
    Visit.objects.bulk_create(batch, ignore_conflicts=True)
    return Visit.objects.count() - before


def _copy_in(values: Iterable[tuple[Any, ...]]) -> int:
    names = ", ".join(COLUMNS)
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS delivery_visit_staging "
            "(LIKE delivery_visit INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        cur.execute("TRUNCATE delivery_visit_staging")
        raw = cur.cursor if hasattr(cur, "cursor") else cur
        with raw.copy(f"COPY delivery_visit_staging ({names}) FROM STDIN") as copy:
            for v in values:
                copy.write_row(v)
        cur.execute(  # names are the module's own constant, never input
            f"INSERT INTO delivery_visit ({names}) SELECT {names} FROM delivery_visit_staging "  # noqa: S608  # nosec B608
            "ON CONFLICT (source, external_id, day) DO NOTHING"
        )
        written = cur.rowcount
        cur.execute("DROP TABLE delivery_visit_staging")
    return int(written)


@dataclass(frozen=True)
class Recorded:
    received: int
    written: int


def _rows_checked(
    rows: list[dict[str, Any]], people: People
) -> Iterator[tuple[int, dict[str, Any]]]:
    problems: dict[str, str] = {}
    for i, row in enumerate(rows, start=1):
        for column, message in row_faults(row, people).items():
            problems.setdefault(f"visits[{i}].{column}", message)
        yield i, row
    if problems:
        raise Invalid(problems)


@transaction.atomic
def record(*, provider_id: int, commissioner_id: int, rows: list[dict[str, Any]]) -> Recorded:
    """Visits from the API (one or a batch): all or nothing; ones already recorded are
    skipped. Verification runs for the days they fall on."""
    from caremarket.delivery.services.verification import verify_days

    if not rows:
        raise Invalid("Send at least one visit.", "visits")
    if len(rows) > 5000:
        raise Invalid(
            "Send at most 5,000 visits at a time; use the file import for more.", "visits"
        )
    people = People.load(commissioner_id, provider_id)
    checked = list(_rows_checked(rows, people))
    source = f"provider:{provider_id}"
    values = [to_values(r, people, source=source, import_run=None) for _, r in checked]
    written = write_visits(values)
    days = sorted({v[7] for v in values})
    verify_days(commissioner_id, days[0], days[-1])
    return Recorded(len(rows), written)
