"""A broker's variation of an agreement, and the ones the provider must agree to first.

On an agreement whose price the framework sets (``agreements.price_follows_framework``) a
broker varies the hours only: a fee review or a band review changes the price. Where the
price was agreed with the provider (a spot purchase, a bid), a new price is a
``VariationProposal`` that changes nothing until the provider accepts it; the provider may
decline it with a reason, and the broker may withdraw it while it waits. Every variation is
still written by ``agreements.vary``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from caremarket.brokerage.models import AgreementVariation, ServiceAgreement, VariationProposal
from caremarket.brokerage.services import agreements
from caremarket.brokerage.services.common import decided_by, notify, provider_addresses
from caremarket.core import clock, roles
from caremarket.core.errors import Conflict, Invalid, NotFound


@transaction.atomic
def broker_vary(
    agreement_id: int,
    *,
    by: Any,
    effective_from: date,
    units_per_week: Decimal,
    reason: str,
    unit_price: Decimal | None = None,
    correcting: bool = False,
) -> AgreementVariation | VariationProposal:
    """A broker's variation (the web's and the API's): the hours at once; a price only where
    the framework does not set it, and then only once the provider accepts (the proposal
    comes back instead of a variation)."""
    agreement = (
        ServiceAgreement.objects.select_for_update(of=("self",))
        .select_related("award__referral__framework", "award__competition__lot__framework")
        .get(pk=agreement_id)
    )
    current = agreement.terms_on(effective_from) or agreement.current_terms(clock.today())
    new_price = unit_price is not None and (current is None or unit_price != current.unit_price)
    if new_price and agreements.price_follows_framework(agreement):
        raise Invalid(
            "The framework sets this agreement's price: only a fee review or a band "
            "review changes it. Leave the price empty to vary the hours.",
            "unit_price",
        )
    if new_price:
        assert unit_price is not None
        return _propose(agreement, by, effective_from, units_per_week, unit_price, reason)
    return agreements.vary(
        agreement_id,
        by=by,
        effective_from=effective_from,
        units_per_week=units_per_week,
        reason=reason,
        unit_price=unit_price,
        correcting=correcting,
    )


def _propose(
    agreement: ServiceAgreement,
    by: Any,
    effective_from: date,
    units: Decimal,
    price: Decimal,
    reason: str,
) -> VariationProposal:
    agreements.refuse_bad_terms(agreement, effective_from, units, price, reason)
    waiting = agreement.proposals.filter(status=VariationProposal.Status.PENDING).first()
    if waiting is not None:
        raise Conflict(
            f"A change from {waiting.effective_from:%d %B %Y} is already waiting for "
            f"{agreement.provider.display_name} to agree: withdraw it first.",
        )
    proposal = VariationProposal(
        agreement=agreement,
        effective_from=effective_from,
        units_per_week=units,
        unit_price=price,
        reason=reason.strip(),
        proposed_by=by,
        proposed_at=clock.now(),
    )
    _saved_by(proposal, by)
    notify(
        provider_addresses(agreement.provider),
        f"{agreement.reference}: the council asks you to agree a new price",
        f"From {effective_from:%d %B %Y}: {units} {agreement.unit}s a week at £{price}. "
        f"{reason.strip()} Nothing changes until you accept it on the agreement's page.",
    )
    return proposal


@transaction.atomic
def accept_proposal(proposal_id: int, *, by: Any) -> AgreementVariation:
    """The provider agrees: the variation is made, from the date proposed (which must not
    have passed: a change is never backdated)."""
    proposal = _lock(proposal_id)
    agreement = proposal.agreement
    _refuse_unless_the_provider(agreement, by)
    _refuse_unless_pending(proposal)
    if proposal.effective_from < clock.today():
        raise Invalid(
            f"This change was to start on {proposal.effective_from:%d %B %Y}, which has "
            "passed: the council must propose it again."
        )
    on_that_day = agreement.variations.filter(effective_from=proposal.effective_from).exists()
    variation = agreements.vary(
        agreement.pk,
        by=by,
        effective_from=proposal.effective_from,
        units_per_week=proposal.units_per_week,
        unit_price=proposal.unit_price,
        reason=f"{proposal.reason} (agreed by {agreement.provider.display_name})"[:240],
        correcting=on_that_day,
    )
    proposal.status, proposal.variation = VariationProposal.Status.ACCEPTED, variation
    proposal.decided_by, proposal.decided_at = decided_by(by), clock.now()
    _saved_by(proposal, by)
    notify(
        [proposal.proposed_by.email],
        f"{agreement.reference}: {agreement.provider.display_name} agreed the new price",
        f"From {proposal.effective_from:%d %B %Y} at £{proposal.unit_price}.",
    )
    return variation


@transaction.atomic
def decline_proposal(proposal_id: int, *, by: Any, reason: str) -> VariationProposal:
    proposal = _lock(proposal_id)
    _refuse_unless_the_provider(proposal.agreement, by)
    _refuse_unless_pending(proposal)
    return _close(proposal, by, VariationProposal.Status.DECLINED, reason, "declined")


@transaction.atomic
def withdraw_proposal(proposal_id: int, *, by: Any, reason: str) -> VariationProposal:
    """The council withdraws a change the provider has not yet agreed."""
    proposal = _lock(proposal_id)
    if not (
        roles.is_platform(by) or roles.commissioner_id_of(by) == proposal.agreement.commissioner_id
    ):
        raise NotFound("No such change to withdraw.")
    _refuse_unless_pending(proposal)
    return _close(proposal, by, VariationProposal.Status.WITHDRAWN, reason, "withdrawn")


def _close(proposal: VariationProposal, by: Any, status: str, reason: str, done: str) -> Any:
    if not reason.strip():
        raise Invalid(f"Say why the change is {done}.", "reason")
    proposal.status, proposal.decision_note = status, reason.strip()[:400]
    proposal.decided_by, proposal.decided_at = decided_by(by), clock.now()
    _saved_by(proposal, by)
    agreement = proposal.agreement
    to = [proposal.proposed_by.email] if done == "declined" else []
    to += provider_addresses(agreement.provider) if done == "withdrawn" else []
    notify(to, f"{agreement.reference}: the proposed price change {done}", reason.strip())
    return proposal


def _lock(proposal_id: int) -> VariationProposal:
    found = (
        VariationProposal.objects.select_for_update(of=("self",))
        .select_related("agreement__provider", "proposed_by")
        .filter(pk=proposal_id)
        .first()
    )
    if found is None:
        raise NotFound("No such proposed change.")
    return found


def _refuse_unless_the_provider(agreement: ServiceAgreement, by: Any) -> None:
    """Only the provider the agreement is with (the lead, not its subcontractor) agrees."""
    if roles.provider_id_of(by) != agreement.provider_id:
        raise NotFound("No such proposed change.")


def _refuse_unless_pending(proposal: VariationProposal) -> None:
    if proposal.status != VariationProposal.Status.PENDING:
        raise Conflict(f"This change has already been {proposal.get_status_display().lower()}.")


def _saved_by(proposal: VariationProposal, by: Any) -> None:
    proposal._history_user = decided_by(by)  # type: ignore[attr-defined]
    proposal.save()
