"""Telling people in the app (and by email, where configured) that something needs them: an
offer arrived, its deadline nears, a provider answered, a referral is awaiting care.

Each ``tell_*`` is called by the service that makes the change, inside its transaction: the
inbox item (and its email in the outbox, ``Notification``) commits or rolls back with the
change itself, so nobody is told of something that did not happen. Email goes only to a user
with an address, and only when ``settings.CAREMARKET_NOTIFY_BY_EMAIL`` is on (off by default:
the offer emails the providers' shared addresses already get are the outbox's own).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from caremarket.brokerage import notices
from caremarket.brokerage.models import InboxItem, Notification, Offer, Referral
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.core.roles import Role
from caremarket.engine.lifecycle import State
from caremarket.providers.models import Provider

Kind = InboxItem.Kind
# An offer's deadline "nears" within this many hours (an assumption; a setting overrides it).
DEADLINE_WARNING_HOURS = 2


def emails_enabled() -> bool:
    return bool(getattr(settings, "CAREMARKET_NOTIFY_BY_EMAIL", False))


def warning_hours() -> int:
    return int(getattr(settings, "CAREMARKET_DEADLINE_WARNING_HOURS", DEADLINE_WARNING_HOURS))


def _item(user: Any, kind: str, title: str, link: str, **fields: Any) -> InboxItem:
    return InboxItem(
        user=user, kind=kind, title=title[:200], link=link[:200], created_at=clock.now(), **fields
    )


def _deliver(items: list[InboxItem], *, email: bool = True) -> int:
    """Save the items and, where configured, queue an email for each user with an address."""
    made = InboxItem.objects.bulk_create(items, ignore_conflicts=True)
    if email and emails_enabled():
        Notification.objects.bulk_create(
            Notification(
                to=i.user.email,
                subject=i.title,
                body=f"{i.body}\n\nOpen it in caremarket: {i.link}".strip(),
                created_at=i.created_at,
            )
            for i in made
            if i.user.email
        )
    return len(made)


def _provider_users(provider: Provider) -> list[Any]:
    return list(provider.users.filter(is_active=True).order_by("pk"))


def tell_provider(
    provider: Provider, kind: str, title: str, link: str, *, email: bool = True, **fields: Any
) -> int:
    """Every active user of the provider, each item naming the provider (the inbox shows a
    provider user only its own provider's items)."""
    return _deliver(
        [
            _item(u, kind, title, link, provider=provider, **fields)
            for u in _provider_users(provider)
        ],
        email=email,
    )


def offers_arrived(offers: Iterable[Offer]) -> int:
    """New offers (or a lead's subcontract placement): to each provider's users. Their email
    is the outbox's own offer email, so no second one is queued here."""
    told = 0
    for offer in offers:
        referral = offer.referral
        by = f"{clock.local(offer.deadline):%d %b %H:%M}"
        title = f"New offer: {referral.reference}, answer by {by}"
        if offer.kind == Offer.Kind.SUBCONTRACT and offer.parent is not None:
            lead = offer.parent.provider.display_name
            title = f"{lead} asks you to deliver {referral.reference}, confirm by {by}"
        told += tell_provider(
            offer.provider,
            Kind.OFFER_ARRIVED,
            title,
            reverse("brokerage:offer", args=[offer.pk]),
            email=False,
            body=f"{referral.service_type.name}, {referral.amount_label}, from "
            f"{referral.start_date:%d %B %Y}, {referral.zone.label}.",
            referral=referral,
            offer=offer,
        )
    return told


def offers_withdrawn(offers: Iterable[Offer], why: str) -> int:
    """Offers withdrawn while the provider could still answer (the referral placed early,
    elsewhere): each provider's users are told, with the reason, in the inbox and by email."""
    told = 0
    for offer in offers:
        referral = offer.referral
        told += tell_provider(
            offer.provider,
            Kind.OFFER_WITHDRAWN,
            f"Offer withdrawn: {referral.reference}",
            reverse("brokerage:offer", args=[offer.pk]),
            body=why[:600],
            referral=referral,
            offer=offer,
        )
    return told


def _senders(referral: Referral) -> list[Any]:
    """Who sent the referral's offers: the broker who last sent them, or, when the platform
    sent them (on raising), the council's brokerage team."""
    last = (
        referral.events.filter(to_state=State.OFFERED, by__isnull=False)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    if last is not None and last.by.is_active and last.by.role == Role.BROKER:
        return [last.by]
    return list(
        get_user_model()
        .objects.filter(commissioner_id=referral.commissioner_id, role=Role.BROKER, is_active=True)
        .order_by("pk")
    )


def provider_answered(offer: Offer) -> int:
    """A provider's answer: to the broker (or team) who sent the offer; a subcontractor's
    answer goes to the lead provider who asked it, too."""
    referral = offer.referral
    answer = offer.get_status_display().lower()
    title = f"{offer.provider.display_name} {answer} {referral.reference}"
    body = ""
    if offer.status == Offer.Status.DECLINED:
        body = f"Reason: {offer.get_decline_reason_display()}. {offer.decline_detail}".strip()
    link = reverse("brokerage:referral", args=[referral.pk])
    told = _deliver(
        [
            _item(u, Kind.PROVIDER_ANSWERED, title, link, body=body, referral=referral, offer=offer)
            for u in _senders(referral)
        ]
    )
    if offer.kind == Offer.Kind.SUBCONTRACT and offer.parent is not None:
        told += tell_provider(
            offer.parent.provider,
            Kind.PROVIDER_ANSWERED,
            title,
            reverse("brokerage:offer", args=[offer.parent_id]),
            email=False,  # the lead already gets the outbox's own email of the answer
            body=body,
            referral=referral,
            offer=offer.parent,
        )
    return told


def referral_awaiting_care(referral: Referral, note: str = "") -> int:
    """The practitioner (or broker) who raised the referral: it is now awaiting care."""
    raiser = referral.raised_by
    if not raiser.is_active:
        return 0
    item = _item(
        raiser,
        Kind.AWAITING_CARE,
        f"{referral.reference} is awaiting care",
        reverse("brokerage:referral", args=[referral.pk]),
        body=note[:600],
        referral=referral,
    )
    return _deliver([item])


def warn_deadlines(batch: int = 500) -> int:
    """The worker's job: offers still open whose deadline is within the warning hours, each
    said once to each of the provider's users (the inbox's unique constraint holds it)."""
    now = clock.now()
    due = (
        # Open only: a lead placing the referral has answered; its subcontractor is warned.
        Offer.objects.filter(
            status=Offer.Status.OPEN,
            deadline__gt=now,
            deadline__lte=now + timedelta(hours=warning_hours()),
        )
        .exclude(inbox_items__kind=Kind.DEADLINE_NEAR)
        .select_related("referral", "provider")
        .order_by("deadline", "pk")[:batch]
    )
    told = 0
    for offer in due:
        with transaction.atomic():
            told += tell_provider(
                offer.provider,
                Kind.DEADLINE_NEAR,
                f"Answer {offer.referral.reference} by "
                f"{clock.local(offer.deadline):%H:%M on %d %b}",
                reverse("brokerage:offer", args=[offer.pk]),
                body="The offer closes soon; after its deadline it can no longer be accepted.",
                referral=offer.referral,
                offer=offer,
            )
    return told


@transaction.atomic
def mark_read(user: Any, item_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own items read (all unread ones when no ids are given). Another
    user's item is never touched: the filter starts from what the user may see."""
    mine = notices.inbox_for(user).filter(read_at__isnull=True)
    if item_ids is not None:
        ids = list(item_ids)
        if not ids:
            raise Invalid("Choose a notification to mark as read.", "item")
        mine = mine.filter(pk__in=ids)
    return mine.update(read_at=clock.now())
