"""Putting a referral to providers, and their answers.

Deadlines hold without a worker: every answer checks the deadline against the clock at the
moment it is written, under the referral's row lock, so an offer past its deadline cannot be
accepted even if no process has yet marked it expired.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from caremarket.brokerage.models import Offer, Referral
from caremarket.brokerage.services import awards
from caremarket.brokerage.services.common import (
    notify,
    provider_addresses,
    transition,
    withdraw_open_offers,
)
from caremarket.brokerage.services.errors import BrokerageError, Conflict, DeadlinePassed
from caremarket.brokerage.services.routing import (
    can_meet,
    eligible_appointments,
    plan_route,
    price_for,
    unit_for,
)
from caremarket.core import clock
from caremarket.engine.lifecycle import State
from caremarket.engine.pricing import money
from caremarket.frameworks.models import Appointment, Framework, PanelMember
from caremarket.market.models import Zone
from caremarket.providers.models import Provider

URGENT = {Referral.Urgency.HOSPITAL_DISCHARGE, Referral.Urgency.CRISIS}


def deadline_for(referral: Referral, now: datetime) -> datetime:
    """Per framework; shorter when someone is waiting to leave hospital or is in crisis."""
    framework = referral.framework
    hours = (
        48
        if framework is None
        else (
            framework.urgent_offer_window_hours
            if referral.urgency in URGENT
            else framework.offer_window_hours
        )
    )
    return now + timedelta(hours=hours)


def _zones(referral: Referral) -> list[Zone]:
    return [referral.zone, *referral.widened_to.exclude(pk=referral.zone_id).order_by("number")]


@transaction.atomic
def send_offers(referral: Referral, *, by: Any, widen_to: list[Zone] | None = None) -> int:
    """Offer the referral at once to every eligible provider (route 1), or again in a new
    round after widening to neighbouring zones. Returns how many offers went out."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.route != Framework.Route.FRAMEWORK_FIRST:
        raise BrokerageError("This referral is not sourced by offers to appointed providers.")
    if not referral.is_open:
        raise Conflict(f"{referral.reference} is {referral.get_state_display().lower()}.")
    if widen_to:
        allowed = set(referral.zone.neighbours.values_list("pk", flat=True))
        if any(z.pk not in allowed for z in widen_to):
            raise BrokerageError("You can only widen to zones next to the person's own.", "zones")
        referral.widened_to.add(*widen_to)
    now = clock.now()
    zones = _zones(referral)
    eligible = eligible_appointments(referral, zones, referral.start_date)
    previous = referral.offers.filter(kind=Offer.Kind.FRAMEWORK)
    round_ = (max((o.round for o in previous), default=0)) + 1
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
    deadline = deadline_for(referral, now)
    unit = unit_for(referral)
    made = Offer.objects.bulk_create(
        Offer(
            referral=referral,
            provider=a.provider,
            appointment=a,
            kind=Offer.Kind.FRAMEWORK,
            round=round_,
            sent_at=now,
            deadline=deadline,
            unit=unit,
            unit_price=a.price_on_start,
        )
        for a in eligible
    )
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
            _summary(referral),
        )
    return len(made)


