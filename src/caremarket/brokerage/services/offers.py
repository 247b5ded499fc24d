"""Providers' answers to the offers put to them (``services.sourcing``): accept, decline, and
for a lead provider deliver or subcontract, which its panel member confirms.

Deadlines hold without a worker: every answer checks the deadline against the clock at the
moment it is written, under the referral's row lock, so an offer past its deadline cannot be
accepted even if no process has yet marked it expired.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from caremarket.brokerage import rules
from caremarket.brokerage.models import Offer, Referral
from caremarket.brokerage.presenters import referral_summary
from caremarket.brokerage.routing import can_meet
from caremarket.brokerage.services import awards, inbox
from caremarket.brokerage.services.common import (
    notify,
    provider_addresses,
    transition,
)
from caremarket.core import clock
from caremarket.core.errors import Conflict, DeadlinePassed, Invalid
from caremarket.engine.lifecycle import State
from caremarket.engine.pricing import money
from caremarket.frameworks.models import Framework, PanelMember
from caremarket.providers.models import Provider


def _locked_offer(
    offer_id: int, provider: Provider, *, kind: str | None = None, otherwise: str = ""
) -> tuple[Offer, Referral, datetime]:
    """The provider's offer still open to an answer (of ``kind``, if given; else refused
    with ``otherwise``), with its referral and the moment of answering. Locks the referral
    first, then the offer (the same order everywhere: no deadlocks)."""
    now = clock.now()
    referral_id = Offer.objects.filter(pk=offer_id).values_list("referral_id", flat=True).first()
    if referral_id is None:
        raise Invalid("No such offer.")
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    # Lock only the offer's own row: PostgreSQL refuses FOR UPDATE across the nullable join.
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("referral__framework")
        .get(pk=offer_id)
    )

    if offer.provider_id != provider.pk:
        raise Invalid("No such offer.")  # never confirm that another's offer exists
    referral.refuse_if_placed()
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
    if kind is not None and offer.kind != kind:
        raise Invalid(otherwise)
    return offer, referral, now


@transaction.atomic
def accept(offer_id: int, *, provider: Provider, by: Any, quote: Decimal | None = None) -> Offer:
    """A provider accepts (route 1). Its zone price applies, or its quote where the framework
    takes bids. The broker then awards by the framework's rule."""
    offer, referral, now = _locked_offer(
        offer_id,
        provider,
        kind=Offer.Kind.FRAMEWORK,
        otherwise="Use the lead provider or subcontract actions for this offer.",
    )
    if referral.framework.pricing_model == Framework.PricingModel.BID:  # type: ignore[union-attr]
        if quote is None or quote <= 0:
            raise Invalid("Give your price: this framework takes a quote.", "quote")
        offer.unit_price = money(quote)
    elif offer.unit_price is None:
        raise Invalid("No price of yours is in force for this zone on the start date.")
    _answer(offer, Offer.Status.ACCEPTED, now, by, "unit_price")
    return offer


@transaction.atomic
def decline(offer_id: int, *, provider: Provider, by: Any, reason: str, detail: str = "") -> Offer:
    offer, referral, now = _locked_offer(offer_id, provider)
    if reason not in Offer.DeclineReason.values:
        raise Invalid("Choose a reason for declining.", "reason")
    if reason == Offer.DeclineReason.OTHER and not detail.strip():
        raise Invalid("Say what the other reason is.", "detail")
    offer.decline_reason, offer.decline_detail = reason, detail.strip()[:400]
    _answer(offer, Offer.Status.DECLINED, now, by, "decline_reason", "decline_detail")
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
    else:
        # A lead declining while it was placing the referral takes the placement back too.
        offer.subcontract_offers.filter(status=Offer.Status.OPEN).update(
            status=Offer.Status.WITHDRAWN, decline_detail="The lead provider declined it."
        )
    # After a subcontractor's no, the lead's own deadline may already have passed.
    fail_if_nobody_left(referral, now)
    return offer


