"""New rates from a date, never an edit: a fee review's decision adds the framework's next
fixed rate, each provider's next zone prices, or the bands' next hourly rate, all effective
from the review's date (``engine.pricing.rate_on`` then reads them)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from caremarket.core.errors import Invalid
from caremarket.engine import bands as band_engine
from caremarket.engine import pricing
from caremarket.frameworks.models import Appointment, Band, CommissionerRate, Framework, Price


@transaction.atomic
def rates_from_review(
    framework: Framework,
    *,
    unit: str,
    effective_from: date,
    uplift: Decimal,
    fixed_rate: Decimal | None,
    basis: str,
) -> int:
    """Write the rates a decided review sets; returns how many rows were added."""
    if fixed_rate is not None:
        if CommissionerRate.objects.filter(
            framework=framework, unit=unit, effective_from=effective_from
        ).exists():
            raise Invalid(
                f"{framework} already has a rate from {effective_from:%d %B %Y}.",
                "effective_from",
            )
        CommissionerRate.objects.create(
            framework=framework,
            unit=unit,
            amount=fixed_rate,
            effective_from=effective_from,
            basis=basis[:240],
        )
        return 1
    factor = 1 + uplift / 100
    return _uplift_zone_prices(framework, unit, effective_from, factor) + _uplift_bands(
        framework, effective_from, factor
    )


def _uplift_zone_prices(framework: Framework, unit: str, on: date, factor: Decimal) -> int:
    live = Appointment.objects.live(on).filter(lot__framework=framework)
    prices = Price.objects.filter(appointment__in=live, unit=unit)
    groups: dict[tuple[int, int], list[Price]] = {}
    for p in prices:
        groups.setdefault((p.appointment_id, p.zone_id), []).append(p)
    new = []
    for (appointment_id, zone_id), group in groups.items():
        if any(p.effective_from == on for p in group):
            continue  # a price already set from that day (a revision window) stands
        current = pricing.rate_on((p.as_rate_point() for p in group), on)
        if current is not None:
            new.append(
                Price(
                    appointment_id=appointment_id,
                    zone_id=zone_id,
                    unit=unit,
                    amount=pricing.money(current.amount * factor),
                    effective_from=on,
                )
            )
    for price in new:  # one by one, so each new price has its history row
        price.save()
    return len(new)


def _uplift_bands(framework: Framework, on: date, factor: Decimal) -> int:
    by_level: dict[str, list[Band]] = {}
    for band in framework.bands.filter(effective_from__lte=on):
        by_level.setdefault(band.level, []).append(band)
    new = []
    for level, group in by_level.items():
        current = max(group, key=lambda b: b.effective_from)
        if current.effective_from == on:
            continue
        spec = band_engine.BandSpec(level, current.typical_hours_per_week, current.hourly_rate)
        rate = pricing.money(current.hourly_rate * factor)
        repriced = band_engine.reprice([spec], rate)[0]
        new.append(
            Band(
                framework=framework,
                level=level,
                typical_hours_per_week=repriced.typical_hours,
                hourly_rate=repriced.hourly_rate,
                effective_from=on,
            )
        )
    for band in new:
        band.save()
    return len(new)
