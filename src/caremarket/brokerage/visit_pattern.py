"""Whether hours a week and a daily visit pattern can both be true (pure: no Django).

A pattern of calls a day of so many minutes gives a day's hours; a week holds one to seven
such days. So the hours a week a referral gives must lie between one day's visits and seven
days' (4 calls a day of 60 minutes: 4 to 28 hours a week). Anything outside is a
contradiction a provider cannot staff, and was how 4 calls a day of an hour came to be bought
as 1 hour a week. Where only the pattern is given, the hours follow from it on every day
(``rules.pattern_hours``).
"""

from __future__ import annotations

from decimal import Decimal

DAYS_A_WEEK = 7


def day_hours(calls_per_day: int, minutes_per_call: int) -> Decimal:
    return Decimal(calls_per_day * minutes_per_call) / 60


def _number(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}"


def _hours(value: Decimal) -> str:
    return f"{_number(value)} hour{'' if value == 1 else 's'}"


def contradiction(hours_per_week: Decimal, calls_per_day: int, minutes_per_call: int) -> str:
    """The message naming what disagrees (empty: the hours fit the pattern on 1 to 7 days)."""
    day = day_hours(calls_per_day, minutes_per_call)
    low, high = day, day * DAYS_A_WEEK
    if low <= hours_per_week <= high:
        return ""
    calls = f"{calls_per_day} call{'' if calls_per_day == 1 else 's'} a day"
    return (
        f"{calls} of {minutes_per_call} minutes is {_hours(day)} a day, so "
        f"{_number(low)} to {_hours(high)} a week (1 to 7 days): {_hours(hours_per_week)} a "
        "week does not fit. Correct the hours a week, or the calls and minutes (leave the "
        "hours blank to take them from the pattern)."
    )
