"""Awards: exactly one per referral (and per competition), always with the reason, and the
service agreement each one starts.

Every path to an award locks the referral row first (``select_for_update``), re-reads its
state (``Referral.refuse_if_placed``), and only then writes, through ``record_award``; the
one-to-one ``Award.referral`` is the backstop the database holds. So when providers accept
and brokers confirm at the same moment, one award is made and everyone else is told, clearly,
that the referral is already placed.

The lowest of the brokerage services: offers, competitions and spot purchases award through
it; nothing here imports another service but ``common``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from caremarket.brokerage import rules, spot
from caremarket.brokerage.awarding import ranking, ready_to_award
from caremarket.brokerage.models import (
    AgreementVariation,
    Award,
    Offer,
    Referral,
    ServiceAgreement,
    SpotApproval,
)
from caremarket.brokerage.presenters import award_seen_by
from caremarket.brokerage.routing import unit_for, units_per_week
from caremarket.brokerage.services.common import (
    decided_by,
    notify,
    prefix,
    provider_addresses,
    transition,
    withdraw_open_offers,
)
from caremarket.brokerage.waiting import is_awaiting
from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid
from caremarket.engine import award as engine_award
from caremarket.engine.lifecycle import State
from caremarket.engine.pricing import weekly_cost
from caremarket.frameworks.models import Framework
from caremarket.frameworks.rules import per_unit
from caremarket.providers.models import Provider
from caremarket.supported_living.models import Scheme


@transaction.atomic
def confirm(referral_id: int, *, by: Any, chosen_offer: int | None = None, note: str = "") -> Award:
    """The broker confirms the award to the acceptance the rule ranks first (or the one the
    person chose, where the framework gives the person the choice)."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("framework")
        .get(pk=referral_id)
    )
    referral.refuse_if_placed()
    ok, why = ready_to_award(referral, clock.now())
    if not ok:
        raise Invalid(why)
    framework = referral.framework
    assert framework is not None
    if framework.award_rule == engine_award.Rule.PERSON_CHOICE and chosen_offer is None:
        raise Invalid("Record which provider the person chose.", "chosen_offer")
    try:
        ranked = ranking(referral, chosen_offer=chosen_offer)
    except engine_award.AwardRuleError as exc:
        raise Invalid(str(exc), "chosen_offer") from exc
    assert ranked is not None
    winner = Offer.objects.select_for_update().get(pk=ranked.winner.candidate.key)
    award = award_offer(
        referral,
        winner,
        delivering=winner.provider,
        by=by,
        reason=rules.reason_with_note(ranked.reason, note),
        public_reason=ranked.public_reason,
        rule=str(ranked.rule),
        scores=rules.scores_record(ranked, "offer"),
    )
    losers = referral.offers.filter(kind=Offer.Kind.FRAMEWORK, status=Offer.Status.ACCEPTED)
    for offer in losers.select_related("provider"):
        notify(
            provider_addresses(offer.provider),
            f"{referral.reference} was placed elsewhere",
            "Thank you for accepting. The referral was awarded to another provider under "
            "the framework's published rule.",
        )
    losers.update(status=Offer.Status.NOT_SELECTED)
    return award


def award_offer(
    referral: Referral,
    offer: Offer,
    *,
    delivering: Provider,
    by: Any,
    reason: str,
    public_reason: str = "",
    rule: str = "",
    scores: list[dict[str, Any]] | None = None,
) -> Award:
    """Award an offer. The caller holds the referral's row lock."""
    if offer.unit_price is None:
        raise Invalid("No price applies to this offer, so it cannot be awarded.")
    award = _award_referral(
        referral,
        offer=offer,
        provider=offer.provider,
        delivering=delivering,
        unit=offer.unit or unit_for(referral),
        unit_price=offer.unit_price,
        by=by,
        reason=reason,
        public_reason=public_reason,
        rule=rule,
        scores=scores or [],
    )
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.AWARDED)
    return award


@transaction.atomic
def spot_purchase(
    referral_id: int,
    *,
    by: Any,
    provider: Provider,
    unit_price: Decimal,
    reason: str,
    below_band_reason: str = "",
    confirmed: bool = True,
    approval: SpotApproval | None = None,
) -> Award | spot.SpotQuote:
    """Route 4: off-framework, only when the routes above have failed (or none exists),
    and only with the reason recorded; from a provider registered for the service, at a price
    inside the band around the framework's prices (``brokerage.spot``), within the yearly
    cost the buyer's role may commit. With ``confirmed`` false nothing is bought: the quote
    (weekly and yearly cost, the band, and why it would need approval) comes back for the
    broker to confirm. Above the band or the buyer's limit it is bought only on a second
    person's ``approval`` (``services.spot_purchases.approve``: ``by`` is then the approver,
    whose own limit must cover the yearly cost)."""
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    referral.refuse_if_placed()
    if referral.route != Framework.Route.SPOT and not is_awaiting(referral, clock.now()):
        raise Invalid(
            "Spot purchase is only for a referral the framework could not "
            "place: it must be on the awaiting-care list first."
        )
    if not reason.strip():
        raise Invalid("Record why this care is bought off-framework.", "reason")
    if unit_price is None or unit_price <= 0:
        raise Invalid("Give the price agreed with the provider.", "unit_price")
    if not spot.registered_for(provider, referral):
        raise Invalid(
            f"{provider.display_name} is not registered for "
            f"{referral.service_type.name.lower()}: choose a provider that provides it.",
            "provider",
        )
    quoted = spot.quote(referral, unit_price, referral.start_date)
    _refuse_outside_guard_rails(quoted, by=by, below_band_reason=below_band_reason)
    if approval is not None and (
        approval.status != SpotApproval.Status.PENDING or approval.referral_id != referral.pk
    ):
        raise Conflict("This approval is not waiting for this referral.")
    why_approval = "" if approval is not None else spot.approval_needed(quoted, by)
    if not confirmed:
        return replace(quoted, approval_needed=why_approval)
    if why_approval:
        raise Invalid(f"{why_approval}: it needs a second person's approval.", "unit_price")
    why_low = below_band_reason.strip()
    explained = f" Below the framework band: {why_low}" if quoted.below_band else ""
    approved = ""
    if approval is not None:
        approved = (
            f" Approved by {approval_name(by)}, asked for by "
            f"{approval_name(approval.requested_by)}: {approval.needs_approval_because}."
        )
    referral.spot_reason = reason.strip()
    referral.route = Framework.Route.SPOT
    referral.save(update_fields=["spot_reason", "route"])
    return _award_referral(
        referral,
        offer=None,
        provider=provider,
        delivering=provider,
        unit=quoted.unit,
        unit_price=quoted.unit_price,
        by=by,
        rule="spot",
        scores=[],
        reason=f"Spot purchase from {provider}: {reason.strip()}{explained}{approved}",
    )


