"""Planned visits from patterns: re-planned from a variation's date, stopped by suspensions
and by the agreement's end; generating twice adds nothing."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from caremarket.core.errors import Invalid
from caremarket.delivery.models import PlannedVisit, VisitPattern
from caremarket.delivery.services import planning
from tests.delivery import factories as d

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)
WEEK2 = MONDAY + timedelta(days=7)


def test_plan_is_idempotent_and_follows_the_pattern() -> None:
    a = d.agreement(start=MONDAY)
    d.daily_pattern(a, minutes=45, carers=2)
    assert planning.plan(a.commissioner_id, MONDAY, MONDAY + timedelta(days=13)) == 14
    assert planning.plan(a.commissioner_id, MONDAY, MONDAY + timedelta(days=13)) == 0
    assert set(PlannedVisit.objects.values_list("minutes", "carers")) == {(45, 2)}


def test_replanned_from_a_date_keeps_the_weeks_before() -> None:
    a = d.agreement(start=MONDAY)
    d.daily_pattern(a, minutes=60)
    planning.set_pattern(
        a.pk,
        by=None,
        effective_from=WEEK2,
        slots=[{"weekday": 0, "start_time": time(9, 0), "minutes": 30}],
    )
    planning.plan(a.commissioner_id, MONDAY, WEEK2 + timedelta(days=6))
    week1 = PlannedVisit.objects.filter(day__lt=WEEK2)
    week2 = PlannedVisit.objects.filter(day__gte=WEEK2)
    assert week1.count() == 7 and set(week1.values_list("minutes", flat=True)) == {60}
    assert list(week2.values_list("minutes", flat=True)) == [30]
    assert VisitPattern.objects.filter(effective_to=WEEK2 - timedelta(days=1)).count() == 7


def test_a_hospital_stay_and_the_end_stop_visits() -> None:
    a = d.agreement(start=MONDAY)
    d.daily_pattern(a)
    planning.suspend(
        a.pk,
        by=None,
        start_date=MONDAY + timedelta(days=2),
        end_date=MONDAY + timedelta(days=4),
        reason="In hospital",
    )
    a.end_date, a.end_reason = WEEK2 + timedelta(days=1), "needs_met"
    a.save()
    assert planning.plan(a.commissioner_id, MONDAY, WEEK2 + timedelta(days=6)) == 4 + 2


def test_a_pattern_refuses_nonsense() -> None:
    a = d.agreement(start=MONDAY)
    with pytest.raises(Invalid, match="5 to 720 minutes"):
        planning.set_pattern(
            a.pk,
            by=None,
            effective_from=MONDAY,
            slots=[{"weekday": 1, "start_time": time(8), "minutes": -30}],
        )
    with pytest.raises(Invalid, match="ends on or after"):
        planning.suspend(a.pk, by=None, start_date=WEEK2, end_date=MONDAY, reason="x")
    assert not VisitPattern.objects.exists()


def test_plans_over_a_clock_change_start_where_python_puts_them() -> None:
    from datetime import UTC, datetime

    from django.utils import timezone

    a = d.agreement(start=MONDAY)
    d.daily_pattern(a, at=time(1, 30), minutes=30)  # 01:30 happens twice on 25 October
    d.daily_pattern(a, at=time(8, 0), minutes=30)
    sunday = date(2026, 10, 25)
    assert planning.plan(a.commissioner_id, sunday - timedelta(1), sunday + timedelta(1)) == 6
    zone = timezone.get_current_timezone()
    starts = set(PlannedVisit.objects.values_list("start", flat=True))
    assert starts == {  # in UTC: an aware time in the repeated hour never equals another zone's
        datetime.combine(sunday + timedelta(n), t, tzinfo=zone).astimezone(UTC)
        for n in (-1, 0, 1)
        for t in (time(1, 30), time(8, 0))
    }
    assert planning.plan(a.commissioner_id, sunday - timedelta(1), sunday + timedelta(1)) == 0


def test_a_period_planned_from_the_same_inputs_is_not_planned_again() -> None:
    from caremarket.delivery.models import PlannedPeriod

    a = d.agreement(start=MONDAY)
    d.daily_pattern(a)
    end = MONDAY + timedelta(days=6)
    assert planning.plan(a.commissioner_id, MONDAY, end) == 7
    PlannedVisit.objects.filter(day=MONDAY).delete()  # a probe: skipped, it stays gone
    assert planning.plan(a.commissioner_id, MONDAY, end) == 0
    assert planning.plan(a.commissioner_id, MONDAY + timedelta(days=1), end) == 0  # inside
    assert PlannedVisit.objects.count() == 6
    other = d.agreement(start=MONDAY, commissioner=a.commissioner)  # new patterns: new input
    d.daily_pattern(other, at=time(9))
    assert planning.plan(a.commissioner_id, MONDAY, end) == 1 + 7
    assert PlannedPeriod.objects.filter(commissioner_id=a.commissioner_id).count() == 1


def _change(row: object, field: str) -> None:
    value = getattr(row, field)
    if field == "start_time":
        value = time(value.hour + 1)
    elif field in ("weekday", "minutes", "carers"):
        value += 1
    elif field in ("person_id", "delivering_provider_id"):
        from tests import factories as f

        value = (f.person(f.zone()) if field == "person_id" else f.provider()).pk
    else:
        value = (value or MONDAY + timedelta(days=20)) + timedelta(days=1)
    also = {"end_reason": "needs_met"} if field == "end_date" and hasattr(row, "end_reason") else {}
    type(row).objects.filter(pk=row.pk).update(**{field: value}, **also)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (kind, field)
        for kind, (_rows, _owner, columns) in planning._INPUTS.items()
        for field in columns
        if field not in ("id", "agreement_id")
    ],
)
def test_every_input_of_the_plans_changes_their_digest(kind: str, field: str) -> None:
    a = d.agreement(start=MONDAY)
    pattern = d.daily_pattern(a)[0]
    suspension = planning.suspend(
        a.pk, by=None, start_date=WEEK2, end_date=WEEK2 + timedelta(days=1), reason="Hospital"
    )
    before = planning.inputs(a.commissioner_id)
    _change({"pattern": pattern, "suspension": suspension, "agreement": a}[kind], field)
    assert planning.inputs(a.commissioner_id) != before