def _award_to_lead(referral: Referral, lead_offer: Offer, *, delivering: Provider, by: Any) -> None:
    """Route 2's award: placed with the zone's lead, delivered by it or by its panel member."""
    lead = lead_offer.provider
    how = (
        "who delivers it"
        if delivering.pk == lead.pk
        else f"and delivered by {delivering} from its panel"
    )
    awards.award_offer(
        referral,
        lead_offer,
        delivering=delivering,
        by=by,
        reason=f"Placed with the lead provider for {referral.zone.label}, {lead}, {how}.",
    )


def _answer(offer: Offer, status: str, now: datetime, by: Any, *fields: str) -> None:
    """Write a provider's answer down: what, when, who (and any ``fields`` set with it)."""
    offer.status, offer.responded_at, offer.responded_by = status, now, by
    offer.save(update_fields=["status", "responded_at", "responded_by", *fields])
    inbox.provider_answered(offer)


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
    not_lead = "Only the lead provider's referral can be taken this way."
    offer, referral, now = _locked_offer(
        offer_id, provider, kind=Offer.Kind.LEAD, otherwise=not_lead
    )
    _answer(offer, Offer.Status.ACCEPTED, now, by)
    _award_to_lead(referral, offer, delivering=offer.provider, by=by)
    return offer


@transaction.atomic
def lead_subcontracts(offer_id: int, *, provider: Provider, member: Provider, by: Any) -> Offer:
    """Route 2: the lead places the referral with a subcontractor from its panel, who must
    confirm. The lead's offer waits, placing, until then."""
    only_open = "Only an open referral to you as lead can be subcontracted."
    offer, referral, now = _locked_offer(
        offer_id, provider, kind=Offer.Kind.LEAD, otherwise=only_open
    )
    if offer.status != Offer.Status.OPEN:
        raise Invalid(only_open)
    today = clock.today()
    on_panel = (
        PanelMember.objects.live(today)
        .filter(prime=offer.appointment, provider=member, zones=referral.zone)
        .exists()
    )
    if not on_panel:
        raise Invalid(f"{member} is not on your panel for {referral.zone.label}.", "member")
    if not can_meet(member, referral):
        raise Invalid(f"{member} cannot meet these needs.", "member")
    sub = Offer.objects.create(
        referral=referral,
        provider=member,
        kind=Offer.Kind.SUBCONTRACT,
        parent=offer,
        round=referral.offers.filter(kind=Offer.Kind.SUBCONTRACT, provider=member).count() + 1,
        sent_at=now,
        deadline=rules.subcontract_deadline(offer.deadline, now),
        unit=offer.unit,
        unit_price=offer.unit_price,
    )
    # The lead has decided; the referral now waits on the placement, so the lead's offer
    # stays live exactly as long as the subcontractor has to confirm.
    offer.own_deadline = offer.own_deadline or offer.deadline
    offer.status, offer.deadline = Offer.Status.PLACING, sub.deadline
    # Choosing a subcontractor is the lead's answer: when and who, for the timeline.
    offer.responded_at, offer.responded_by = now, by
    offer.save(update_fields=["status", "deadline", "own_deadline", "responded_at", "responded_by"])
    notify(
        provider_addresses(member),
        f"{provider} asks you to deliver {referral.reference}",
        referral_summary(referral),
    )
    inbox.offers_arrived([sub])
    return sub


@transaction.atomic
def subcontractor_confirms(offer_id: int, *, provider: Provider, by: Any) -> Offer:
    """Route 2: the panel member the lead chose confirms; the referral is awarded to the lead,
    delivered by the member."""
    kind, not_sub = Offer.Kind.SUBCONTRACT, "This is not a subcontract placement."
    offer, referral, now = _locked_offer(offer_id, provider, kind=kind, otherwise=not_sub)
    lead_offer = Offer.objects.select_for_update().get(pk=offer.parent_id)
    if lead_offer.effective_status(now) != Offer.Status.PLACING:
        raise Conflict("The lead provider no longer asks you to place this referral.")
    _answer(offer, Offer.Status.ACCEPTED, now, by)
    _award_to_lead(referral, lead_offer, delivering=offer.provider, by=by)
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.AWARDED)
    return offer