def approval_name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "the platform"


def _refuse_outside_guard_rails(quoted: spot.SpotQuote, *, by: Any, below_band_reason: str) -> None:
    """What no approval can lift: a price below the band with no explanation, and a buyer
    whose role may not buy spot at all. Each message carries the figures."""
    if quoted.below_band and not below_band_reason.strip():
        raise Invalid(
            f"£{quoted.unit_price} {per_unit(quoted.unit)} is below the band for this care "
            f"(£{quoted.band_low} to £{quoted.band_high}): explain how the provider can "
            "deliver it at this price.",
            "below_band_reason",
        )
    if spot.approval_limit(by) is None:
        raise Invalid("Your role may not buy care spot.", "unit_price")


def _award_referral(
    referral: Referral,
    *,
    offer: Offer | None,
    provider: Provider,
    delivering: Provider,
    unit: str,
    unit_price: Decimal,
    by: Any,
    reason: str,
    rule: str,
    scores: list[dict[str, Any]],
    public_reason: str = "",
) -> Award:
    """A referral's award by offer or spot purchase, and who is told."""
    award = Award(
        commissioner=referral.commissioner,
        referral=referral,
        offer=offer,
        provider=provider,
        delivering_provider=delivering,
        route=referral.route,
        rule=rule or (referral.framework.award_rule if referral.framework else ""),
        scores=scores,
        reason=reason,
        public_reason=public_reason or reason,
        unit=unit,
        unit_price=unit_price,
    )
    record_award(award, units=units_per_week(referral), by=by)
    notify(
        [*provider_addresses(provider), *provider_addresses(delivering)],
        f"{referral.reference} is yours from {referral.start_date:%d %B %Y}",
        award_seen_by(provider.pk, award).reason,
    )
    notify(
        [referral.raised_by.email],
        f"{referral.reference} is placed",
        award_seen_by(None, award).reason,
    )
    return award


def record_award(
    award: Award,
    *,
    units: Decimal,
    by: Any,
    schemes: list[Scheme] | None = None,
    start: date | None = None,
) -> Award:
    """The one writer of an award (given unsaved, with what was decided and why): saved with
    who decided and when, its referral (if any) placed and its open offers withdrawn, and
    the service agreement started (on ``start`` if given, e.g. a room booking's move-in
    date; else the referral's start date). The caller holds the row lock of the referral (or
    of the competition) and tells whoever should know."""
    referral, competition = award.referral, award.competition
    if referral is not None:
        referral.refuse_if_placed()
    award.decided_by, award.decided_at = decided_by(by), clock.now()
    try:
        with transaction.atomic():
            award.save(force_insert=True)
    except IntegrityError as exc:  # the database's own guard against a second award
        if competition is not None:
            raise Conflict(f"{competition.reference} has already been awarded.") from exc
        raise rules.already_placed(referral.reference) from exc  # type: ignore[union-attr]
    if referral is not None:
        framework = referral.framework
        early = bool(framework and framework.award_before_window_closes)
        note = rules.withdrawn_note(early=early)
        withdraw_open_offers(referral, note, except_pk=award.offer_id, tell=True)
        transition(referral, State.AWARDED, by, award.reason)
    _start_agreement(
        award,
        referral=referral,
        units=units,
        by=by,
        start=start or (referral.start_date if referral else clock.today()),
        schemes=schemes,
    )
    return award


def _start_agreement(
    award: Award,
    *,
    referral: Referral | None,
    units: Decimal,
    by: Any,
    start: date,
    schemes: list[Scheme] | None,
) -> ServiceAgreement:
    """The agreement an award starts. Its reference is the award's number, so making one takes
    no lock beyond the referral's: awards for different referrals never queue on each other."""
    commissioner = award.commissioner
    agreement = ServiceAgreement.objects.create(
        award=award,
        commissioner=commissioner,
        reference=f"{prefix(commissioner)}-A-{award.pk:06d}",
        person=referral.person if referral else None,
        provider=award.provider,
        delivering_provider=award.delivering_provider,
        unit=award.unit,
        start_date=start,
    )
    if schemes:
        agreement.schemes.set(schemes)
    AgreementVariation.objects.create(
        agreement=agreement,
        effective_from=start,
        units_per_week=units,
        unit_price=award.unit_price,
        weekly_cost=weekly_cost(units, award.unit_price),
        reason="Agreed at award.",
        by=decided_by(by),
        at=clock.now(),
    )
    return agreement
