"""A spot purchase, bought at once or put to a second person: the broker's confirmed purchase
above the price band, or above the yearly cost the broker's role may commit, becomes a
``SpotApproval`` request; someone else whose own limit covers the yearly cost approves it
(and the award is made then, exactly once) or refuses it with a reason.

The figures the broker confirmed are the ones approved: the request keeps the price, units,
weekly and yearly cost and the band. The award itself is still written by
``awards.spot_purchase``, which re-checks everything that could have changed meanwhile (the
referral placed by another route, the provider no longer registered).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from caremarket.brokerage import spot
from caremarket.brokerage.models import Award, Referral, SpotApproval
from caremarket.brokerage.services import awards
from caremarket.brokerage.services.common import decided_by, notify
from caremarket.core import clock, roles
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.providers.models import Provider


@transaction.atomic
def buy(
    referral_id: int,
    *,
    by: Any,
    provider: Provider,
    unit_price: Decimal,
    reason: str,
    below_band_reason: str = "",
    confirmed: bool = True,
) -> Award | SpotApproval | spot.SpotQuote:
    """Unconfirmed: the quote (nothing written). Confirmed: the award, or, where a second
    person must approve, the request waiting for them (one at a time per referral)."""
    quoted = awards.spot_purchase(
        referral_id,
        by=by,
        provider=provider,
        unit_price=unit_price,
        reason=reason,
        below_band_reason=below_band_reason,
        confirmed=False,
    )
    assert isinstance(quoted, spot.SpotQuote)
    if not confirmed:
        return quoted
    if not quoted.approval_needed:
        return awards.spot_purchase(
            referral_id,
            by=by,
            provider=provider,
            unit_price=unit_price,
            reason=reason,
            below_band_reason=below_band_reason,
        )
    referral = Referral.objects.get(pk=referral_id)  # locked by the quote above
    waiting = SpotApproval.objects.filter(referral=referral, status=SpotApproval.Status.PENDING)
    if (first := waiting.first()) is not None:
        raise Conflict(
            f"A spot purchase for {referral.reference} from {first.provider.display_name} is "
            "already waiting for approval: it must be approved or refused first."
        )
    request = SpotApproval(
        commissioner=referral.commissioner,
        referral=referral,
        provider=provider,
        unit=quoted.unit,
        units_per_week=quoted.units_per_week,
        unit_price=quoted.unit_price,
        weekly_cost=quoted.weekly_cost,
        yearly_cost=quoted.yearly_cost,
        band_low=quoted.band_low,
        band_high=quoted.band_high,
        reason=reason.strip(),
        below_band_reason=below_band_reason.strip() if quoted.below_band else "",
        needs_approval_because=quoted.approval_needed[:400],
        requested_by=by,
        requested_at=clock.now(),
    )
    _saved_by(request, by)
    notify(
        _approvers(request),
        f"Spot purchase for {referral.reference} needs your approval",
        f"{awards.approval_name(by)} asks to buy {quoted.units_per_week} {quoted.unit}s a week "
        f"from {provider.display_name} at £{quoted.unit_price} (£{quoted.yearly_cost:,} a "
        f"year): {quoted.approval_needed}.",
    )
    return request


@transaction.atomic
def approve(approval_id: int, *, by: Any) -> Award:
    """The second person approves: not the one who asked, and with a limit covering the
    yearly cost. Approving again (a double click) returns the award already made."""
    request = _lock(approval_id, by)
    if request.status == SpotApproval.Status.APPROVED and request.decided_by_id == by.pk:
        assert request.award is not None
        return request.award
    _refuse_unless_pending(request)
    if request.requested_by_id == by.pk:
        raise Invalid("You asked for this purchase: someone else must approve it.")
    limit = spot.approval_limit(by)
    if limit is None:
        raise Invalid("Your role may not approve spot purchases.")
    if request.yearly_cost > limit:
        raise Invalid(
            f"This package costs £{request.yearly_cost:,} a year, above the £{limit:,} your "
            "role may approve: it needs someone with a higher limit."
        )
    award = awards.spot_purchase(
        request.referral_id,
        by=by,
        provider=request.provider,
        unit_price=request.unit_price,
        reason=request.reason,
        below_band_reason=request.below_band_reason,
        approval=request,
    )
    assert isinstance(award, Award)
    request.status, request.award = SpotApproval.Status.APPROVED, award
    request.decided_by, request.decided_at = decided_by(by), clock.now()
    _saved_by(request, by, update_fields=["status", "award", "decided_by", "decided_at"])
    notify(
        [request.requested_by.email],
        f"Spot purchase for {request.referral.reference} approved",
        f"{awards.approval_name(by)} approved it: {award.reason}",
    )
    return award


@transaction.atomic
def refuse(approval_id: int, *, by: Any, reason: str) -> SpotApproval:
    """Refused with a reason, which the broker who asked is told. Nothing is bought."""
    request = _lock(approval_id, by)
    _refuse_unless_pending(request)
    if spot.approval_limit(by) is None:
        raise Invalid("Your role may not decide spot purchases.")
    if not reason.strip():
        raise Invalid("Say why the purchase is refused.", "reason")
    request.status, request.decision_note = SpotApproval.Status.REFUSED, reason.strip()
    request.decided_by, request.decided_at = decided_by(by), clock.now()
    _saved_by(request, by, update_fields=["status", "decision_note", "decided_by", "decided_at"])
    notify(
        [request.requested_by.email],
        f"Spot purchase for {request.referral.reference} refused",
        f"{awards.approval_name(by)} refused it: {request.decision_note}",
    )
    return request


def _saved_by(request: SpotApproval, by: Any, **save: Any) -> None:
    """Saved, its history naming who acted (the API authenticates after the middleware that
    would otherwise name them)."""
    request._history_user = decided_by(by)  # type: ignore[attr-defined]
    request.save(**save)


def _lock(approval_id: int, by: Any) -> SpotApproval:
    """The request, locked; another council's is not found (as its pages are)."""
    request = (
        SpotApproval.objects.select_for_update(of=("self",))
        .select_related("referral", "provider", "requested_by", "award")
        .filter(pk=approval_id)
        .first()
    )
    if request is None or not (
        roles.is_platform(by) or request.commissioner_id == roles.commissioner_id_of(by)
    ):
        raise NotFound("No such spot purchase request.")
    return request


def _refuse_unless_pending(request: SpotApproval) -> None:
    if request.status != SpotApproval.Status.PENDING:
        raise Conflict(
            f"This spot purchase has already been {request.get_status_display().lower()}."
        )


def _approvers(request: SpotApproval) -> list[str]:
    """Who could approve it: the council's staff (not the one who asked) whose role's limit
    covers the yearly cost."""
    found = []
    staff = (
        get_user_model()
        .objects.filter(commissioner=request.commissioner, is_active=True)
        .exclude(pk=request.requested_by_id)
    )
    for user in staff:
        limit = spot.approval_limit(user)
        if limit is not None and request.yearly_cost <= limit:
            found.append(user.email)
    return found
