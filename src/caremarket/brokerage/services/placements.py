"""Acting on the engine's suggestions: each accepted placement goes out through the
referral's own route, never around it. A framework-first referral gets an offer to the
suggested provider (who still accepts or declines); a prime-provider referral goes back to
its lead with the suggested subcontractor named. Nothing is awarded here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from caremarket.brokerage.models import Offer, Referral
from caremarket.brokerage.routing import plan_for
from caremarket.brokerage.services import sourcing
from caremarket.core import clock
from caremarket.core.errors import CaremarketError, Invalid
from caremarket.frameworks.models import Appointment, Framework
from caremarket.market.models import Commissioner
from caremarket.providers.models import Provider


@dataclass
class Outcome:
    offered: list[str] = field(default_factory=list)
    to_lead: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def accept(commissioner: Commissioner, choices: list[tuple[int, int, int]], *, by: Any) -> Outcome:
    """``choices``: (referral, placed with, delivered by) ids the broker ticked."""
    outcome = Outcome()
    today = clock.today()
    for referral_id, placed_id, delivered_id in choices:
        referral = Referral.objects.filter(pk=referral_id, commissioner=commissioner).first()
        if referral is None or not referral.is_open:
            outcome.skipped.append(
                f"{referral.reference if referral else referral_id}: no longer open"
            )
            continue
        try:
            if referral.route == Framework.Route.PRIME_PROVIDER:
                _to_lead(referral, placed_id, delivered_id, by)
                outcome.to_lead.append(referral.reference)
                continue
            appointment = (
                Appointment.objects.live(today)
                .filter(lot_id=referral.lot_id, provider_id=placed_id)
                .first()
            )
            if appointment is None:
                raise Invalid("the suggested provider is no longer appointed")
            made = sourcing.offer_to(
                referral,
                appointment,
                by=by,
                note=f"Suggested placement: offered to {appointment.provider}.",
            )
            (outcome.offered if made else outcome.skipped).append(
                referral.reference
                if made
                else f"{referral.reference}: already with {appointment.provider}"
            )
        except CaremarketError as exc:
            outcome.skipped.append(f"{referral.reference}: {exc.message}")
    return outcome


def _to_lead(referral: Referral, placed_id: int, delivered_id: int, by: Any) -> None:
    delivered = Provider.objects.filter(pk=delivered_id).first()
    if delivered is None:
        raise Invalid("the suggested subcontractor is not known")

    lead_offer = (
        referral.offers.filter(kind=Offer.Kind.LEAD).filter(Offer.live_q(clock.now())).first()
    )
    note = (
        f"Suggested placement: {delivered} delivers it"
        + ("" if delivered_id == placed_id else ", from the lead's panel")
        + "."
    )
    if lead_offer is None:
        plan = plan_for(referral)
        if plan.lead is None or plan.lead.provider_id != placed_id:
            raise Invalid("the zone's lead provider has changed")
        sourcing.refer_to_lead(referral, plan.lead, by=by)
    Referral.objects.filter(pk=referral.pk).update(next_action=note[:240])
