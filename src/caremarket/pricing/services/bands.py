"""Band reviews (Staffordshire): a practitioner's review moves a person to another band from
a date; the agreement is varied at the new band's weekly rate (``agreements.vary`` keeps the
old terms and tells the provider), and the review keeps the reason and the evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from caremarket.brokerage.models import ServiceAgreement
from caremarket.brokerage.services import agreements as agreement_services
from caremarket.core.errors import Invalid
from caremarket.pricing import selectors
from caremarket.pricing.models import BandReview


@transaction.atomic
def review_band(
    agreement: ServiceAgreement,
    *,
    by: Any,
    level: str,
    effective_from: date | None,
    reason: str,
    evidence: str,
) -> BandReview:
    errors = {}
    if effective_from is None:
        errors["effective_from"] = "Enter the date the new band applies from."
    if not reason.strip():
        errors["reason"] = "Say why the band changes."
    if not evidence.strip():
        errors["evidence"] = "Record the evidence the review found."
    if errors:
        raise Invalid(errors)
    assert effective_from is not None
    held = selectors.band_held(agreement, effective_from)
    if held is None:
        raise Invalid("This agreement is not paid at a banded weekly rate.")
    new = selectors.band_in_force(held.framework_id, level, effective_from)
    if new is None:
        raise Invalid("That band has no rate in force on that date.", "level")
    if new.level == held.level:
        raise Invalid(f"The person is already in the {held.get_level_display()} band.", "level")
    terms = agreement.terms_on(effective_from) or agreement.current_terms(effective_from)
    variation = agreement_services.vary(
        agreement.pk,
        by=by,
        effective_from=effective_from,
        units_per_week=terms.units_per_week if terms else 1,  # type: ignore[arg-type]
        unit_price=new.weekly_rate,
        reason=f"Band review: {held.get_level_display()} to {new.get_level_display()}. "
        f"{reason.strip()}"[:240],
    )
    return BandReview.objects.create(
        agreement=agreement,
        from_band=held,
        to_band=new,
        effective_from=effective_from,
        reason=reason.strip(),
        evidence=evidence.strip(),
        variation=variation,
        by=by,
    )
