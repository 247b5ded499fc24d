"""A provider's history of the offers put to it: what it answered and when, and what came of
each (won, lost, withdrawn, declined, expired), with the reason it may read.

Reasons come from the records the services keep and through ``presenters``: a lost or won
award's public reason (never the council's scores or a rival's price), the note an offer was
withdrawn with (a new round, an early award, a cancelled referral), the provider's own reason
for declining.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caremarket.brokerage.models import Offer
from caremarket.brokerage.presenters import award_seen_by

WON, LOST, WITHDRAWN = "Won", "Lost", "Withdrawn"
DECLINED, EXPIRED, WAITING, ACCEPTED = "Declined", "Expired", "Waiting for your answer", "Accepted"
OUTCOMES = (WON, LOST, WITHDRAWN, DECLINED, EXPIRED, ACCEPTED, WAITING)


@dataclass(frozen=True)
class Row:
    offer: Offer
    reference: str
    council: str
    what: str
    kind: str
    sent_at: datetime
    answered_at: datetime | None
    answer: str
    outcome: str
    reason: str


def _award_reason(offer: Offer, viewer: int) -> str:
    award = getattr(offer.referral, "award", None)
    return award_seen_by(viewer, award).reason if award is not None else ""


def outcome_of(offer: Offer, now: datetime, viewer: int) -> tuple[str, str]:
    """(outcome, reason) of one offer, as the provider ``viewer`` may read them."""
    status = offer.effective_status(now)
    if status == Offer.Status.AWARDED:
        return WON, _award_reason(offer, viewer)
    if status == Offer.Status.NOT_SELECTED:
        return LOST, _award_reason(offer, viewer) or "Placed with another provider."
    if status == Offer.Status.WITHDRAWN:
        return WITHDRAWN, offer.decline_detail or "Withdrawn by the council."
    if status == Offer.Status.DECLINED:
        reason = offer.get_decline_reason_display()
        return DECLINED, f"{reason}: {offer.decline_detail}" if offer.decline_detail else reason
    if status == Offer.Status.EXPIRED:
        return EXPIRED, "No answer by the deadline."
    if status == Offer.Status.ACCEPTED:
        award = getattr(offer.referral, "award", None)
        if award is not None and award.provider_id == viewer:
            return WON, _award_reason(offer, viewer)
        if award is not None:
            return LOST, _award_reason(offer, viewer)
        return ACCEPTED, "Waiting for the council's award by the framework's rule."
    return WAITING, ""


def _answer(offer: Offer) -> str:
    if offer.responded_at is None:
        return ""
    if offer.status == Offer.Status.DECLINED:
        return "Declined"
    if offer.kind == Offer.Kind.LEAD and offer.subcontract_offers.exists():
        return "Subcontracted"
    return "Accepted"


def rows(offers: list[Offer], now: datetime, viewer: int) -> list[Row]:
    made = []
    for o in offers:
        outcome, reason = outcome_of(o, now, viewer)
        r = o.referral
        made.append(
            Row(
                offer=o,
                reference=r.reference,
                council=r.commissioner.name,
                what=f"{r.service_type.name}, {r.amount_label}",
                kind=o.get_kind_display(),
                sent_at=o.sent_at,
                answered_at=o.responded_at,
                answer=_answer(o),
                outcome=outcome,
                reason=reason,
            )
        )
    return made
