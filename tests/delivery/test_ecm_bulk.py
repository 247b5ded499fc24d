"""The bulk ECM path (PostgreSQL): the same verdicts as the Python rules, on every exception,
and a hand-back to the generic passes whenever it cannot vouch for a file."""

from __future__ import annotations

import csv
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from caremarket.core import imports
from caremarket.core.models import ImportRun
from caremarket.delivery.models import PlannedVisit, Visit
from caremarket.delivery.services import ecm_bulk, planning, verification
from caremarket.delivery.services.recording import People
from tests.delivery import factories as d

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)
HEADER = ["visit_id", "person_ref", "carer_ref", "planned_start", "planned_end"]
HEADER += ["check_in", "check_out", "method", "manual_reason"]
VERDICT = ("external_id", "planned_id", "exceptions", "paid_minutes", "rate", "held")
VERDICT += ("hold_reason", "verified", "agreement_id")
needs_pg = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bulk path is PostgreSQL's"
)


@pytest.fixture(autouse=True)
def _imports_dir(tmp_path: Path):  # type: ignore[no-untyped-def]
    with override_settings(IMPORTS_DIR=tmp_path / "imports"):
        yield


def _file(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "ecm.csv"
    with open(path, "w", newline="") as out:
        csv.writer(out).writerows([HEADER, *rows])
    return path


def _row(ref: str, vid: str, day: int, start: str, end: str, **kw: str) -> list[str]:
    on = MONDAY + timedelta(days=day)
    method, reason = kw.get("method", "telephony"), kw.get("reason", "")
    return [
        vid,
        ref,
        kw.get("carer", "CW1"),
        "",
        "",
        f"{on}T{start}",
        f"{on}T{end}",
        method,
        reason,
    ]


@pytest.fixture
def market():  # type: ignore[no-untyped-def]
    single = d.agreement(start=MONDAY)
    d.daily_pattern(single)
    for extra in d.daily_pattern(single, at=time(9, 30), minutes=30)[1:]:
        extra.delete()  # Monday only: two plans in one window
    double = d.agreement(provider=single.provider, commissioner=single.commissioner)
    d.daily_pattern(double, carers=2)
    later = d.agreement(
        provider=single.provider, commissioner=single.commissioner, start=MONDAY + timedelta(3)
    )
    d.daily_pattern(later)
    d.rule(single.commissioner, rounding_minutes=5, minimum_minutes=15)
    planning.plan(single.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    return single, double, later


def _rows(single, double, later) -> list[list[str]]:  # type: ignore[no-untyped-def]
    a, b, c = single.person.reference, double.person.reference, later.person.reference
    return [
        _row(a, "OK", 0, "08:02", "09:01"),
        _row(a, "TWO", 0, "09:10", "09:40"),  # 8:00 and 9:30 both in the window
        _row(a, "LATE-SHORT", 1, "08:50", "09:20"),
        _row(a, "LONG", 2, "08:00", "09:40"),
        _row(a, "MANUAL", 3, "08:00", "09:00", method="MANUAL"),
        _row(a, "MANUAL-WHY", 4, "08:00", "08:58", method="manual", reason="No signal"),
        _row(a, "UNPLANNED", 5, "15:00", "15:20"),
        _row(b, "ONE-CARER", 0, "08:00", "09:00"),
        _row(b, "BOTH-1", 1, "08:00", "09:00", carer="CW1"),
        _row(b, "BOTH-2", 1, "08:01", "09:00", carer="CW2"),
        _row(c, "UNMATCHED", 0, "08:00", "09:00"),
        _row(c, "AFTER-START", 4, "08:00", "08:40"),
    ]


def _snapshot(commissioner_id: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    visits = Visit.objects.filter(commissioner_id=commissioner_id).order_by("external_id")
    plans = PlannedVisit.objects.filter(commissioner_id=commissioner_id).order_by("pk")
    return (
        list(visits.values_list(*VERDICT)),
        list(plans.values_list("pk", "missed", "carers_arrived")),
    )


@needs_pg
def test_bulk_verdicts_are_the_python_rules_verdicts(market, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    single = market[0]
    path = _file(tmp_path, _rows(*market))
    people = People.load(single.commissioner_id, single.provider_id)
    done = ecm_bulk.import_file(str(path), 12, people, import_run=1)
    assert done == (12, 12)
    bulk = _snapshot(single.commissioner_id)
    verification.verify_days(single.commissioner_id, MONDAY, MONDAY + timedelta(days=5))
    assert _snapshot(single.commissioner_id) == bulk
    got = {row[0]: row[2] for row in bulk[0]}
    assert got["LATE-SHORT"] == "late,short" and got["LONG"] == "long"
    assert got["MANUAL"] == "manual" and got["UNPLANNED"] == "unplanned"
    assert got["ONE-CARER"] == "one_carer" and got["UNMATCHED"] == "unmatched"
    held = {row[0]: row[6] for row in bulk[0] if row[5]}
    assert held == {
        "MANUAL": verification.HOLD_NO_REASON,
        "UNPLANNED": verification.HOLD_UNPLANNED,
        "UNMATCHED": verification.HOLD_UNMATCHED,
    }
    assert PlannedVisit.objects.filter(commissioner_id=single.commissioner_id, missed=True).exists()


@needs_pg
@pytest.mark.parametrize(
    "cell",
    [
        "05/10/2026 08:00",
        " 2026-10-05T08:00",
        "2026-10-05T24:00",
        "2026-10-05T08:00+02:00",
        "2026-10-25T01:30",
    ],
)
def test_a_time_the_sql_might_read_otherwise_goes_the_python_way(market, tmp_path, cell) -> None:  # type: ignore[no-untyped-def]
    row = _row(market[0].person.reference, "X", 0, "08:00", "09:00")
    row[5] = cell
    people = People.load(market[0].commissioner_id, market[0].provider_id)
    assert ecm_bulk.import_file(str(_file(tmp_path, [row])), 1, people, import_run=1) is None
    assert not Visit.objects.exists()


@needs_pg
def test_a_file_with_a_fault_is_reported_by_the_generic_passes(market, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(*market)
    rows[3][6] = rows[3][5][:11] + "07:00"  # check-out before check-in, line 5
    a = market[0]
    run = imports.start(
        "ecm-visits",
        _file(tmp_path, rows),
        owner=imports.owner_key(provider_id=a.provider_id),
        options={"provider_id": a.provider_id, "commissioner_id": a.commissioner_id},
    )
    assert run.status == ImportRun.Status.FAILED
    assert [(e["line"], e["column"]) for e in run.errors] == [(5, "check_out")]
    assert not Visit.objects.exists()


def test_elsewhere_the_bulk_path_hands_back(market, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    people = People.load(market[0].commissioner_id, market[0].provider_id)
    done = ecm_bulk.import_file(str(_file(tmp_path, _rows(*market))), 12, people, import_run=1)
    assert (done is None) == (connection.vendor != "postgresql")


@needs_pg
def test_a_line_copy_cannot_read_goes_the_python_way_and_is_imported(market, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = market[0]
    path = _file(tmp_path, [[*_row(a.person.reference, "EXTRA", 0, "08:00", "09:00"), "x"]])
    people = People.load(a.commissioner_id, a.provider_id)
    assert ecm_bulk.import_file(str(path), 1, people, import_run=1) is None
    run = imports.start(
        "ecm-visits",
        path,
        owner=imports.owner_key(provider_id=a.provider_id),
        options={"provider_id": a.provider_id, "commissioner_id": a.commissioner_id},
    )
    assert run.status == ImportRun.Status.SUCCEEDED and Visit.objects.get().external_id == "EXTRA"


@needs_pg
def test_visits_near_midnight_are_matched_in_sql_as_in_python(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    evening = d.agreement(start=MONDAY)
    d.daily_pattern(evening, at=time(23, 40), minutes=60)
    night = d.agreement(provider=evening.provider, commissioner=evening.commissioner)
    d.daily_pattern(night, at=time(0, 5), minutes=30)
    d.rule(evening.commissioner)
    planning.plan(evening.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    e, n = evening.person.reference, night.person.reference
    rows = [
        _row(e, "SAME-DAY", 0, "23:41", "23:59"),
        _row(e, "AFTER-MIDNIGHT", 2, "00:10", "01:00"),  # Tuesday's 23:40
        _row(n, "NIGHT", 1, "00:06", "00:36"),
        _row(n, "BEFORE-MIDNIGHT", 1, "23:58", "23:59"),  # Wednesday's 00:05
        _row(n, "LAST", 3, "00:05", "00:35"),
    ]
    path = _file(tmp_path, rows)
    people = People.load(evening.commissioner_id, evening.provider_id)

    def python_way(*args: Any, **kw: Any) -> None:
        raise AssertionError("the file went the Python way")

    monkeypatch.setattr(verification, "verify_days", python_way)
    assert ecm_bulk.import_file(str(path), len(rows), people, import_run=1) == (5, 5)
    monkeypatch.undo()
    bulk = _snapshot(evening.commissioner_id)
    tuesday, wednesday = MONDAY + timedelta(1), MONDAY + timedelta(2)
    planned_day = {v.external_id: v.planned.day for v in Visit.objects.select_related("planned")}
    assert planned_day == {
        "SAME-DAY": MONDAY,
        "AFTER-MIDNIGHT": tuesday,
        "NIGHT": tuesday,
        "BEFORE-MIDNIGHT": wednesday,
        "LAST": MONDAY + timedelta(3),
    }
    verification.verify_days(evening.commissioner_id, MONDAY, MONDAY + timedelta(days=3))
    assert _snapshot(evening.commissioner_id) == bulk


@needs_pg
def test_the_bulk_path_reports_each_stage_as_it_goes(market, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    single = market[0]
    rows = _rows(*market)
    people = People.load(single.commissioner_id, single.provider_id)
    heard: list[tuple[str, int | None, str]] = []

    def progress(*, stage: str, rows_checked: int | None = None, status: str = "") -> None:
        heard.append((stage, rows_checked, status))

    done = ecm_bulk.import_file(
        str(_file(tmp_path, rows)), len(rows), people, import_run=1, progress=progress
    )
    assert done == (12, 12)
    assert [h[0] for h in heard if h[0] != "Reading the file"] == [
        "Checking every row",
        "Matching visits to their plans",
        "Writing the visits with their verdicts",
    ]
    assert ("Checking every row", 12, "") in heard
    assert ("Matching visits to their plans", None, "writing") in heard


@needs_pg
def test_a_large_file_leaves_statistics_for_the_months_it_wrote(
    market, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ecm_bulk, "ANALYZE_AFTER", 1)  # as if the file were large
    single = market[0]
    people = People.load(single.commissioner_id, single.provider_id)
    assert ecm_bulk.import_file(str(_file(tmp_path, _rows(*market))), 12, people, import_run=1)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.reltuples, (SELECT count(*) FROM delivery_visit_2026_10) "
            "FROM pg_class c WHERE c.relname = 'delivery_visit_2026_10'"
        )
        estimated, actual = cur.fetchone()
    assert actual >= 12 and estimated == actual  # analysed in the import's transaction


@needs_pg
def test_a_file_with_night_calls_at_its_edges_stays_in_sql_but_for_its_edge_days(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The file's first visit, just after midnight, evidences Sunday's 23:40 plan (outside
    the file); a visit recorded earlier, just after Thursday's midnight, evidences the file's
    last plan (Wednesday 23:40). Only those two edge days are verified again in Python, and
    every verdict and plan is what the Python rules give for the whole span."""
    sunday = MONDAY - timedelta(days=1)
    evening = d.agreement(start=sunday)
    d.daily_pattern(evening, at=time(23, 40), minutes=30)
    d.rule(evening.commissioner)
    planning.plan(evening.commissioner_id, sunday, MONDAY + timedelta(days=6))
    ref = evening.person.reference
    earlier = _row(ref, "EARLIER", 3, "00:05", "00:35")  # Thursday, for Wednesday 23:40
    assert ecm_bulk.import_file(
        str(_file(tmp_path, [earlier])),
        1,
        People.load(evening.commissioner_id, evening.provider_id),
        import_run=1,
    ) == (1, 1)
    rows = [
        _row(ref, "FIRST", 0, "00:10", "00:40"),  # Monday, for Sunday's 23:40
        _row(ref, "MON", 0, "23:41", "23:59"),
        _row(ref, "TUE", 1, "23:42", "23:59"),
    ]
    rows.append(_row(ref, "WED-EARLY", 2, "08:00", "08:30"))  # unplanned, far from 23:40
    verified: list[tuple[date, date]] = []
    real = verification.verify_days

    def spy(commissioner_id: int, start: date, end: date, **kw: Any) -> int:
        verified.append((start, end))
        return real(commissioner_id, start, end, **kw)

    monkeypatch.setattr(verification, "verify_days", spy)
    people = People.load(evening.commissioner_id, evening.provider_id)
    path = tmp_path / "night.csv"
    _file(tmp_path, rows).rename(path)
    assert ecm_bulk.import_file(str(path), len(rows), people, import_run=2) == (4, 4)
    assert verified == [(MONDAY, MONDAY), (MONDAY + timedelta(2), MONDAY + timedelta(2))]
    monkeypatch.undo()
    got = _snapshot(evening.commissioner_id)
    planned_day = {v.external_id: v.planned and v.planned.day for v in Visit.objects.all()}
    assert planned_day["FIRST"] == sunday and planned_day["EARLIER"] == MONDAY + timedelta(2)
    verification.verify_days(evening.commissioner_id, sunday, MONDAY + timedelta(days=3))
    assert _snapshot(evening.commissioner_id) == got


@needs_pg
@pytest.mark.parametrize(
    ("sunday", "rows"),
    [
        (  # 01:00-02:00 happens twice on 25 October 2026: Python takes the first (BST)
            date(2026, 10, 25),
            [
                ("BEFORE", -1, "01:32", "02:00"),
                ("REPEATED", 0, "01:35", "02:05"),  # 01:35 BST to 02:05 GMT: 90 minutes
                ("AFTER", 1, "01:31", "02:01"),
            ],
        ),
        (  # 01:00-02:00 does not happen on 29 March 2026: Python reads it as GMT
            date(2026, 3, 29),
            [
                ("BEFORE", -1, "01:32", "02:00"),
                ("MISSING", 0, "01:40", "03:10"),  # 01:40 GMT to 03:10 BST: 30 minutes
                ("AFTER", 1, "01:31", "02:01"),
            ],
        ),
    ],
)
def test_times_near_a_clock_change_are_read_as_python_reads_them(
    sunday, rows, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The file stays on the bulk path (before, it went the Python way whole), and its
    visits, verdicts and plans are what the row-by-row path makes of the same cells."""
    from caremarket.delivery.services.ecm_times import moment

    a = d.agreement(start=sunday - timedelta(days=3))
    d.daily_pattern(a, at=time(1, 30), minutes=30)
    d.rule(a.commissioner)
    planning.plan(a.commissioner_id, sunday - timedelta(days=3), sunday + timedelta(days=3))
    ref = a.person.reference
    cells = [
        [vid, ref, "CW1", "", "", f"{sunday + timedelta(days=n)}T{i}",
         f"{sunday + timedelta(days=n)}T{o}", "telephony", ""]
        for vid, n, i, o in rows
    ]  # fmt: skip
    path = _file(tmp_path, cells)

    def python_way(*args: Any, **kw: Any) -> None:
        raise AssertionError("the file went the Python way")

    monkeypatch.setattr(verification, "verify_days", python_way)
    people = People.load(a.commissioner_id, a.provider_id)
    assert ecm_bulk.import_file(str(path), len(rows), people, import_run=1) == (3, 3)
    monkeypatch.undo()
    for row in cells:
        visit = Visit.objects.get(external_id=row[0])
        # (compared as instants: PEP 495 makes a repeated or missing time unequal to any
        # time of another zone)
        stored = (visit.check_in.timestamp(), visit.check_out.timestamp())
        assert stored == (moment(row[5]).timestamp(), moment(row[6]).timestamp())
    minutes = dict(Visit.objects.values_list("external_id", "minutes"))
    assert minutes == {"BEFORE": 28, rows[1][0]: 90 if sunday.month == 10 else 30, "AFTER": 30}
    bulk = _snapshot(a.commissioner_id)
    verification.verify_days(a.commissioner_id, sunday - timedelta(1), sunday + timedelta(1))
    assert _snapshot(a.commissioner_id) == bulk  # the Python rules over the file's days
