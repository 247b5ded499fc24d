"""The guard rails on a spot purchase: what the framework pays for the same care, the band a
spot price must sit in, and the yearly cost each role may commit alone.

A spot purchase is off-framework, so nothing else checks its price. These reads give the
broker (web and API alike, through ``services.spot_purchases.buy``) the same figures before
anything is bought: the weekly cost (units x price, rounded once to the penny by
``engine.pricing.weekly_cost``) and the yearly cost (that weekly cost x 52, exact, no second
rounding), against the framework's prices for the service in the person's zone.

Settings (all optional; the defaults are demo ASSUMPTIONS, not any council's policy):

- ``BROKERAGE_SPOT_PRICE_BAND``: how far (a share, e.g. ``Decimal("0.25")``) a spot price may
  sit above the highest, or below the lowest, framework price in force for the service and
  zone. Above the band needs a second person's approval (``SpotApproval``, through
  ``services.spot_purchases``). Below the band needs an explanation.
- ``BROKERAGE_SPOT_APPROVAL_LIMITS``: the yearly cost of a package each role may commit on
  its own, e.g. ``{"broker": Decimal("100000"), "commissioner": Decimal("500000")}``. A role
  not listed may neither buy spot nor approve; above the buyer's limit the purchase waits
  for someone whose limit covers it to approve it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from caremarket.brokerage.models import Referral
from caremarket.brokerage.routing import unit_for, units_per_week
from caremarket.core import roles
from caremarket.engine import pricing
from caremarket.engine.pricing import money, weekly_cost
from caremarket.frameworks.models import CommissionerRate, Framework, Price
from caremarket.frameworks.rules import per_unit
from caremarket.providers.models import Provider

WEEKS_A_YEAR = 52
DEFAULT_BAND = Decimal("0.25")
DEFAULT_LIMITS = {"broker": Decimal("100000"), "commissioner": Decimal("500000")}


def price_band_share() -> Decimal:
    return Decimal(str(getattr(settings, "BROKERAGE_SPOT_PRICE_BAND", DEFAULT_BAND)))


def approval_limit(user: Any) -> Decimal | None:
    """The yearly cost this user's role may commit alone (None: the role may not buy spot).
    Platform administrators are not limited: they act only to repair data."""
    role = roles.role_of(user)
    if roles.is_platform(user):
        return None if role is None else Decimal("Infinity")
    limits = getattr(settings, "BROKERAGE_SPOT_APPROVAL_LIMITS", DEFAULT_LIMITS)
    limit = limits.get(str(role)) if role else None
    return Decimal(str(limit)) if limit is not None else None


def framework_prices(referral: Referral, on: date) -> list[Decimal]:
    """Every price in force on the day that the council's frameworks pay for this service, in
    this unit, in the person's zone: appointed providers' zone prices and fixed rates."""
    unit = unit_for(referral)
    lots = {
        "service_types": referral.service_type,
        "framework__commissioner": referral.commissioner,
    }
    found: list[Decimal] = []
    zone_prices = Price.objects.filter(
        unit=unit,
        zone=referral.zone,
        **{f"appointment__lot__{k}": v for k, v in lots.items()},
    ).values_list("appointment_id", "effective_from", "amount")
    by_appointment: dict[int, list[pricing.RatePoint]] = {}
    for appointment, effective, amount in zone_prices:
        by_appointment.setdefault(appointment, []).append(pricing.RatePoint(effective, amount))
    for points in by_appointment.values():
        point = pricing.rate_on(points, on)
        if point is not None:
            found.append(point.amount)
    fixed = Framework.objects.filter(
        pricing_model=Framework.PricingModel.FIXED_RATE,
        lots__service_types=referral.service_type,
        lots__zones=referral.zone,
        commissioner=referral.commissioner,
    ).distinct()
    for framework in fixed:
        rates = CommissionerRate.objects.filter(framework=framework, unit=unit)
        point = pricing.rate_on((r.as_rate_point() for r in rates), on)
        if point is not None:
            found.append(point.amount)
    return found


@dataclass(frozen=True)
class SpotQuote:
    """What the broker confirms before buying: the costs, and the band they are judged by."""

    unit: str
    units_per_week: Decimal
    unit_price: Decimal
    weekly_cost: Decimal
    yearly_cost: Decimal
    band_low: Decimal | None  # None: no framework price to compare with
    band_high: Decimal | None
    approval_needed: str = ""  # why a second person must approve (empty: nobody need)

    @property
    def above_band(self) -> bool:
        return self.band_high is not None and self.unit_price > self.band_high

    @property
    def below_band(self) -> bool:
        return self.band_low is not None and self.unit_price < self.band_low


def quote(referral: Referral, unit_price: Decimal, on: date) -> SpotQuote:
    price = money(unit_price)
    units = units_per_week(referral)
    weekly = weekly_cost(units, price)
    prices = framework_prices(referral, on)
    share = price_band_share()
    low = money(min(prices) * (1 - share)) if prices else None
    high = money(max(prices) * (1 + share)) if prices else None
    return SpotQuote(
        unit=unit_for(referral),
        units_per_week=units,
        unit_price=price,
        weekly_cost=weekly,
        yearly_cost=weekly * WEEKS_A_YEAR,
        band_low=low,
        band_high=high,
    )


def registered_for(provider: Provider, referral: Referral) -> bool:
    """The provider says it provides this service (``Provider.service_types``)."""
    return provider.service_types.filter(pk=referral.service_type_id).exists()


def approval_needed(quoted: SpotQuote, buyer: Any) -> str:
    """Why a second person must approve this purchase (empty: the buyer may buy alone): a price
    above the band, or a yearly cost above what the buyer's role may commit (a role with no
    limit may not buy at all, which the caller refuses first)."""
    limit, why = approval_limit(buyer), []
    if quoted.above_band:
        why.append(
            f"£{quoted.unit_price} {per_unit(quoted.unit)} is above the band for this care "
            f"(£{quoted.band_low} to £{quoted.band_high}, around the framework's prices)"
        )
    if limit is not None and quoted.yearly_cost > limit:
        role = roles.Role(roles.role_of(buyer)).label.lower()
        why.append(f"£{quoted.yearly_cost:,} a year is above the £{limit:,} a {role} may commit")
    return "; ".join(why)
