"""Banded weekly rates (Staffordshire): a band is the typical hours of care a week at a
sustainable hourly rate, plus sleep-in and waking nights where the band includes them.

Because a band's rate is derived, changing the hourly rate (a fee review) reprices every
band: ``reprice``. Each band's weekly rate is rounded once, here, with ``pricing.money``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from caremarket.engine.pricing import money

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class BandSpec:
    name: str
    typical_hours: Decimal
    hourly_rate: Decimal
    sleep_in_nights: Decimal = ZERO
    sleep_in_rate: Decimal = ZERO  # pounds a night
    waking_nights: Decimal = ZERO
    waking_night_rate: Decimal = ZERO  # pounds a night

    def __post_init__(self) -> None:
        if self.typical_hours <= 0 or self.typical_hours > 168:
            raise ValueError("typical hours must be more than 0 and at most 168 a week")
        if self.hourly_rate <= 0:
            raise ValueError("the hourly rate must be more than zero")
        for nights in (self.sleep_in_nights, self.waking_nights):
            if not ZERO <= nights <= 7:
                raise ValueError("nights a week must be between 0 and 7")
        if self.sleep_in_rate < 0 or self.waking_night_rate < 0:
            raise ValueError("night rates cannot be negative")


@dataclass(frozen=True, slots=True)
class BandRate:
    name: str
    day_care: Decimal  # exact: typical hours x hourly rate
    nights: Decimal  # exact: sleep-ins and waking nights
    weekly_rate: Decimal  # rounded once


def weekly_rate(band: BandSpec) -> BandRate:
    day = band.typical_hours * band.hourly_rate
    nights = band.sleep_in_nights * band.sleep_in_rate + band.waking_nights * band.waking_night_rate
    return BandRate(band.name, day, nights, money(day + nights))


def band_table(bands: Iterable[BandSpec]) -> list[BandRate]:
    """Every band's weekly rate, in order of typical hours."""
    return [weekly_rate(b) for b in sorted(bands, key=lambda b: b.typical_hours)]


def reprice(bands: Iterable[BandSpec], hourly_rate: Decimal) -> list[BandSpec]:
    """The same bands at a new sustainable hourly rate (night rates unchanged)."""
    return [replace(b, hourly_rate=hourly_rate) for b in bands]
