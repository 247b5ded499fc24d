"""The sensible windows for dates and prices (``brokerage.rules``), with no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caremarket.brokerage import rules

TODAY = date(2026, 12, 2)


def test_a_start_date_is_from_today_to_a_year_ahead() -> None:
    assert rules.start_date_error(TODAY, TODAY) == ""
    assert rules.start_date_error(date(2027, 12, 2), TODAY) == ""
    assert "past" in rules.start_date_error(date(2026, 12, 1), TODAY)
    assert "2 December 2027" in rules.start_date_error(date(2099, 1, 1), TODAY)
    assert rules.start_date_error(date(9999, 12, 31), TODAY)


def test_a_date_of_birth_gives_an_age_from_16_to_120() -> None:
    assert rules.age_on(date(1944, 12, 3), TODAY) == 81
    assert rules.age_on(date(1944, 12, 2), TODAY) == 82
    assert rules.date_of_birth_error(date(1944, 3, 31), TODAY) == ""
    assert "older than 120" in rules.date_of_birth_error(date(1900, 1, 1), TODAY)
    assert rules.date_of_birth_error(date(1906, 12, 2), TODAY) == ""  # 120 today
    assert "16 and over" in rules.date_of_birth_error(date(2015, 1, 1), TODAY)
    assert "past" in rules.date_of_birth_error(TODAY, TODAY)


def test_bids_close_after_today_and_within_six_months() -> None:
    assert "after today" in rules.deadline_error(TODAY, TODAY)
    assert rules.deadline_error(date(2026, 12, 3), TODAY) == ""
    assert rules.deadline_error(date(2027, 5, 31), TODAY) == ""
    assert "within 180 days" in rules.deadline_error(date(2099, 1, 1), TODAY)


def test_a_bid_under_the_share_of_the_cap_is_abnormally_low() -> None:
    cap = Decimal("1960.00")
    assert rules.abnormally_low(Decimal("0.01"), cap, Decimal("0.5"))
    assert not rules.abnormally_low(Decimal("980.00"), cap, Decimal("0.5"))
    assert not rules.abnormally_low(Decimal("0.01"), None, Decimal("0.5"))


def test_a_daily_visit_pattern_gives_its_hours_a_week() -> None:
    assert rules.pattern_hours(4, 60) == Decimal("28")
    assert rules.pattern_hours(2, 45) == Decimal("10.5")
    assert rules.pattern_hours(3, 20) == Decimal("7")
