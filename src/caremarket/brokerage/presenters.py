"""What a given viewer may see of an award, the agreement it started, and an offer: the one
place templates, views, serializers and emails ask.

A viewer is the looking provider's id, or None for council and platform staff
(``viewer_of(user)``). The decision itself is pure (``rules.award_seen``,
``rules.offer_price_seen``), tested without a database; these functions only read the
fields it needs off the models (``Award.seen_by``, ``Offer.price_seen_by``).
"""

from __future__ import annotations

from decimal import Decimal

from caremarket.brokerage.models import Award, Offer, Referral, ServiceAgreement
from caremarket.brokerage.rules import AwardSeen
from caremarket.core import roles as access
from caremarket.core.roles import Actor

Viewer = int | None

__all__ = [
    "AwardSeen",
    "Viewer",
    "agreement_seen_by",
    "award_seen_by",
    "offer_price_seen_by",
    "referral_summary",
    "viewer_of",
]


def viewer_of(user: Actor) -> Viewer:
    """None for council and platform staff, who see it all; anyone else looks as a provider:
    their own (0, a provider of none, for a user with no organisation: they see the least)."""
    if access.is_platform(user) or access.is_council(user):
        return None
    return access.provider_id_of(user) or 0


def referral_summary(referral: Referral) -> str:
    """What a provider is told of a referral put to it: the summary, never the person's
    name or address (those only after the award, through ``selectors.person_for``)."""
    needs = ", ".join(n.name for n in referral.needs.all()) or "none recorded"
    return (
        f"Referral {referral.reference}: {referral.service_type.name}, {referral.amount_label}, "
        f"from {referral.start_date:%d %B %Y}, {referral.zone.label} "
        f"({referral.person.postcode_district}). Needs: {needs}.\n"
        "Answer in caremarket: My inbox."
    )


def award_seen_by(viewer: Viewer, award: Award) -> AwardSeen:
    """Price (or None), reason and whether scores show, for this viewer."""
    return award.seen_by(viewer)


def agreement_seen_by(viewer: Viewer, agreement: ServiceAgreement) -> AwardSeen:
    """An agreement's terms show their prices exactly when its award's price shows."""
    return award_seen_by(viewer, agreement.award)


def offer_price_seen_by(viewer: Viewer, offer: Offer) -> Decimal | None:
    """The price an offer shows this viewer (None: not theirs to see, or none applies)."""
    return offer.price_seen_by(viewer)
