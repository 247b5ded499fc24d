"""Putting a referral to providers, by its own route: offers at once to every eligible
provider appointed in the zone (a new round after widening), the referral to the zone's lead
provider, a targeted offer for a suggested placement, and the broker's "try again".

Their answers are ``services.offers``; who is eligible, at what price and by when is
``brokerage.routing``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from caremarket.brokerage.models import Offer, Referral
from caremarket.brokerage.presenters import referral_summary
from caremarket.brokerage.routing import (
    deadline_for,
    eligible_appointments,
    plan_for,
    price_for,
    unit_for,
    zones_of,
)
from caremarket.brokerage.services import inbox
from caremarket.brokerage.services.common import (
    notify,
    provider_addresses,
    transition,
    withdraw_open_offers,
)
from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid
from caremarket.engine.lifecycle import State
from caremarket.frameworks.models import Appointment, Framework
from caremarket.market.models import Zone


def _locked_open(referral: Referral) -> Referral:
    """The referral's row, locked, refused if it is no longer open to offers."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise Conflict(f"{referral.reference} is {referral.get_state_display().lower()}.")
    return referral


def _next_round(referral: Referral, kind: str) -> int:
    return max((o.round for o in referral.offers.filter(kind=kind)), default=0) + 1


def _offer(
    referral: Referral,
    appointment: Appointment,
    *,
    kind: str,
    round_: int,
    now: datetime,
    unit_price: Decimal | None,
) -> Offer:
    """An offer (not yet saved) to an appointed provider, with the deadline its framework
    sets and the unit the referral is bought in."""
    return Offer(
        referral=referral,
        provider=appointment.provider,
        appointment=appointment,
        kind=kind,
        round=round_,
        sent_at=now,
        deadline=deadline_for(referral, now),
        unit=unit_for(referral),
        unit_price=unit_price,
    )


@transaction.atomic
def send_offers(referral: Referral, *, by: Any, widen_to: list[Zone] | None = None) -> int:
    """Offer the referral at once to every eligible provider (route 1), or again in a new
    round after widening to neighbouring zones. Returns how many offers went out."""
    referral = _locked_open(referral)
    if referral.route != Framework.Route.FRAMEWORK_FIRST:
        raise Invalid("This referral is not sourced by offers to appointed providers.")
    if widen_to:
        allowed = set(referral.zone.neighbours.values_list("pk", flat=True))
        if any(z.pk not in allowed for z in widen_to):
            raise Invalid("You can only widen to zones next to the person's own.", "zones")
        referral.widened_to.add(*widen_to)
    now = clock.now()
    zones = zones_of(referral)
    eligible = eligible_appointments(referral, zones, referral.start_date)
    round_ = _next_round(referral, Offer.Kind.FRAMEWORK)
    withdraw_open_offers(referral, "Superseded by a new round of offers.")
    if not eligible:
        note = (
            f"No appointed provider in {', '.join(z.label for z in zones)} can meet these "
            "needs: widen to a neighbouring zone, escalate, or buy spot."
        )
        referral.next_action = note[:240]
        referral.save(update_fields=["next_action"])
        if referral.state != State.AWAITING_CARE:
            transition(referral, State.AWAITING_CARE, by, note)
        return 0
    made = Offer.objects.bulk_create(
        _offer(
            referral,
            a,
            kind=Offer.Kind.FRAMEWORK,
            round_=round_,
            now=now,
            unit_price=a.price_on_start,
        )
        for a in eligible
    )
    deadline = made[0].deadline
    transition(
        referral,
        State.OFFERED,
        by,
        f"Round {round_}: offered to {len(made)} provider{'s' if len(made) != 1 else ''}.",
    )
    for offer in made:
        notify(
            provider_addresses(offer.provider),
            f"New referral {referral.reference}: answer by {clock.local(deadline):%d %b %H:%M}",
            referral_summary(referral),
        )
    inbox.offers_arrived(
        referral.offers.filter(kind=Offer.Kind.FRAMEWORK, round=round_).select_related("provider")
    )
    return len(made)


@transaction.atomic
def refer_to_lead(referral: Referral, lead: Appointment, *, by: Any) -> Offer:
    """Route 2: the zone's lead provider accepts and delivers, or places it on its panel."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    now = clock.now()
    offer = _offer(
        referral,
        lead,
        kind=Offer.Kind.LEAD,
        round_=referral.offers.filter(kind=Offer.Kind.LEAD).count() + 1,
        now=now,
        unit_price=price_for(referral, lead, [referral.zone], referral.start_date),
    )
    offer.save()
    transition(referral, State.OFFERED, by, f"Referred to the lead provider, {lead.provider}.")
    notify(
        provider_addresses(lead.provider),
        f"Referral {referral.reference} for your zone",
        referral_summary(referral),
    )
    inbox.offers_arrived([offer])
    return offer


@transaction.atomic
def offer_to(
    referral: Referral, appointment: Appointment, *, by: Any, note: str = ""
) -> Offer | None:
    """Route 1, targeted: offer the referral to one provider (a suggested placement) in a new
    round, leaving any open offers from earlier rounds standing. None if that provider
    already holds a live or accepted offer for it."""
    referral = _locked_open(referral)
    if referral.route != Framework.Route.FRAMEWORK_FIRST or appointment.lot_id != referral.lot_id:
        raise Invalid(
            f"{appointment.provider} is not on the lot that sources {referral.reference}."
        )
    now = clock.now()
    held = referral.offers.filter(provider=appointment.provider, kind=Offer.Kind.FRAMEWORK)
    if (
        held.filter(Offer.live_q(now)).exists()
        or held.filter(status=Offer.Status.ACCEPTED).exists()
    ):
        return None
    zones = zones_of(referral)
    eligible = {a.pk for a in eligible_appointments(referral, zones, referral.start_date)}
    if appointment.pk not in eligible:
        raise Invalid(f"{appointment.provider} cannot take {referral.reference}.")
    offer = _offer(
        referral,
        appointment,
        kind=Offer.Kind.FRAMEWORK,
        round_=_next_round(referral, Offer.Kind.FRAMEWORK),
        now=now,
        unit_price=price_for(referral, appointment, zones, referral.start_date),
    )
    offer.save()
    transition(referral, State.OFFERED, by, note or f"Offered to {appointment.provider}.")
    notify(
        provider_addresses(appointment.provider),
        f"New referral {referral.reference}",
        referral_summary(referral),
    )
    inbox.offers_arrived([offer])
    return offer


def source_again(referral: Referral, *, by: Any, widen_to: list[Zone] | None = None) -> int:
    """The broker's "try again", by the referral's own route: a new round of offers (widened
    to neighbouring zones if asked), or the zone's lead provider once more. Returns how many
    providers were asked."""
    if referral.route == Framework.Route.PRIME_PROVIDER:
        plan = plan_for(referral)
        if plan.lead is None:
            raise Invalid(f"{referral.zone.label} has no lead provider any more.")
        refer_to_lead(referral, plan.lead, by=by)
        return 1
    return send_offers(referral, by=by, widen_to=widen_to)