@transaction.atomic
def refer_to_lead(referral: Referral, lead: Appointment, *, by: Any) -> Offer:
    """Route 2: the zone's lead provider accepts and delivers, or places it on its panel."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    now = clock.now()
    offer = Offer.objects.create(
        referral=referral,
        provider=lead.provider,
        appointment=lead,
        kind=Offer.Kind.LEAD,
        round=referral.offers.filter(kind=Offer.Kind.LEAD).count() + 1,
        sent_at=now,
        deadline=deadline_for(referral, now),
        unit=unit_for(referral),
        unit_price=price_for(referral, lead, [referral.zone], referral.start_date),
    )
    transition(referral, State.OFFERED, by, f"Referred to the lead provider, {lead.provider}.")
    notify(
        provider_addresses(lead.provider),
        f"Referral {referral.reference} for your zone",
        _summary(referral),
    )
    return offer


def _locked_offer(offer_id: int, provider: Provider, now: datetime) -> tuple[Offer, Referral]:
    """Lock the referral first, then its offer (the same order everywhere: no deadlocks)."""
    referral_id = Offer.objects.filter(pk=offer_id).values_list("referral_id", flat=True).first()
    if referral_id is None:
        raise BrokerageError("No such offer.")
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    # Lock only the offer's own row: PostgreSQL refuses FOR UPDATE across the nullable join.
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("referral__framework")
        .get(pk=offer_id)
    )

    if offer.provider_id != provider.pk:
        raise BrokerageError("No such offer.")  # never confirm that another's offer exists
    if referral.state == State.AWARDED:
        raise Conflict(f"{referral.reference} has already been placed with another provider.")
    if referral.state == State.CANCELLED:
        raise Conflict(f"{referral.reference} was cancelled.")
    status = offer.effective_status(now)
    if status == Offer.Status.EXPIRED:
        raise DeadlinePassed(
            f"The deadline to answer passed at {clock.local(offer.deadline):%H:%M on %d %B %Y}."
        )
    if status not in (Offer.Status.OPEN, Offer.Status.PLACING):
        raise Conflict(
            f"This offer has already been answered ({offer.get_status_display().lower()})."
        )
    return offer, referral


@transaction.atomic
def accept(offer_id: int, *, provider: Provider, by: Any, quote: Decimal | None = None) -> Offer:
    """A provider accepts (route 1). Its zone price applies, or its quote where the framework
    takes bids. The broker then awards by the framework's rule."""
    now = clock.now()
    offer, referral = _locked_offer(offer_id, provider, now)
    if offer.kind != Offer.Kind.FRAMEWORK:
        raise BrokerageError("Use the lead provider or subcontract actions for this offer.")
    if referral.framework.pricing_model == Framework.PricingModel.BID:  # type: ignore[union-attr]
        if quote is None or quote <= 0:
            raise BrokerageError("Give your price: this framework takes a quote.", "quote")
        offer.unit_price = money(quote)
    elif offer.unit_price is None:
        raise BrokerageError("No price of yours is in force for this zone on the start date.")
    offer.status = Offer.Status.ACCEPTED
    offer.responded_at, offer.responded_by = now, by
    offer.save(update_fields=["status", "responded_at", "responded_by", "unit_price"])
    return offer


@transaction.atomic
def decline(offer_id: int, *, provider: Provider, by: Any, reason: str, detail: str = "") -> Offer:
    now = clock.now()
    offer, referral = _locked_offer(offer_id, provider, now)
    if reason not in Offer.DeclineReason.values:
        raise BrokerageError("Choose a reason for declining.", "reason")
    if reason == Offer.DeclineReason.OTHER and not detail.strip():
        raise BrokerageError("Say what the other reason is.", "detail")
    offer.status = Offer.Status.DECLINED
    offer.decline_reason, offer.decline_detail = reason, detail.strip()[:400]
    offer.responded_at, offer.responded_by = now, by
    offer.save(
        update_fields=["status", "decline_reason", "decline_detail", "responded_at", "responded_by"]
    )
    if offer.kind == Offer.Kind.SUBCONTRACT:
        lead_offer = Offer.objects.select_for_update().get(pk=offer.parent_id)
        lead_offer.status = Offer.Status.OPEN
        lead_offer.deadline = lead_offer.own_deadline or lead_offer.deadline
        lead_offer.save(update_fields=["status", "deadline"])
        lead = lead_offer.provider

        notify(
            provider_addresses(lead),
            f"{offer.provider} declined {referral.reference}",
            f"Deliver it yourself or choose another subcontractor. Reason: "
            f"{offer.get_decline_reason_display()}. {offer.decline_detail}",
        )
        fail_if_nobody_left(referral, now)  # the lead's own deadline may already have passed
    else:
        # A lead declining while it was placing the referral takes the placement back too.
        offer.subcontract_offers.filter(status=Offer.Status.OPEN).update(
            status=Offer.Status.WITHDRAWN, decline_detail="The lead provider declined it."
        )
        fail_if_nobody_left(referral, now)
    return offer


