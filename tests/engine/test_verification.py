"""engine.verification: matching and paid minutes, by hand and by property."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caremarket.engine import verification as v

T0 = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


def actual(key: int, agreement: int | None, late: int = 0, minutes: int = 60, **kw) -> v.Actual:  # type: ignore[no-untyped-def]
    start = T0 + timedelta(minutes=late)
    return v.Actual(key, agreement, start, start + timedelta(minutes=minutes), **kw)


RULE = v.Rule(pay="actual", tolerance_minutes=5, rounding_minutes=15, minimum_minutes=30)


@pytest.mark.parametrize(
    ("minutes", "planned", "paid"),
    [
        (62, 60, 60),  # within tolerance: planned
        (55, 60, 60),  # within tolerance (5 short): planned
        (40, 60, 45),  # short: actual, rounded to 15 (40 -> 45)
        (37, 60, 30),  # 37 -> 30 (nearest 15, half up: 37.5 would be 45)
        (90, 60, 60),  # long: capped at planned; the rest is a variation request
        (10, 60, 30),  # rounds to 15, but the minimum is 30
        (0, 60, 30),
    ],
)
def test_paid_minutes_by_hand(minutes: int, planned: int, paid: int) -> None:
    assert v.paid_minutes(RULE, minutes, planned) == paid


def test_pay_planned_pays_planned_for_a_short_visit() -> None:
    rule = v.Rule(pay="planned", tolerance_minutes=0)
    assert v.paid_minutes(rule, 20, 45) == 45


def test_unplanned_pays_rounded_actual_at_least_the_minimum() -> None:
    assert v.paid_minutes(RULE, 50, None) == 45
    assert v.paid_minutes(RULE, 5, None) == 30


def test_rounding_half_up() -> None:
    assert [v.round_minutes(m, 5) for m in (7, 8, 12, 13)] == [5, 10, 10, 15]
    assert v.round_minutes(23, 1) == 23


def test_a_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="before check-in"):
        v.actual_minutes(T0, T0 - timedelta(minutes=1))
    with pytest.raises(ValueError):
        v.paid_minutes(RULE, -1, 30)


def test_a_rule_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        v.Rule(pay="sometimes")
    with pytest.raises(ValueError):
        v.Rule(rounding_minutes=0)


def test_matching_finds_late_short_missed_and_unplanned() -> None:
    planned = [
        v.Planned(1, 10, T0, 60),
        v.Planned(2, 10, T0 + timedelta(hours=10), 30),  # nobody came: missed
        v.Planned(3, 20, T0, 45, carers=2),  # double-handed, one carer came
    ]
    visits = [
        actual(100, 10, late=40, minutes=30),  # late and short
        actual(101, 20, minutes=45, method="manual"),
        actual(102, 10, late=300, minutes=30),  # beyond the window: unplanned
        actual(103, None),  # no agreement: unmatched
    ]
    result = v.match(RULE, planned, visits)
    by = {o.actual: o for o in result.outcomes}
    assert by[100].planned == 1 and by[100].exceptions == ["late", "short"]
    assert by[101].exceptions == ["manual", "one_carer"]
    assert by[102].planned is None and by[102].exceptions == ["unplanned"]
    assert by[103].exceptions == ["unmatched"]
    assert result.missed == [2] and result.one_carer == [3]


def test_two_carers_fill_a_double_handed_visit() -> None:
    planned = [v.Planned(1, 10, T0, 60, carers=2)]
    result = v.match(RULE, planned, [actual(1, 10, carer="A"), actual(2, 10, late=2, carer="B")])
    assert [o.planned for o in result.outcomes] == [1, 1]
    assert result.one_carer == [] and all(not o.exceptions for o in result.outcomes)


def test_the_nearest_plan_wins() -> None:
    planned = [v.Planned(1, 10, T0, 30), v.Planned(2, 10, T0 + timedelta(minutes=90), 30)]
    result = v.match(RULE, planned, [actual(1, 10, late=80, minutes=30)])
    assert result.outcomes[0].planned == 2 and result.missed == [1]


def test_manual_over_cap() -> None:
    assert v.manual_over_cap([1, 2, 3, 4], 2) == [3, 4]
    assert v.manual_over_cap([1, 2], None) == []


rules_ = st.builds(
    v.Rule,
    pay=st.sampled_from(["planned", "actual"]),
    tolerance_minutes=st.integers(0, 30),
    rounding_minutes=st.sampled_from([1, 5, 15]),
    minimum_minutes=st.integers(0, 30),
)


@settings(deadline=None)  # a shared, loaded machine: time is not what is tested
@given(rules_, st.integers(0, 600), st.integers(5, 240))
def test_never_less_than_the_minimum(rule: v.Rule, minutes: int, planned: int) -> None:
    assert v.paid_minutes(rule, minutes, planned) >= rule.minimum_minutes
    assert v.paid_minutes(rule, minutes, None) >= rule.minimum_minutes


@settings(deadline=None)  # a shared, loaded machine: time is not what is tested
@given(rules_, st.integers(5, 240), st.integers(-30, 30))
def test_within_tolerance_pays_planned(rule: v.Rule, planned: int, off: int) -> None:
    minutes = max(0, planned + off)
    if abs(minutes - planned) <= rule.tolerance_minutes and planned >= rule.minimum_minutes:
        assert v.paid_minutes(rule, minutes, planned) == planned


@settings(deadline=None)  # a shared, loaded machine: time is not what is tested
@given(rules_, st.integers(0, 600), st.integers(5, 240))
def test_never_more_than_planned_or_the_minimum(rule: v.Rule, minutes: int, planned: int) -> None:
    assert v.paid_minutes(rule, minutes, planned) <= max(planned, rule.minimum_minutes)


@settings(deadline=None)  # a shared, loaded machine: time is not what is tested
@given(st.integers(0, 1000), st.sampled_from([1, 5, 15, 30]))
def test_rounding_moves_less_than_half_a_unit(minutes: int, unit: int) -> None:
    rounded = v.round_minutes(minutes, unit)
    assert rounded % unit == 0 and abs(rounded - minutes) * 2 <= unit


def test_a_visit_near_midnight_belongs_to_the_day_of_its_nearest_plan() -> None:
    from datetime import date

    mon, tue = date(2026, 10, 5), date(2026, 10, 6)
    evening, night = datetime(2026, 10, 5, 23, 50), datetime(2026, 10, 6, 0, 40)
    plans = [(mon, evening), (tue, night)]
    assert v.care_day(datetime(2026, 10, 6, 0, 10), tue, plans, 120) == mon  # 20 min v 30
    assert v.care_day(datetime(2026, 10, 6, 0, 30), tue, plans, 120) == tue  # 40 min v 10
    assert v.care_day(datetime(2026, 10, 6, 0, 15), tue, plans, 120) == mon  # a tie: earlier
    assert v.care_day(datetime(2026, 10, 6, 3, 0), tue, plans, 60) == tue  # none in window
    assert v.care_day(datetime(2026, 10, 6, 0, 10), tue, [], 120) == tue
