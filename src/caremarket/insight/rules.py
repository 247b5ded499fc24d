"""Market sufficiency's pure rules: the arithmetic every figure shares, with no ORM, so the
page, the PDF, the JSON and the benchmark's DuckDB query agree by construction."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
WHOLE = Decimal("1")


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part as a percentage of whole, to one place (half up); None when whole is nothing."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def share_of_demand(unmet_hours: Decimal, commissioned_hours: Decimal) -> Decimal | None:
    """Unmet need as a share of all demand, as seed 002 states it ("about 5% of all
    demand"): demand is what is commissioned plus what is waiting."""
    return percent(unmet_hours, commissioned_hours + unmet_hours)


def worker_shortfall(unmet_hours: Decimal, hours_per_worker: Decimal) -> int:
    """Care workers needed to deliver the unmet hours: unmet hours a week / hours a worker
    delivers a week, rounded half up (Devon: 2,000 / 20 = 100)."""
    if hours_per_worker <= 0:
        raise ValueError("Hours a worker delivers must be more than 0.")
    return int((unmet_hours / hours_per_worker).quantize(WHOLE, rounding=ROUND_HALF_UP))


def median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def refuse_before_data(as_of: date, earliest: date | None) -> str | None:
    """The message for a statement asked for a date before the platform holds any data."""
    if earliest is None:
        return "There is no data for this commissioner yet: import packages in place first."
    if as_of < earliest:
        return f"There is no data before {earliest:%-d %B %Y}: choose a date on or after it."
    return None