def fail_if_nobody_left(referral: Referral, now: datetime) -> bool:
    """Every offer declined or expired, none accepted: the referral joins the awaiting-care
    list. Called under the referral's lock by answers and by the worker."""
    offers = list(referral.offers.exclude(kind=Offer.Kind.SUBCONTRACT))
    if not offers or referral.state != State.OFFERED:
        return False
    statuses = {o.effective_status(now) for o in offers}
    if statuses & {Offer.Status.OPEN, Offer.Status.PLACING, Offer.Status.ACCEPTED}:
        return False
    transition(referral, State.AWAITING_CARE, None, "Every offer was declined or expired.")
    referral.next_action = "Widen to a neighbouring zone, escalate, or buy spot."
    referral.save(update_fields=["next_action"])
    return True


@transaction.atomic
def lead_delivers(offer_id: int, *, provider: Provider, by: Any) -> Offer:
    """Route 2: the lead provider takes the referral and delivers it itself."""
    now = clock.now()
    offer, referral = _locked_offer(offer_id, provider, now)
    if offer.kind != Offer.Kind.LEAD:
        raise BrokerageError("Only the lead provider's referral can be taken this way.")
    offer.status, offer.responded_at, offer.responded_by = Offer.Status.ACCEPTED, now, by
    offer.save(update_fields=["status", "responded_at", "responded_by"])
    awards.award_offer(
        referral,
        offer,
        delivering=offer.provider,
        by=by,
        reason=f"Placed with the lead provider for {referral.zone.label}, "
        f"{offer.provider}, who delivers it.",
    )
    return offer


@transaction.atomic
def lead_subcontracts(offer_id: int, *, provider: Provider, member: Provider, by: Any) -> Offer:
    """Route 2: the lead places the referral with a subcontractor from its panel, who must
    confirm. The lead's offer waits, placing, until then."""
    now = clock.now()
    offer, referral = _locked_offer(offer_id, provider, now)
    if offer.kind != Offer.Kind.LEAD or offer.status != Offer.Status.OPEN:
        raise BrokerageError("Only an open referral to you as lead can be subcontracted.")
    today = clock.today()
    on_panel = (
        PanelMember.objects.filter(
            prime=offer.appointment,
            provider=member,
            zones=referral.zone,
            joined_on__lte=today,
        )
        .exclude(left_on__lt=today)
        .exists()
    )
    if not on_panel:
        raise BrokerageError(f"{member} is not on your panel for {referral.zone.label}.", "member")
    if not can_meet(member, referral):
        raise BrokerageError(f"{member} cannot meet these needs.", "member")
    sub = Offer.objects.create(
        referral=referral,
        provider=member,
        kind=Offer.Kind.SUBCONTRACT,
        parent=offer,
        round=referral.offers.filter(kind=Offer.Kind.SUBCONTRACT, provider=member).count() + 1,
        sent_at=now,
        deadline=max(offer.deadline, now + timedelta(hours=4)),
        unit=offer.unit,
        unit_price=offer.unit_price,
    )
    # The lead has decided; the referral now waits on the placement, so the lead's offer
    # stays live exactly as long as the subcontractor has to confirm.
    offer.own_deadline = offer.own_deadline or offer.deadline
    offer.status, offer.deadline = Offer.Status.PLACING, sub.deadline
    offer.save(update_fields=["status", "deadline", "own_deadline"])
    notify(
        provider_addresses(member),
        f"{provider} asks you to deliver {referral.reference}",
        _summary(referral),
    )
    return sub


@transaction.atomic
def subcontractor_confirms(offer_id: int, *, provider: Provider, by: Any) -> Offer:
    now = clock.now()
    offer, referral = _locked_offer(offer_id, provider, now)
    if offer.kind != Offer.Kind.SUBCONTRACT:
        raise BrokerageError("This is not a subcontract placement.")
    lead_offer = Offer.objects.select_for_update().get(pk=offer.parent_id)
    if lead_offer.effective_status(now) != Offer.Status.PLACING:
        raise Conflict("The lead provider no longer asks you to place this referral.")
    offer.status, offer.responded_at, offer.responded_by = Offer.Status.ACCEPTED, now, by

    offer.save(update_fields=["status", "responded_at", "responded_by"])
    awards.award_offer(
        referral,
        lead_offer,
        delivering=offer.provider,
        by=by,
        reason=f"Placed with the lead provider for {referral.zone.label}, "
        f"{lead_offer.provider}, and delivered by {offer.provider} from its panel.",
    )
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.AWARDED)
    return offer


