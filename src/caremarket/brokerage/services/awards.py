"""Awards: exactly one per referral, always with the reason.

Every path to an award locks the referral row first (``select_for_update``), re-reads its
state, and only then writes; the one-to-one ``Award.referral`` is the backstop the database
holds. So when providers accept and brokers confirm at the same moment, one award is made
and everyone else is told, clearly, that the referral is already placed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from caremarket.brokerage.models import Award, Offer, Referral
from caremarket.brokerage.services import agreements
from caremarket.brokerage.services.common import (
    notify,
    provider_addresses,
    transition,
    withdraw_open_offers,
)
from caremarket.brokerage.services.errors import BrokerageError, Conflict
from caremarket.brokerage.services.routing import unit_for, units_per_week
from caremarket.brokerage.waiting import is_awaiting
from caremarket.core import clock
from caremarket.engine import award as rules
from caremarket.engine.lifecycle import State
from caremarket.engine.pricing import money
from caremarket.frameworks.models import Framework
from caremarket.providers.models import Provider


def _candidates(referral: Referral) -> list[rules.Candidate]:
    accepted = referral.offers.filter(kind=Offer.Kind.FRAMEWORK, status=Offer.Status.ACCEPTED)
    return [
        rules.Candidate(
            key=o.pk,
            provider=o.provider.display_name,
            price=o.unit_price or Decimal("0"),
            quality=o.appointment.quality_score if o.appointment else None,
            responded_at=o.responded_at or o.sent_at,
        )
        for o in accepted.select_related("provider", "appointment")
    ]


def ranking(referral: Referral, *, chosen_offer: int | None = None) -> rules.Ranking | None:
    """The acceptances ranked by the framework's published rule (None until one arrives)."""
    candidates = _candidates(referral)
    if not candidates or referral.framework is None:
        return None
    framework = referral.framework
    rule = framework.award_rule
    if rule == rules.Rule.PERSON_CHOICE and chosen_offer is None:
        rule = rules.Rule.FIRST_TO_ACCEPT  # shown in response order until the person chooses
    return rules.rank(
        candidates,
        rule,
        quality_weight=framework.quality_weight,
        price_weight=framework.price_weight,
        chosen_key=chosen_offer,
    )


def scores_of(ranked: rules.Ranking, key: str) -> list[dict[str, Any]]:
    """Every candidate's scores and rank, as the award stores them ("every award records why")."""
    return [
        {
            key: r.candidate.key,
            "provider": r.candidate.provider,
            "rank": r.rank,
            "price": str(r.candidate.price),
            "price_score": str(r.price_score),
            "quality_score": str(r.quality_score),
            "total": str(r.total),
        }
        for r in ranked.ranked
    ]


def ready_to_award(referral: Referral, now: Any) -> tuple[bool, str]:
    """Whether the broker may award now: an acceptance is in, and the offer window has
    closed (or the framework lets the broker award as soon as one arrives)."""
    framework = referral.framework
    # Awaiting care (its start date passed) does not undo an acceptance already in.
    if referral.state not in (State.OFFERED, State.AWAITING_CARE) or framework is None:
        return False, "Only a referral out to providers can be awarded."
    if not referral.offers.filter(kind=Offer.Kind.FRAMEWORK, status=Offer.Status.ACCEPTED).exists():
        return False, "No provider has accepted yet."
    live = referral.offers.filter(Offer.live_q(now), kind=Offer.Kind.FRAMEWORK)
    if live.exists() and not framework.award_before_window_closes:
        closes = max(o.deadline for o in live)
        return False, (
            f"Offers are open until {clock.local(closes):%H:%M on %d %B}; this "
            "framework awards when the window closes."
        )
    return True, ""


@transaction.atomic
def confirm(referral_id: int, *, by: Any, chosen_offer: int | None = None, note: str = "") -> Award:
    """The broker confirms the award to the acceptance the rule ranks first (or the one the
    person chose, where the framework gives the person the choice)."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("framework")
        .get(pk=referral_id)
    )

    if referral.state == State.AWARDED:
        raise Conflict(
            f"{referral.reference} is already placed with {referral.award.delivering_provider}."
        )
    now = clock.now()
    ok, why = ready_to_award(referral, now)
    if not ok:
        raise BrokerageError(why)
    framework = referral.framework
    assert framework is not None
    if framework.award_rule == rules.Rule.PERSON_CHOICE and chosen_offer is None:
        raise BrokerageError("Record which provider the person chose.", "chosen_offer")
    try:
        ranked = ranking(referral, chosen_offer=chosen_offer)
    except rules.AwardRuleError as exc:
        raise BrokerageError(str(exc), "chosen_offer") from exc
    assert ranked is not None
    winner = Offer.objects.select_for_update().get(pk=ranked.winner.candidate.key)
    reason = ranked.reason + (f" Broker's note: {note.strip()}" if note.strip() else "")
    scores = scores_of(ranked, "offer")
    award = award_offer(
        referral,
        winner,
        delivering=winner.provider,
        by=by,
        reason=reason,
        public_reason=ranked.public_reason,
        rule=str(ranked.rule),
        scores=scores,
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
        raise BrokerageError("No price applies to this offer, so it cannot be awarded.")
    award = _write_award(
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


def _write_award(
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
    if referral.state == State.AWARDED:
        raise Conflict(f"{referral.reference} has already been placed.")
    try:
        with transaction.atomic():
            award = Award.objects.create(
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
                decided_by=by if getattr(by, "pk", None) else None,
                decided_at=clock.now(),
            )
    except IntegrityError as exc:  # the database's own guard against a second award
        raise Conflict(f"{referral.reference} has already been placed.") from exc
    withdraw_open_offers(
        referral, "Placed with another provider.", except_pk=offer.pk if offer else None
    )
    transition(referral, State.AWARDED, by, reason)
    agreements.create_for(award, referral=referral, units=units_per_week(referral), by=by)
    notify(
        [*provider_addresses(provider), *provider_addresses(delivering)],
        f"{referral.reference} is yours from {referral.start_date:%d %B %Y}",
        award.reason_for_providers,
    )

    notify([referral.raised_by.email], f"{referral.reference} is placed", reason)
    return award


@transaction.atomic
def spot_purchase(
    referral_id: int, *, by: Any, provider: Provider, unit_price: Decimal, reason: str
) -> Award:
    """Route 4: off-framework, only when the routes above have failed (or none exists),
    and only with the reason recorded."""
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    if referral.state == State.AWARDED:
        raise Conflict(f"{referral.reference} is already placed.")
    if referral.route != Framework.Route.SPOT and not is_awaiting(referral, clock.now()):
        raise BrokerageError(
            "Spot purchase is only for a referral the framework could not "
            "place: it must be on the awaiting-care list first."
        )
    if not reason.strip():
        raise BrokerageError("Record why this care is bought off-framework.", "reason")
    if unit_price is None or unit_price <= 0:
        raise BrokerageError("Give the price agreed with the provider.", "unit_price")
    referral.spot_reason = reason.strip()
    referral.route = Framework.Route.SPOT
    referral.save(update_fields=["spot_reason", "route"])
    return _write_award(
        referral,
        offer=None,
        provider=provider,
        delivering=provider,
        unit=unit_for(referral),
        unit_price=money(unit_price),
        by=by,
        rule="spot",
        scores=[],
        reason=f"Spot purchase from {provider}: {reason.strip()}",
    )
