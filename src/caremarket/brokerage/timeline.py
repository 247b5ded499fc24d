"""A referral's timeline: every change of state (``ReferralEvent``) and, between them, each
provider's answer with its time and who answered, in the order they happened. Council staff
read it on the referral page; it is built from records already kept (``Offer.responded_at``,
``responded_by``, the decline reason), so nothing is written twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caremarket.brokerage.models import Offer, Referral

ANSWERED = {
    Offer.Status.ACCEPTED: "accepted",
    Offer.Status.DECLINED: "declined",
    Offer.Status.AWARDED: "accepted",
    Offer.Status.NOT_SELECTED: "accepted",
}


@dataclass(frozen=True)
class Entry:
    at: datetime
    title: str
    by: str
    note: str = ""
    is_answer: bool = False


def _who(user: object | None, default: str) -> str:
    if user is None:
        return default
    return str(getattr(user, "get_full_name", lambda: "")() or getattr(user, "username", ""))


def answer_title(offer: Offer) -> str:
    """ "Harbour Care accepted", "… declined", "… confirmed the placement" (a subcontractor)."""
    name = offer.provider.display_name
    if offer.kind == Offer.Kind.SUBCONTRACT and offer.status != Offer.Status.DECLINED:
        return f"{name} confirmed it would deliver for the lead provider"
    if offer.kind == Offer.Kind.LEAD and offer.status != Offer.Status.DECLINED:
        placing = offer.subcontract_offers.exists()
        return f"{name}, the lead provider, {'chose a subcontractor' if placing else 'took it'}"
    return f"{name} {ANSWERED.get(offer.status, 'answered')}"


def answer_note(offer: Offer) -> str:
    if offer.status == Offer.Status.DECLINED:
        reason = offer.get_decline_reason_display()
        return f"{reason}: {offer.decline_detail}" if offer.decline_detail else reason
    if offer.unit_price is not None and offer.referral.takes_quote:
        return f"Quoted £{offer.unit_price} per {offer.unit}."
    return ""


def entries(referral: Referral) -> list[Entry]:
    events = [
        Entry(
            e.at,
            e.to_state.replace("_", " ").capitalize(),
            _who(e.by, "by the platform"),
            e.note,
        )
        for e in referral.events.select_related("by")
    ]
    answers = [
        Entry(
            o.responded_at,
            answer_title(o),
            _who(o.responded_by, o.provider.display_name),
            answer_note(o),
            is_answer=True,
        )
        for o in referral.offers.filter(responded_at__isnull=False).select_related(
            "provider", "responded_by", "referral__framework"
        )
        if o.responded_at is not None
    ]
    return sorted([*events, *answers], key=lambda entry: entry.at)
