"""Prices: which rate applies on a date, banded weekly rates, and rounding money once.

A council changes prices by adding a new rate effective from a date (an annual fee review,
a framework re-opening that lets providers revise prices), never by editing the old one:
payments and awards for earlier dates must keep the rate that applied then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    """Round to pennies, half up: the single place where money is rounded."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class RatePoint:
    effective_from: date
    amount: Decimal


def rate_on(points: Iterable[RatePoint], on: date) -> RatePoint | None:
    """The rate in force on ``on``: the latest one effective on or before that day."""
    best: RatePoint | None = None
    for point in points:
        if point.effective_from <= on and (
            best is None or point.effective_from > best.effective_from
        ):
            best = point
    return best


def band_weekly_rate(typical_hours: Decimal, hourly_rate: Decimal) -> Decimal:
    """Staffordshire's banded weekly rate: typical hours at a sustainable hourly rate."""
    if typical_hours < 0 or hourly_rate < 0:
        raise ValueError("typical hours and hourly rate cannot be negative")
    return money(typical_hours * hourly_rate)


def weekly_cost(units_per_week: Decimal, unit_price: Decimal) -> Decimal:
    """What a service agreement costs a week, rounded once."""
    if units_per_week < 0 or unit_price < 0:
        raise ValueError("units and price cannot be negative")
    return money(units_per_week * unit_price)


@dataclass(frozen=True, slots=True)
class Spread:
    """Providers' prices for one lot and zone, for a commissioner's eyes only."""

    count: int
    lowest: Decimal
    median: Decimal
    highest: Decimal
    outliers: tuple[str, ...]  # names of providers priced far from the rest or below cost


def price_spread(
    prices: Iterable[tuple[str, Decimal]],
    *,
    cost_of_care: Decimal | None = None,
    tolerance: Decimal = Decimal("0.20"),
) -> Spread | None:
    """Lowest, median (rounded once) and highest price; outliers are those more than
    ``tolerance`` (a fraction, 20 % by default) from the median, or below the cost of care
    (a price that cannot pay the National Living Wage and its on-costs)."""
    named = sorted(prices, key=lambda p: (p[1], p[0]))
    if not named:
        return None
    amounts = [a for _, a in named]
    mid = len(amounts) // 2
    median = amounts[mid] if len(amounts) % 2 else (amounts[mid - 1] + amounts[mid]) / 2
    outliers = tuple(
        name
        for name, amount in named
        if abs(amount - median) > median * tolerance
        or (cost_of_care is not None and amount < cost_of_care)
    )
    return Spread(len(amounts), amounts[0], money(median), amounts[-1], outliers)
