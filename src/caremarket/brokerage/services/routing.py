"""Which route to market a referral takes, who may be offered it, and at what price.

The framework decides: Devon's Supporting Independence offers to every appointed provider in
the zone; Living Well at Home and the Isle of Wight refer to the zone's lead provider, except
in zones the council coordinates itself (Devon 4-7), which fall back to offers; Staffordshire
calls off by competition; where no framework buys the service in the zone, only a spot
purchase is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q

from caremarket.brokerage.models import Referral
from caremarket.engine import pricing
from caremarket.frameworks.models import Appointment, Band, Framework, Lot, Price
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Zone
from caremarket.providers.models import Provider

Route = Framework.Route
PricingModel = Framework.PricingModel


@dataclass(frozen=True)
class RoutePlan:
    route: str
    framework: Framework | None
    lot: Lot | None
    lead: Appointment | None
    explanation: str


def live_appointments(on: date) -> Q:
    return Q(status=Appointment.Status.ACTIVE, appointed_on__lte=on) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )


def plan_route(
    commissioner: Commissioner,
    service_type: ServiceType,
    zone: Zone,
    on: date,
    care_group: CareGroup | None = None,
) -> RoutePlan:
    """The lot that buys this service in this zone for this care group (a specialist lot,
    like Staffordshire's Group 1 for mental health, is a lot whose care groups say so)."""
    candidates = Lot.objects.filter(
        framework__commissioner=commissioner,
        service_types=service_type,
        zones=zone,
        framework__start_date__lte=on,
    )
    if care_group is not None:
        candidates = candidates.filter(care_groups=care_group)
    lots = [
        lot
        for lot in candidates.select_related("framework").prefetch_related(
            "framework__extension_options"
        )
        if lot.framework.term().is_live(on)
    ]
    if not lots:
        return RoutePlan(
            Route.SPOT,
            None,
            None,
            None,
            f"No framework of {commissioner.name} buys {service_type.name.lower()} in "
            f"{zone.label}: it can only be bought off-framework, with a recorded reason.",
        )
    lot = sorted(
        lots,
        key=lambda lot: (
            lot.framework.kind == Framework.Kind.APPROVED_LIST,
            lot.framework.pk,
            lot.number,
        ),
    )[0]
    framework = lot.framework
    if framework.route_to_market == Route.PRIME_PROVIDER:
        lead = (
            Appointment.objects.filter(live_appointments(on), lot=lot, prime_zones=zone)
            .select_related("provider")
            .first()
        )
        if lead is not None:
            return RoutePlan(
                Route.PRIME_PROVIDER,
                framework,
                lot,
                lead,
                f"{zone.label} has a lead provider, {lead.provider.display_name}, "
                "who delivers or subcontracts.",
            )
        return RoutePlan(
            Route.FRAMEWORK_FIRST,
            framework,
            lot,
            None,
            f"The council coordinates {zone.label} itself: offered to every "
            "provider appointed there.",
        )
    if framework.route_to_market in (Route.CALL_OFF, Route.MINI_COMPETITION):
        return RoutePlan(
            framework.route_to_market,
            framework,
            lot,
            None,
            "Appointed providers bid; the published weights decide.",
        )
    return RoutePlan(
        Route.FRAMEWORK_FIRST,
        framework,
        lot,
        None,
        "Offered at once to every appointed provider in the zone who can meet the needs.",
    )


def band_in_force(band: Band, on: date) -> Band:
    """The same level's band in force on a day (bands are reviewed with a new effective date)."""
    bands = list(Band.objects.filter(framework=band.framework, level=band.level))
    point = pricing.rate_on((pricing.RatePoint(b.effective_from, b.hourly_rate) for b in bands), on)
    if point is None:
        return band
    return next(b for b in bands if b.effective_from == point.effective_from)


def unit_for(referral: Referral) -> str:
    if referral.framework and referral.framework.pricing_model == PricingModel.BANDED_WEEKLY_RATE:
        return "week"
    return referral.service_type.unit


def units_per_week(referral: Referral) -> Decimal:
    unit = unit_for(referral)
    if unit == "week":
        return Decimal("1")
    if unit == "hour" and referral.hours_per_week is not None:
        return referral.hours_per_week
    return Decimal(referral.sessions_per_week or 0)


def price_for(
    referral: Referral, appointment: Appointment | None, zones: list[Zone], on: date
) -> Decimal | None:
    """The price that would apply if this appointment took the referral, or None when the
    framework takes bids (the provider quotes) or no price is in force."""
    framework = referral.framework
    if framework is None:
        return None
    if framework.pricing_model == PricingModel.BANDED_WEEKLY_RATE:
        return band_in_force(referral.band, on).weekly_rate if referral.band else None
    return price_in_force(framework, unit_for(referral), appointment, zones, on)


def price_in_force(
    framework: Framework, unit: str, appointment: Appointment | None, zones: list[Zone], on: date
) -> Decimal | None:
    """A fixed commissioner rate, or the appointment's own price in the first of ``zones``
    that has one, in force on the day (banded rates need a band: see ``price_for``)."""
    model = framework.pricing_model
    if model == PricingModel.FIXED_RATE:
        point = pricing.rate_on((r.as_rate_point() for r in framework.rates.filter(unit=unit)), on)
        return point.amount if point else None
    if model == PricingModel.PROVIDER_ZONE_PRICE and appointment is not None:
        for zone in zones:  # the person's own zone first, then any widened zone
            point = pricing.rate_on(
                (p.as_rate_point() for p in appointment.prices.filter(zone=zone, unit=unit)), on
            )
            if point is not None:
                return point.amount
    return None


def can_meet(provider: Provider, referral: Referral, needs: set[int] | None = None) -> bool:
    """The provider supports the person's care group and has every specialism the needs ask."""
    if needs is None:
        needs = set(referral.needs.values_list("pk", flat=True))
    if not needs <= {s.pk for s in provider.specialisms.all()}:
        return False
    return provider.care_groups.filter(pk=referral.person.care_group_id).exists()


def eligible_appointments(referral: Referral, zones: list[Zone], on: date) -> list[Appointment]:
    """Every provider appointed on the lot in these zones who supports the person's care
    group, can meet the needs and (on a zone-price framework) has a price in force. Each
    appointment comes back with ``price_on_start``: the price that would apply.

    Three queries whatever the number of providers: this runs each time a referral is raised.
    """
    if referral.lot is None or referral.framework is None:
        return []
    if not referral.lot.care_groups.filter(pk=referral.person.care_group_id).exists():
        return []
    needs = set(referral.needs.values_list("pk", flat=True))
    unit = unit_for(referral)
    zone_priced = referral.framework.pricing_model == PricingModel.PROVIDER_ZONE_PRICE
    shared = None if zone_priced else price_for(referral, None, zones, on)
    candidates = (
        Appointment.objects.filter(
            live_appointments(on),
            lot=referral.lot,
            zones__in=zones,
            provider__care_groups=referral.person.care_group_id,
        )
        .select_related("provider")
        .prefetch_related(
            "provider__specialisms",
            Prefetch(
                "prices",
                queryset=Price.objects.filter(zone__in=zones, unit=unit),
                to_attr="zone_prices",
            ),
        )
        .distinct()
        .order_by("provider__name")
    )
    eligible = []
    for appointment in candidates:
        if not needs <= {s.pk for s in appointment.provider.specialisms.all()}:
            continue
        price = first_zone_price(appointment.zone_prices, zones, on) if zone_priced else shared
        if zone_priced and price is None:
            continue
        appointment.price_on_start = price  # type: ignore[attr-defined]
        eligible.append(appointment)
    return eligible


def first_zone_price(prices: list[Price], zones: list[Zone], on: date) -> Decimal | None:
    """The price in force on the day in the first zone (the person's own) that has one."""
    for zone in zones:
        point = pricing.rate_on((p.as_rate_point() for p in prices if p.zone_id == zone.pk), on)
        if point is not None:
            return point.amount
    return None
