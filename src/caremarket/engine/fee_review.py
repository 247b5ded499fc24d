"""The annual fee review: how much a rate moves, and what that costs the council in a year.

A rate is split into cost lines, each with its share of the rate (the weights, which sum to
100 %) and the change that moves it: the usual split is the staff pay share moved by the
National Living Wage change and the rest by CPI (Cardiff's 60/40: 60 % x 10.1 % + 40 % x
3 % = 7.26 %); a council may instead enter evidenced pressures line by line.

The uplift is exact; a proposed rate is rounded once (``pricing.money``). Budget impact is
the sum over live agreements of units a week x rate change x weeks in the year, exact per
agreement, rounded once per framework and zone (the total is the sum of those rounded
figures, so the table adds up).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from caremarket.engine.pricing import money

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True, slots=True)
class CostLine:
    """A share of the rate (per cent) and the change that moves it (per cent)."""

    name: str
    weight: Decimal
    change: Decimal

    def __post_init__(self) -> None:
        if not ZERO <= self.weight <= HUNDRED:
            raise ValueError(f"the weight of {self.name} must be between 0 and 100 per cent")
        if not Decimal("-50") <= self.change <= HUNDRED:
            raise ValueError(f"the change in {self.name} must be between -50 and 100 per cent")


def check_weights(lines: Iterable[CostLine]) -> None:
    total = sum((line.weight for line in lines), ZERO)
    if total != HUNDRED:
        raise ValueError(f"the weights must add up to 100 per cent (they add up to {total}%)")


def percent_change(old: Decimal, new: Decimal) -> Decimal:
    """The change from old to new in per cent, exact to 4 places (NLW £12.21 -> £12.71 is
    4.0950 %)."""
    if old <= 0:
        raise ValueError("the old figure must be more than zero")
    return ((new - old) / old * HUNDRED).quantize(Decimal("0.0001"))


def nlw_cpi_lines(
    staff_share: Decimal, nlw_old: Decimal, nlw_new: Decimal, cpi: Decimal
) -> tuple[CostLine, ...]:
    """The usual two lines: staff pay moved by the NLW change, everything else by CPI."""
    return (
        CostLine("Staff pay (National Living Wage)", staff_share, percent_change(nlw_old, nlw_new)),
        CostLine("Other costs (CPI)", HUNDRED - staff_share, cpi),
    )


def uplift(lines: Iterable[CostLine]) -> Decimal:
    """The weighted change in per cent (exact)."""
    lines = tuple(lines)
    check_weights(lines)
    return sum((line.weight * line.change for line in lines), ZERO) / HUNDRED


def proposed_rate(current: Decimal, lines: Iterable[CostLine]) -> Decimal:
    """The current rate moved by the weighted change, rounded once."""
    if current <= 0:
        raise ValueError("the current rate must be more than zero")
    return money(current * (1 + uplift(lines) / HUNDRED))


def weeks_in_year(effective_from: date) -> Decimal:
    """Weeks in the twelve months from the effective date (365 or 366 days over 7)."""
    try:
        year_later = effective_from.replace(year=effective_from.year + 1)
    except ValueError:  # 29 February
        year_later = effective_from.replace(year=effective_from.year + 1, day=28) + timedelta(1)
    return Decimal((year_later - effective_from).days) / 7


@dataclass(frozen=True, slots=True)
class ImpactLine:
    """One live agreement: its units a week and the rate before and after."""

    framework: str
    zone: str
    reference: str
    units_per_week: Decimal
    old_rate: Decimal
    new_rate: Decimal

    @property
    def rate_change(self) -> Decimal:
        return self.new_rate - self.old_rate

    def annual_change(self, weeks: Decimal) -> Decimal:
        """Exact: units a week x rate change x weeks."""
        return self.units_per_week * self.rate_change * weeks


@dataclass(frozen=True, slots=True)
class ImpactGroup:
    framework: str
    zone: str
    agreements: int
    units_per_week: Decimal
    annual_change: Decimal  # rounded once


def budget_impact(lines: Iterable[ImpactLine], weeks: Decimal) -> list[ImpactGroup]:
    """Per framework and zone, the year's extra cost (negative when rates fall)."""
    groups: dict[tuple[str, str], list[ImpactLine]] = {}
    for line in lines:
        groups.setdefault((line.framework, line.zone), []).append(line)
    return [
        ImpactGroup(
            framework,
            zone,
            len(members),
            sum((m.units_per_week for m in members), ZERO),
            money(sum((m.annual_change(weeks) for m in members), ZERO)),
        )
        for (framework, zone), members in sorted(groups.items())
    ]


def total_impact(groups: Iterable[ImpactGroup]) -> Decimal:
    return sum((g.annual_change for g in groups), ZERO)