def panel_for(offer: Offer, today: Any) -> list[Provider]:
    """The subcontractors a lead may choose for this referral: on its panel for the zone,
    and able to meet the person's needs and care group."""
    return [
        m.provider
        for m in PanelMember.objects.filter(
            prime=offer.appointment,
            zones=offer.referral.zone,
            joined_on__lte=today,
        )
        .exclude(left_on__lt=today)
        .select_related("provider")
        .prefetch_related("provider__specialisms")
        .order_by("provider__name")
        if can_meet(m.provider, offer.referral)
    ]


def _summary(referral: Referral) -> str:
    needs = ", ".join(n.name for n in referral.needs.all()) or "none recorded"
    return (
        f"Referral {referral.reference}: {referral.service_type.name}, {referral.amount_label}, "
        f"from {referral.start_date:%d %B %Y}, {referral.zone.label} "
        f"({referral.person.postcode_district}). Needs: {needs}.\n"
        "Answer in caremarket: My inbox."
    )


@transaction.atomic
def offer_to(
    referral: Referral, appointment: Appointment, *, by: Any, note: str = ""
) -> Offer | None:
    """Route 1, targeted: offer the referral to one provider (a suggested placement) in a new
    round, leaving any open offers from earlier rounds standing. None if that provider
    already holds a live or accepted offer for it."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise Conflict(f"{referral.reference} is {referral.get_state_display().lower()}.")
    if referral.route != Framework.Route.FRAMEWORK_FIRST or appointment.lot_id != referral.lot_id:
        raise BrokerageError(
            f"{appointment.provider} is not on the lot that sources {referral.reference}."
        )
    now = clock.now()
    held = referral.offers.filter(provider=appointment.provider, kind=Offer.Kind.FRAMEWORK)
    if (
        held.filter(Offer.live_q(now)).exists()
        or held.filter(status=Offer.Status.ACCEPTED).exists()
    ):
        return None
    zones = _zones(referral)
    eligible = {a.pk for a in eligible_appointments(referral, zones, referral.start_date)}
    if appointment.pk not in eligible:
        raise BrokerageError(f"{appointment.provider} cannot take {referral.reference}.")
    round_ = (
        max((o.round for o in referral.offers.filter(kind=Offer.Kind.FRAMEWORK)), default=0) + 1
    )
    offer = Offer.objects.create(
        referral=referral,
        provider=appointment.provider,
        appointment=appointment,
        kind=Offer.Kind.FRAMEWORK,
        round=round_,
        sent_at=now,
        deadline=deadline_for(referral, now),
        unit=unit_for(referral),
        unit_price=price_for(referral, appointment, zones, referral.start_date),
    )
    transition(referral, State.OFFERED, by, note or f"Offered to {appointment.provider}.")
    notify(
        provider_addresses(appointment.provider),
        f"New referral {referral.reference}",
        _summary(referral),
    )
    return offer


def source_again(referral: Referral, *, by: Any, widen_to: list[Zone] | None = None) -> int:
    """The broker's "try again", by the referral's own route: a new round of offers (widened
    to neighbouring zones if asked), or the zone's lead provider once more. Returns how many
    providers were asked."""
    if referral.route == Framework.Route.PRIME_PROVIDER:
        plan = plan_route(
            referral.commissioner,
            referral.service_type,
            referral.zone,
            referral.start_date,
            referral.person.care_group,
        )
        if plan.lead is None:
            raise BrokerageError(f"{referral.zone.label} has no lead provider any more.")
        refer_to_lead(referral, plan.lead, by=by)
        return 1
    return send_offers(referral, by=by, widen_to=widen_to)
