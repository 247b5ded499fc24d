"""Which route to market a referral takes, who may be offered it, and at what price.

The framework decides: Devon's Supporting Independence offers to every appointed provider in
the zone; Living Well at Home and the Isle of Wight refer to the zone's lead provider, except
in zones the council coordinates itself (Devon 4-7), which fall back to offers; Staffordshire
calls off by competition; where no framework buys the service in the zone, only a spot
purchase is left.

These are reads of the market a referral meets, not scoped to a user (selectors are): the
services call them before they write, and the allocation adapter reads prices through them.
The choices themselves are pure rules (``rules.route_for``, ``rules.lot_preference``,
``rules.unit_of``); live appointments and panel members are ``Appointment.objects.live`` and
``PanelMember.objects.live``; the price in force on a day is ``engine.pricing.rate_on``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from caremarket.brokerage import rules
from caremarket.brokerage.models import Competition, Offer, Referral
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.engine import pricing
from caremarket.frameworks.models import Appointment, Band, Framework, Lot, PanelMember, Price
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Zone
from caremarket.providers.models import Provider
from caremarket.supported_living.models import Scheme

Route = Framework.Route
PricingModel = Framework.PricingModel


@dataclass(frozen=True)
class RoutePlan:
    route: str
    framework: Framework | None
    lot: Lot | None
    lead: Appointment | None
    explanation: str


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
    lot = min(
        lots,
        key=lambda lot: rules.lot_preference(
            framework_kind=lot.framework.kind, framework_id=lot.framework.pk, lot_number=lot.number
        ),
    )
    framework = lot.framework
    lead = None
    if framework.route_to_market == Route.PRIME_PROVIDER:
        lead = (
            Appointment.objects.live(on)
            .filter(lot=lot, prime_zones=zone)
            .select_related("provider")
            .first()
        )
    route = rules.route_for(framework.route_to_market, zone_has_lead=lead is not None)
    return RoutePlan(route, framework, lot, lead, _explain(route, framework, zone, lead))


def plan_for(referral: Referral) -> RoutePlan:
    """The route a referral raised earlier would take now (to source it again)."""
    return plan_route(
        referral.commissioner,
        referral.service_type,
        referral.zone,
        referral.start_date,
        referral.person.care_group,
    )


def zones_of(referral: Referral) -> list[Zone]:
    """Where a referral is offered: the person's own zone first, then any widened to."""
    return [referral.zone, *referral.widened_to.exclude(pk=referral.zone_id).order_by("number")]


def _explain(route: str, framework: Framework, zone: Zone, lead: Appointment | None) -> str:
    if lead is not None:
        return (
            f"{zone.label} has a lead provider, {lead.provider.display_name}, "
            "who delivers or subcontracts."
        )
    if framework.route_to_market == Route.PRIME_PROVIDER:
        return (
            f"The council coordinates {zone.label} itself: offered to every "
            "provider appointed there."
        )
    if route in (Route.CALL_OFF, Route.MINI_COMPETITION):
        return "Appointed providers bid; the published weights decide."
    return "Offered at once to every appointed provider in the zone who can meet the needs."


def band_on(framework: Framework | None, level: str, on: date) -> Band | None:
    """A level's band in force on a day (bands are reviewed with a new effective date)."""
    if framework is None:
        return None
    bands = list(Band.objects.filter(framework=framework, level=level))
    point = pricing.rate_on((pricing.RatePoint(b.effective_from, b.hourly_rate) for b in bands), on)
    if point is None:
        return None
    return next(b for b in bands if b.effective_from == point.effective_from)


def band_in_force(band: Band, on: date) -> Band:
    """The same level's band in force on a day; the band itself if none is yet."""
    return band_on(band.framework, band.level, on) or band


def deadline_for(referral: Referral, sent_at: datetime) -> datetime:
    """When an offer of this referral sent now closes (``rules.offer_deadline``)."""
    framework = referral.framework
    return rules.offer_deadline(
        sent_at,
        urgency=referral.urgency,
        window_hours=framework.offer_window_hours if framework else None,
        urgent_window_hours=framework.urgent_offer_window_hours if framework else None,
    )


def unit_for(referral: Referral) -> str:
    framework = referral.framework
    return rules.unit_of(framework.pricing_model if framework else None, referral.service_type.unit)


def units_per_week(referral: Referral) -> Decimal:
    return rules.units_per_week(
        unit_for(referral), hours=referral.hours_per_week, sessions=referral.sessions_per_week
    )


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
        return first_zone_price(list(appointment.prices.filter(unit=unit)), zones, on)
    return None


def first_zone_price(prices: list[Price], zones: list[Zone], on: date) -> Decimal | None:
    """The price in force on the day in the first zone (the person's own, then any widened
    zone) that has one."""
    for zone in zones:
        point = pricing.rate_on((p.as_rate_point() for p in prices if p.zone_id == zone.pk), on)
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
        Appointment.objects.live(on)
        .filter(
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


def panel_for(offer: Offer, today: date) -> list[Provider]:
    """The subcontractors a lead may choose for this referral: live on its panel for the
    zone, and able to meet the person's needs and care group."""
    return [
        m.provider
        for m in PanelMember.objects.live(today)
        .filter(prime=offer.appointment, zones=offer.referral.zone)
        .select_related("provider")
        .prefetch_related("provider__specialisms")
        .order_by("provider__name")
        if can_meet(m.provider, offer.referral)
    ]


# --- call-offs --------------------------------------------------------------------------------


def cap_for(competition: Competition) -> Decimal | None:
    """The most a bid may ask a week, where the framework caps bids at the band's rate: one
    person's rate for an individual, the rate times the rooms for a scheme or a block."""
    if not (competition.framework.bids_capped_at_band_rate and competition.band):
        return None
    weekly = band_in_force(competition.band, clock.today()).weekly_rate
    if competition.subject == "individual":
        return weekly
    # A scheme houses a person a room: its bids are capped at the band's rate for each room.
    rooms = sum(s.rooms for s in competition.schemes.all())
    return weekly * max(1, rooms)


def closing_at(day: date) -> datetime:
    """Bids close at five in the afternoon, local time, on the day the broker names."""
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


def lot_of(schemes: list[Scheme]) -> Lot:
    """The one lot a scheme or block call-off is on."""
    if not schemes:
        raise Invalid("Choose the scheme or schemes this call-off is for.", "schemes")
    lots = {s.lot_id for s in schemes}
    if len(lots) > 1:
        raise Invalid("Every scheme in a block must be on the same lot.", "schemes")
    return schemes[0].lot
