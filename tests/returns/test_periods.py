"""Which dates a quarter's return covers (caremarket.returns.periods): rolling 12 months
ending with the quarter, calendar or financial quarters, and clear refusals."""

from __future__ import annotations

from datetime import date

import pytest

from caremarket.returns import periods

pytestmark = pytest.mark.unit


def test_a_calendar_quarter_covers_the_twelve_months_ending_with_it() -> None:
    period = periods.parse("2026Q3")
    assert (period.start, period.end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert period.quarter_start == date(2026, 7, 1)


def test_a_financial_quarter_one_is_april_to_june() -> None:
    period = periods.parse("2026q1", style="financial")
    assert (period.quarter_start, period.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period.start == date(2025, 7, 1)
    assert periods.parse("2026Q4", style="financial").end == date(2027, 3, 31)


def test_a_quarter_alone_when_the_period_is_three_months() -> None:
    period = periods.parse("2026Q1", months=3)
    assert (period.start, period.end) == (date(2026, 1, 1), date(2026, 3, 31))


@pytest.mark.parametrize("text", ["2026Q5", "Q3 2026", "2026-07", ""])
def test_what_is_not_a_quarter_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="2026Q3"):
        periods.parse(text)


def test_a_bad_setting_is_named() -> None:
    with pytest.raises(ValueError, match="CLD_QUARTERS"):
        periods.parse("2026Q3", style="academic")
    with pytest.raises(ValueError, match="CLD_REPORTING_MONTHS"):
        periods.parse("2026Q3", months=7)


def test_an_event_open_at_any_time_in_the_period_is_covered() -> None:
    period = periods.parse("2026Q3")
    assert period.covers(date(2024, 1, 1), None)
    assert period.covers(date(2024, 1, 1), date(2025, 10, 1))
    assert not period.covers(date(2024, 1, 1), date(2025, 9, 30))
    assert not period.covers(date(2026, 10, 1), None)


def test_recent_quarters_newest_first_in_either_style() -> None:
    assert periods.recent(date(2026, 12, 3), count=3) == ["2026Q4", "2026Q3", "2026Q2"]
    assert periods.quarter_of(date(2027, 2, 1), style="financial") == "2026Q4"
    assert periods.quarter_of(date(2026, 4, 1), style="financial") == "2026Q1"
