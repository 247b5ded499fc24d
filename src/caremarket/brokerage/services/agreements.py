"""Service agreements: varied from a date, ended with a reason (an award starts each one:
``services.awards``). Ending one the provider handed back can source the care again, so this
module sits above ``referrals`` in the services' layers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from caremarket.brokerage import rules, visit_pattern
from caremarket.brokerage.models import (
    AgreementVariation,
    Referral,
    ServiceAgreement,
)
from caremarket.brokerage.presenters import agreement_seen_by
from caremarket.brokerage.services.common import decided_by, notify
from caremarket.brokerage.services.referrals import ReferralInput, raise_referral
from caremarket.core import clock
from caremarket.core.errors import Invalid, NotFound
from caremarket.engine.pricing import weekly_cost


@transaction.atomic
def vary(
    agreement_id: int,
    *,
    by: Any,
    effective_from: date,
    units_per_week: Decimal,
    reason: str,
    unit_price: Decimal | None = None,
    correcting: bool = False,
) -> AgreementVariation:
    """Change the hours (or the price) from a date: never backdated, never before the
    agreement starts, never after it ends. The writer every variation goes through, a fee
    review's or a band review's too (``pricing``); a broker's comes through
    ``variations.broker_vary``.

    ``correcting``: the variation already made for that date was a mistake, and these terms
    replace it on the same date (only one not yet paid for: today or later, and never the
    award's own terms); its history keeps what it said before."""
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement_id)
    refuse_bad_terms(agreement, effective_from, units_per_week, unit_price, reason)
    same_day = agreement.variations.filter(effective_from=effective_from).first()
    if correcting:
        variation = _correct(agreement, same_day, effective_from, units_per_week, unit_price)
        variation.reason, variation.by, variation.at = reason.strip(), by, clock.now()
        variation._change_reason = f"Corrected: {reason.strip()}"  # type: ignore[attr-defined]
        variation._history_user = decided_by(by)  # type: ignore[attr-defined]
        variation.save()
    else:
        if same_day is not None:
            # Terms are never overwritten by accident (the award's least of all).
            raise Invalid(
                f"The terms already change on {effective_from:%d %B %Y}. Choose another date, "
                "or say this corrects that variation.",
                "effective_from",
            )
        current = agreement.terms_on(effective_from)
        price = unit_price or (current.unit_price if current else agreement.award.unit_price)
        variation = AgreementVariation.objects.create(
            agreement=agreement,
            effective_from=effective_from,
            units_per_week=units_per_week,
            unit_price=price,
            weekly_cost=weekly_cost(units_per_week, price),
            reason=reason.strip(),
            by=by,
            at=clock.now(),
        )
    what = "corrected" if correcting else "varied"
    _tell_providers(agreement, variation, f"{agreement.reference} {what}", reason.strip())
    return variation


def refuse_bad_terms(
    agreement: ServiceAgreement,
    effective_from: date,
    units_per_week: Decimal,
    unit_price: Decimal | None,
    reason: str,
) -> None:
    """New terms that could stand: from today or later, within the agreement, sane units and
    price, and why. The first fault is refused, naming its field."""
    today = clock.today()
    errors = []
    if effective_from < max(today, agreement.start_date):
        errors.append(
            (
                "effective_from",
                "A variation takes effect today or later, and not before the agreement starts.",
            )
        )
    if agreement.end_date and effective_from > agreement.end_date:
        errors.append(("effective_from", "The agreement has ended by then."))
    if units_per_week is None or not Decimal("0") < units_per_week <= 168:
        errors.append(("units_per_week", "Units a week must be more than 0 and at most 168."))
    if unit_price is not None and unit_price <= 0:
        errors.append(("unit_price", "The price must be more than zero."))
    if not reason.strip():
        errors.append(("reason", "Say why the agreement is varied."))
    if errors:
        raise Invalid(errors[0][1], errors[0][0])


def _correct(
    agreement: ServiceAgreement,
    variation: AgreementVariation | None,
    on: date,
    units: Decimal,
    unit_price: Decimal | None,
) -> AgreementVariation:
    """The variation of that date with its terms replaced (unsaved), or the refusal."""
    if variation is None:
        raise Invalid(f"No variation takes effect on {on:%d %B %Y} to correct.", "effective_from")
    _refuse_unless_the_brokers(agreement, variation, "corrected")
    variation.units_per_week = units
    variation.unit_price = unit_price or variation.unit_price
    variation.weekly_cost = weekly_cost(units, variation.unit_price)
    return variation


def _refuse_unless_the_brokers(
    agreement: ServiceAgreement, variation: AgreementVariation, done: str
) -> None:
    """Only a broker's own variation can be corrected or withdrawn: not the terms the award
    agreed, nor a fee review's or a band review's (those are undone where they were made)."""
    first = agreement.variations.order_by("effective_from", "pk").first()
    if first is not None and first.pk == variation.pk:
        raise Invalid(
            f"These are the terms agreed at award: they cannot be {done}.", "effective_from"
        )
    made_by = [
        label
        for name, label in (("repricing", "fee review"), ("band_review", "band review"))
        if hasattr(variation, name)
    ]
    if made_by:
        raise Invalid(
            f"This variation was made by a {made_by[0]}: it can only be {done} there.",
            "effective_from",
        )


