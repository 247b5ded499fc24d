"""Carrying a decided fee review into the live agreements: each is varied from the review's
effective date at its new price (``brokerage.services.agreements.vary``, which keeps the
old terms and tells the provider). A ``Repricing`` row per agreement makes it idempotent:
the decision reprices the agreements live then, and each worker pass (or ``fee_review
apply``) reprices those that started since; none is repriced twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction

from caremarket.brokerage.services import agreements as agreement_services
from caremarket.core import clock
from caremarket.pricing import selectors
from caremarket.pricing.models import FeeReview, Repricing


@dataclass
class RepricingResult:
    repriced: int = 0
    unchanged: int = 0
    clashes: list[str] = field(default_factory=list)  # agreements already varied that day


@transaction.atomic
def reprice(review: FeeReview, *, by: Any = None) -> RepricingResult:
    result = RepricingResult()
    if review.status != FeeReview.Status.APPROVED:
        return result
    done = set(review.repricings.values_list("agreement_id", flat=True))
    today = clock.today()
    for agreement in selectors.agreements_affected(review):
        if agreement.pk in done:
            continue
        step = selectors.repricing_step(review, agreement, today)
        on, terms, price = step.on, step.terms, step.price
        if step.skip is not None or terms is None or price is None:
            if terms is not None and price == terms.unit_price:
                result.unchanged += 1
            elif terms is not None:
                result.clashes.append(agreement.reference)
            continue
        variation = agreement_services.vary(
            agreement.pk,
            by=by,
            effective_from=on,
            units_per_week=terms.units_per_week,
            unit_price=price,
            reason=f"Fee review: {review.title}"[:240],
        )
        Repricing.objects.create(
            review=review,
            agreement=agreement,
            variation=variation,
            old_price=terms.unit_price,
            new_price=price,
        )
        result.repriced += 1
    return result


def reprice_due() -> int:
    """For the worker: reprice agreements that started since each due review's decision."""
    since = clock.today() - timedelta(days=366)
    due = FeeReview.objects.filter(status=FeeReview.Status.APPROVED, effective_from__gte=since)
    return sum(reprice(review).repriced for review in due)
