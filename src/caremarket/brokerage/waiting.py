"""Who is waiting for care: one rule, used by the list, the spot-purchase check and the
workbench alike, and true before any worker has written it down."""

from __future__ import annotations

from datetime import datetime

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Case, When

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


def with_effective_state(qs: QuerySet[Referral], now: datetime) -> QuerySet[Referral]:
    """Annotate each referral's state as it is at ``now``: a referral the deadlines have
    put on the awaiting-care list reads so before the worker writes it down."""
    return qs.annotate(
        effective_state=Case(
            When(awaiting_q(now), then=Value(State.AWAITING_CARE.value)),
            default=F("state"),
            output_field=CharField(),
        )
    )


def offers_in_status(qs: QuerySet[Offer], status: str, now: datetime) -> QuerySet[Offer]:
    """Filter offers by their status at ``now`` (an open offer past its deadline is expired)."""
    if status == Offer.Status.EXPIRED:
        return qs.filter(Offer.expired_q(now))
    if status in (Offer.Status.OPEN, Offer.Status.PLACING):
        return qs.filter(status=status, deadline__gt=now)
    return qs.filter(status=status)


def with_referral_state_now(qs: QuerySet[Offer], now: datetime) -> QuerySet[Offer]:
    """Annotate each offer with its referral's state at ``now`` (``referral_state_now``), so
    an offer list tells a provider the same as the referral list, in one query."""
    state_now = with_effective_state(Referral.objects.filter(pk=OuterRef("referral_id")), now)
    return qs.annotate(referral_state_now=Subquery(state_now.values("effective_state")[:1]))
