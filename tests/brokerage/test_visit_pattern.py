"""Hours a week against a daily visit pattern (``brokerage.visit_pattern``, pure): they agree
when the hours are between one day's visits and seven days'."""

from __future__ import annotations

from decimal import Decimal

import pytest

from caremarket.brokerage import visit_pattern
from caremarket.demo.replay import fit_pattern

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("hours", "calls", "minutes"),
    [("28", 4, 60), ("4", 4, 60), ("10", 2, 45), ("10.5", 2, 45), ("1.5", 2, 45), ("7", 2, 30)],
)
def test_hours_within_one_to_seven_days_of_the_pattern_agree(hours, calls, minutes) -> None:  # type: ignore[no-untyped-def]
    assert visit_pattern.contradiction(Decimal(hours), calls, minutes) == ""


def test_four_calls_of_an_hour_are_not_one_hour_a_week() -> None:
    message = visit_pattern.contradiction(Decimal("1"), 4, 60)
    assert message.startswith("4 calls a day of 60 minutes is 4 hours a day, so 4 to 28 hours")
    assert "1 hour a week does not fit" in message


def test_more_hours_than_every_day_of_the_pattern_disagree() -> None:
    message = visit_pattern.contradiction(Decimal("12.5"), 2, 45)
    assert "1.5 hours a day, so 1.5 to 10.5 hours a week" in message
    assert "12.5 hours a week does not fit" in message


@pytest.mark.parametrize(
    ("hours", "calls", "minutes"), [("1", 4, 60), ("2", 3, 45), ("20", 1, 30), ("40", 2, 30)]
)
def test_the_demo_fits_its_drawn_pattern_to_the_hours(hours, calls, minutes) -> None:  # type: ignore[no-untyped-def]
    """The demo carried the same contradiction; its pattern is now fitted to the hours."""
    fitted = fit_pattern(Decimal(hours), calls, minutes)
    assert visit_pattern.contradiction(Decimal(hours), *fitted) == ""
