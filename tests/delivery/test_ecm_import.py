"""The ECM visits file through caremarket.core.imports: all or nothing, faults by line and
column, the same file twice changes nothing, large files in the background."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import override_settings

from caremarket.core import imports
from caremarket.core.models import ImportRun
from caremarket.delivery.models import Visit
from caremarket.delivery.services import planning
from tests.delivery import factories as d

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)
HEADER = [
    "visit_id",
    "person_ref",
    "carer_ref",
    "planned_start",
    "planned_end",
    "check_in",
    "check_out",
    "method",
    "manual_reason",
]


@pytest.fixture(autouse=True)
def _imports_dir(tmp_path: Path):  # type: ignore[no-untyped-def]
    with override_settings(IMPORTS_DIR=tmp_path / "imports"):
        yield


def _file(tmp_path: Path, rows: list[list[str]], name: str = "ecm.csv") -> Path:
    path = tmp_path / name
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _row(
    ref: str,
    vid: str,
    day: int = 0,
    start: str = "08:00",
    end: str = "09:00",
    method: str = "telephony",
    reason: str = "",
) -> list[str]:
    day_ = MONDAY + timedelta(days=day)
    return [vid, ref, "CW1", "", "", f"{day_}T{start}", f"{day_}T{end}", method, reason]


@pytest.fixture
def agreement():  # type: ignore[no-untyped-def]
    a = d.agreement(start=MONDAY)
    d.daily_pattern(a)
    d.rule(a.commissioner)
    planning.plan(a.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    return a


def _start(a, path: Path, **kw):  # type: ignore[no-untyped-def]
    return imports.start(
        "ecm-visits",
        path,
        owner=imports.owner_key(provider_id=a.provider_id),
        options={"provider_id": a.provider_id, "commissioner_id": a.commissioner_id},
        **kw,
    )


def test_a_good_file_is_imported_matched_and_verified(agreement, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = agreement.person.reference
    rows = [
        _row(ref, "E1"),
        _row(ref, "E2", 1, "08:50", "09:20"),
        _row(ref, "E3", 2, method="manual"),
    ]
    run = _start(agreement, _file(tmp_path, rows))
    assert run.status == ImportRun.Status.SUCCEEDED and run.rows_written == 3
    late = Visit.objects.get(external_id="E2")
    assert late.exceptions == "late,short" and late.planned is not None
    manual = Visit.objects.get(external_id="E3")
    assert manual.held and manual.hold_reason == "manual log-in without a reason"


def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_saved(
    agreement, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    other = d.agreement(commissioner=agreement.commissioner)
    ref = agreement.person.reference
    rows = [
        _row(ref, "G1"),
        _row(ref, "B1", start="09:00", end="08:00"),  # check-out before check-in
        _row(other.person.reference, "B2"),  # another provider's person
        _row(ref, "B3", method="pigeon"),
        _row("NOBODY", "B4"),
    ]
    run = _start(agreement, _file(tmp_path, rows))
    assert run.status == ImportRun.Status.FAILED
    faults = {(e["line"], e["column"]) for e in run.errors}
    assert faults == {(3, "check_out"), (4, "person_ref"), (5, "method"), (6, "person_ref")}
    assert "no agreement with your organisation" in next(
        e["message"] for e in run.errors if e["line"] == 4
    )
    assert not Visit.objects.exists()


def test_the_same_file_twice_changes_nothing(agreement, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _file(tmp_path, [_row(agreement.person.reference, "R1")])
    first = _start(agreement, path)
    again = _start(agreement, path)
    assert again.pk == first.pk and again.repeat
    assert Visit.objects.count() == 1


def test_a_visit_sent_again_in_another_file_is_skipped(agreement, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = agreement.person.reference
    _start(agreement, _file(tmp_path, [_row(ref, "S1")], "a.csv"))
    second = _start(agreement, _file(tmp_path, [_row(ref, "S1"), _row(ref, "S2", 1)], "b.csv"))
    assert second.rows_written == 1 and Visit.objects.count() == 2


def test_a_large_file_waits_for_the_worker(agreement, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = agreement.person.reference
    run = _start(
        agreement, _file(tmp_path, [_row(ref, f"Q{i}", i % 7) for i in range(7)]), inline=False
    )
    assert run.status == ImportRun.Status.QUEUED and not Visit.objects.exists()
    assert imports.process_queued() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and Visit.objects.count() == 7


def test_a_visit_across_midnight_is_its_plans_days_and_paid_once(tmp_path: Path) -> None:
    from datetime import time

    from caremarket.delivery.services import payruns

    late = d.agreement(start=MONDAY)
    d.daily_pattern(late, at=time(23, 30), minutes=60)
    d.rule(late.commissioner)
    planning.plan(late.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    ref, tuesday = late.person.reference, MONDAY + timedelta(days=1)
    rows = [
        ["N1", ref, "CW1", "", "", f"{MONDAY}T23:30", f"{tuesday}T00:30", "telephony", ""],
        [
            "N2",
            ref,
            "CW1",
            "",
            "",
            f"{tuesday}T23:31",
            f"{MONDAY + timedelta(2)}T00:30",
            "app_gps",
            "",
        ],
    ]
    run = _start(late, _file(tmp_path, rows))
    assert run.status == ImportRun.Status.SUCCEEDED
    first, second = Visit.objects.get(external_id="N1"), Visit.objects.get(external_id="N2")
    assert (first.day, first.planned.day, first.exceptions) == (MONDAY, MONDAY, "")
    assert (second.day, second.planned.day, second.paid_minutes) == (tuesday, tuesday, 60)
    pay = payruns.build(payruns.open_run(late.commissioner_id, by=None, period_start=MONDAY).pk)
    line = pay.lines.get(held=False)
    assert (line.visits, line.minutes) == (2, 120)


def test_a_carer_checking_in_after_midnight_evidences_the_late_evening_plan(
    tmp_path: Path,
) -> None:
    from datetime import time

    late = d.agreement(start=MONDAY)
    d.daily_pattern(late, at=time(23, 40), minutes=60)
    d.rule(late.commissioner)
    planning.plan(late.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    ref, tuesday = late.person.reference, MONDAY + timedelta(days=1)
    rows = [["M1", ref, "CW1", "", "", f"{tuesday}T00:05", f"{tuesday}T01:00", "telephony", ""]]
    run = _start(late, _file(tmp_path, rows))
    assert run.status == ImportRun.Status.SUCCEEDED
    visit = Visit.objects.get(external_id="M1")
    assert (visit.day, visit.planned.day) == (tuesday, MONDAY)
    assert (visit.exceptions, visit.held, visit.paid_minutes) == ("", False, 60)
    monday_plan, tuesday_plan = (late.planned_visits.get(day=day) for day in (MONDAY, tuesday))
    assert (monday_plan.missed, monday_plan.carers_arrived) == (False, 1)
    assert tuesday_plan.missed and tuesday_plan.carers_arrived == 0


def test_a_carer_checking_in_before_midnight_evidences_the_next_days_plan(
    tmp_path: Path,
) -> None:
    from datetime import time

    night = d.agreement(start=MONDAY)
    d.daily_pattern(night, at=time(0, 5), minutes=30)
    d.rule(night.commissioner)
    planning.plan(night.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    ref, tuesday = night.person.reference, MONDAY + timedelta(days=1)
    rows = [
        ["E1", ref, "CW1", "", "", f"{MONDAY}T00:05", f"{MONDAY}T00:35", "telephony", ""],
        ["E2", ref, "CW1", "", "", f"{MONDAY}T23:58", f"{tuesday}T00:30", "app_gps", ""],
    ]
    run = _start(night, _file(tmp_path, rows))
    assert run.status == ImportRun.Status.SUCCEEDED
    first, second = Visit.objects.get(external_id="E1"), Visit.objects.get(external_id="E2")
    assert (first.planned.day, second.day, second.planned.day) == (MONDAY, MONDAY, tuesday)
    assert not first.held and not second.held and second.exceptions == ""
    assert not night.planned_visits.get(day=tuesday).missed


def test_a_visit_near_midnight_is_matched_across_two_files(tmp_path: Path) -> None:
    from datetime import time

    night = d.agreement(start=MONDAY)
    d.daily_pattern(night, at=time(0, 5), minutes=30)
    d.daily_pattern(night, at=time(9, 0), minutes=30)
    d.rule(night.commissioner)
    planning.plan(night.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    ref, tuesday = night.person.reference, MONDAY + timedelta(days=1)
    monday_file = [
        ["A1", ref, "CW1", "", "", f"{MONDAY}T00:05", f"{MONDAY}T00:35", "telephony", ""],
        ["A2", ref, "CW1", "", "", f"{MONDAY}T09:00", f"{MONDAY}T09:30", "telephony", ""],
        ["A3", ref, "CW1", "", "", f"{MONDAY}T23:57", f"{tuesday}T00:27", "telephony", ""],
    ]
    tuesday_file = [
        ["B1", ref, "CW1", "", "", f"{tuesday}T09:02", f"{tuesday}T09:30", "telephony", ""],
    ]
    assert _start(night, _file(tmp_path, monday_file, "mon.csv")).status == "succeeded"
    assert _start(night, _file(tmp_path, tuesday_file, "tue.csv")).status == "succeeded"
    from django.utils import timezone

    planned = {v.external_id: v.planned for v in Visit.objects.select_related("planned")}
    at = {k: (p.day, timezone.localtime(p.start).hour) for k, p in planned.items()}
    assert at["A3"] == (tuesday, 0) and at["B1"] == (tuesday, 9)  # Tuesday's 00:05 and 09:00
    assert not night.planned_visits.filter(day__lte=tuesday, missed=True).exists()
    assert not Visit.objects.filter(held=True).exists()
