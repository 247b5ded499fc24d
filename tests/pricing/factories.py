"""Factories for the pricing tests: a live agreement on a lot, at a price, for some units."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from caremarket.brokerage.models import AgreementVariation, Award, ServiceAgreement
from caremarket.core import clock
from caremarket.engine.pricing import weekly_cost
from caremarket.frameworks.models import Appointment, Band, CommissionerRate, Framework, Lot
from tests import factories


def fixed_rate_framework(rate: str = "19.28", **fields: Any) -> tuple[Framework, Lot]:
    """An Isle of Wight-like framework: one fixed hourly rate, set a year ago."""
    framework = factories.framework(pricing_model=Framework.PricingModel.FIXED_RATE, **fields)
    CommissionerRate.objects.create(
        framework=framework,
        unit="hour",
        amount=Decimal(rate),
        effective_from=framework.start_date,
    )
    return framework, factories.lot(framework)


def agreement(
    lot: Lot,
    appointment: Appointment | None = None,
    *,
    units: str = "10",
    price: str = "19.28",
    start: date | None = None,
    unit: str = "hour",
    band: Band | None = None,
) -> ServiceAgreement:
    """A service agreement awarded on ``lot`` (to ``appointment``'s provider), started."""
    appointed = appointment or factories.appointment(lot)
    start = start or clock.today() - timedelta(days=30)
    referral = factories.referral(lot=lot, start_date=start, band=band)
    award = Award.objects.create(
        commissioner=lot.framework.commissioner,
        referral=referral,
        provider=appointed.provider,
        delivering_provider=appointed.provider,
        route=lot.framework.route_to_market,
        reason="Factory award.",
        unit=unit,
        unit_price=Decimal(price),
        decided_at=clock.now(),
    )
    made = ServiceAgreement.objects.create(
        award=award,
        commissioner=award.commissioner,
        reference=f"FA-{award.pk:06d}",
        person=referral.person,
        provider=award.provider,
        delivering_provider=award.provider,
        unit=unit,
        start_date=start,
    )
    AgreementVariation.objects.create(
        agreement=made,
        effective_from=start,
        units_per_week=Decimal(units),
        unit_price=Decimal(price),
        weekly_cost=weekly_cost(Decimal(units), Decimal(price)),
        reason="Agreed at award.",
        at=clock.now(),
    )
    return made


def commissioner_user(framework: Framework, role: str = "commissioner") -> Any:
    return factories.council_user(framework.commissioner, role=role)


def provider_user(appointment: Appointment) -> Any:
    from caremarket.accounts.models import User

    n = appointment.pk * 1000 + User.objects.count()
    return User.objects.create_user(
        username=f"pricing.provider.{n}",
        email=f"provider{n}@x.example",
        role="provider",
        provider=appointment.provider,
    )
