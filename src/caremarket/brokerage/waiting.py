"""Who is waiting for care: one rule, used by the list, the spot-purchase check and the
workbench alike, and true before any worker has written it down."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from caremarket.brokerage.models import Offer, Referral
from caremarket.core import clock
from caremarket.engine.lifecycle import State


def awaiting_q(now: datetime) -> Q:
    """Not placed by its start date, or every offer declined or expired with none accepted."""
    today = clock.local(now).date()
    referral = OuterRef("pk")
    outbound = Offer.objects.filter(referral=referral).exclude(kind=Offer.Kind.SUBCONTRACT)
    return (
        Q(state=State.AWAITING_CARE)
        | Q(state__in=[State.SUBMITTED, State.OFFERED], start_date__lt=today)
        | (
            Q(state=State.OFFERED)
            & Exists(outbound)
            & ~Exists(outbound.filter(Offer.live_q(now)))
            & ~Exists(outbound.filter(status=Offer.Status.ACCEPTED))
        )
    )


def is_awaiting(referral: Referral, now: datetime) -> bool:
    return Referral.objects.filter(pk=referral.pk).filter(awaiting_q(now)).exists()