def price_follows_framework(agreement: ServiceAgreement) -> bool:
    """Whether the framework sets this agreement's price (a provider's zone price, a fixed or
    banded rate): only a fee review or a band review changes it, never a broker's variation.
    A spot purchase's price, or a bid's, was agreed with the provider, so it may be varied."""
    award = agreement.award
    framework = None
    if award.referral is not None:
        framework = award.referral.framework
    elif award.competition is not None:
        framework = award.competition.lot.framework
    return rules.price_follows_framework(
        award.route, framework.pricing_model if framework else None
    )


@transaction.atomic
def withdraw_variation(variation_id: int, *, by: Any, reason: str) -> ServiceAgreement:
    """Withdraw a broker's variation before it takes effect: the terms before it stand. The
    row goes; its history (``simple_history``) keeps what it said, who withdrew it and why."""
    found = AgreementVariation.objects.filter(pk=variation_id).first()
    if found is None:
        raise NotFound("No such variation.")
    agreement = ServiceAgreement.objects.select_for_update().get(pk=found.agreement_id)
    variation = AgreementVariation.objects.get(pk=variation_id)
    if not reason.strip():
        raise Invalid("Say why the variation is withdrawn.", "reason")
    if variation.effective_from <= clock.today():
        raise Invalid(
            f"The variation of {variation.effective_from:%d %B %Y} is in effect: vary the "
            "agreement again instead.",
            "variation",
        )
    _refuse_unless_the_brokers(agreement, variation, "withdrawn")
    variation._history_user = decided_by(by)  # type: ignore[attr-defined]
    variation._change_reason = f"Withdrawn: {reason.strip()}"  # type: ignore[attr-defined]
    variation.delete()
    subject = (
        f"{agreement.reference}: the variation of {variation.effective_from:%d %B %Y} withdrawn"
    )
    _tell_providers(agreement, None, subject, reason.strip())
    return agreement


def _tell_providers(
    agreement: ServiceAgreement, variation: AgreementVariation | None, subject: str, why: str
) -> None:
    for provider in dict.fromkeys([agreement.provider, agreement.delivering_provider]):
        terms = ""
        if variation is not None:
            priced = agreement_seen_by(provider.pk, agreement).shows_price
            terms = (
                f"From {variation.effective_from:%d %B %Y}: {variation.units_per_week} "
                f"{agreement.unit}s a week{f' at £{variation.unit_price}' if priced else ''}. "
            )
        notify([provider.email], subject, f"{terms}{why.strip()}")


@transaction.atomic
def end(
    agreement_id: int, *, by: Any, end_date: date, reason: str, resource: bool = False
) -> ServiceAgreement:
    """End an agreement. A package handed back by the provider can go straight back to
    sourcing as a new referral with the same needs."""
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement_id)
    if agreement.end_date is not None:
        raise Invalid("This agreement has already ended.")
    if reason not in ServiceAgreement.EndReason.values:
        raise Invalid("Choose why the agreement ends.", "end_reason")
    if end_date < agreement.start_date:
        raise Invalid("An agreement cannot end before it starts.", "end_date")
    agreement.end_date, agreement.end_reason = end_date, reason
    agreement.save(update_fields=["end_date", "end_reason"])
    if resource and reason == ServiceAgreement.EndReason.HANDED_BACK and agreement.award.referral:
        _resource(agreement.award.referral, by=by, from_date=max(end_date, clock.today()))
    return agreement


def _resource(old: Referral, *, by: Any, from_date: date) -> Referral:
    """The same needs, sourced again. A visit pattern recorded before hours and pattern had
    to agree is left out where it contradicts the hours (the hours are what was bought)."""
    pattern = bool(
        old.hours_per_week is None
        or old.calls_per_day is None
        or old.minutes_per_call is None
        or not visit_pattern.contradiction(
            old.hours_per_week, old.calls_per_day, old.minutes_per_call
        )
    )
    data = ReferralInput(
        service_type=old.service_type,
        start_date=from_date,
        urgency=old.urgency,
        outcomes=old.outcomes,
        hours_per_week=old.hours_per_week,
        sessions_per_week=old.sessions_per_week,
        band_level=old.band.level if old.band else "",
        calls_per_day=old.calls_per_day if pattern else None,
        times_of_day=[t for t in old.times_of_day.split(",") if t],
        minutes_per_call=old.minutes_per_call if pattern else None,
        double_handed=old.double_handed,
        needs=list(old.needs.exclude(code="double-handed")),
    )
    return raise_referral(by, old.commissioner, data, person=old.person)
