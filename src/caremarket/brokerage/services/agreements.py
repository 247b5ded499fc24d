"""Service agreements: varied from a date, ended with a reason (an award starts each one:
``services.awards``). Ending one the provider handed back can source the care again, so this
module sits above ``referrals`` in the services' layers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from caremarket.brokerage.models import (
    AgreementVariation,
    Referral,
    ServiceAgreement,
)
from caremarket.brokerage.presenters import agreement_seen_by
from caremarket.brokerage.services.common import notify
from caremarket.brokerage.services.referrals import ReferralInput, raise_referral
from caremarket.core import clock
from caremarket.core.errors import Invalid
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
) -> AgreementVariation:
    """Change the hours (or the band rate) from a date: never backdated, never before the
    agreement starts, never after it ends."""
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement_id)
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
    current = agreement.terms_on(effective_from)
    price = unit_price or (current.unit_price if current else agreement.award.unit_price)
    if agreement.variations.filter(effective_from=effective_from).exists():
        # Terms are never overwritten (the award's least of all): a correction is a new date.
        raise Invalid(
            f"The terms already change on {effective_from:%d %B %Y}. Choose another date.",
            "effective_from",
        )
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

    hours = f"From {effective_from:%d %B %Y}: {units_per_week} {agreement.unit}s a week"
    for provider in dict.fromkeys([agreement.provider, agreement.delivering_provider]):
        priced = agreement_seen_by(provider.pk, agreement).shows_price
        notify(
            [provider.email],
            f"{agreement.reference} varied",
            f"{hours}{f' at £{price}' if priced else ''}. {reason.strip()}",
        )
    return variation


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
    data = ReferralInput(
        service_type=old.service_type,
        start_date=from_date,
        urgency=old.urgency,
        outcomes=old.outcomes,
        hours_per_week=old.hours_per_week,
        sessions_per_week=old.sessions_per_week,
        band_level=old.band.level if old.band else "",
        calls_per_day=old.calls_per_day,
        times_of_day=[t for t in old.times_of_day.split(",") if t],
        minutes_per_call=old.minutes_per_call,
        double_handed=old.double_handed,
        needs=list(old.needs.exclude(code="double-handed")),
    )
    return raise_referral(by, old.commissioner, data, person=old.person)
