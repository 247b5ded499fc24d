"""What a background worker does to make deadlines prompt. Nothing here is needed for
correctness: reads and writes already treat a passed deadline as passed. The worker writes
the state down, moves unplaced referrals to the awaiting-care list, and sends email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.mail import send_mail
from django.db import transaction

from caremarket.brokerage.models import Notification, Offer, Referral
from caremarket.brokerage.services.common import notify, provider_addresses, transition
from caremarket.brokerage.services.offers import fail_if_nobody_left
from caremarket.core import clock
from caremarket.engine.lifecycle import State


@dataclass
class TickReport:
    offers_expired: int = 0
    referrals_to_awaiting_care: int = 0
    notifications_sent: int = 0
    notifications_failed: int = 0


def tick(batch: int = 200) -> TickReport:
    report = expire_and_move(batch)
    report.notifications_sent, report.notifications_failed = send_notifications(batch)
    return report


def _due_referrals(now: datetime, batch: int) -> list[int]:
    return list(
        Offer.objects.filter(
            status__in=[Offer.Status.OPEN, Offer.Status.PLACING], deadline__lte=now
        )
        .order_by("referral_id")
        .values_list("referral_id", flat=True)
        .distinct()[:batch]
    )


def expire_and_move(batch: int = 200) -> TickReport:
    """Write down what the deadlines already decided: expired offers, and referrals that
    joined the awaiting-care list. Works through everything due, ``batch`` at a time, each
    referral in its own short transaction under its row lock."""
    report = TickReport()
    now = clock.now()
    while due := _due_referrals(now, batch):
        for referral_id in due:
            with transaction.atomic():
                referral = Referral.objects.select_for_update().get(pk=referral_id)
                expired = referral.offers.filter(
                    status__in=[Offer.Status.OPEN, Offer.Status.PLACING], deadline__lte=now
                )
                for offer in expired.select_related("provider"):
                    notify(
                        provider_addresses(offer.provider),
                        f"Offer for {referral.reference} expired",
                        "The time to answer has passed.",
                    )
                report.offers_expired += expired.update(status=Offer.Status.EXPIRED)
                if fail_if_nobody_left(referral, now):
                    report.referrals_to_awaiting_care += 1
    today = clock.today()
    late = Referral.objects.filter(
        state__in=[State.SUBMITTED, State.OFFERED], start_date__lt=today
    ).values_list("pk", flat=True)
    for referral_id in list(late):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=referral_id)
            if referral.state in (State.SUBMITTED, State.OFFERED) and referral.start_date < today:
                transition(referral, State.AWAITING_CARE, None, "Not placed by its start date.")
                report.referrals_to_awaiting_care += 1
    return report


def send_notifications(batch: int = 200) -> tuple[int, int]:
    """Send the outbox, oldest first; a failure is retried on later ticks, five times."""
    sent = failed = 0
    for note in Notification.objects.filter(sent_at__isnull=True, attempts__lt=5)[:batch]:
        try:
            send_mail(note.subject, note.body, None, [note.to])
        except OSError:
            Notification.objects.filter(pk=note.pk).update(attempts=note.attempts + 1)
            failed += 1
        else:
            Notification.objects.filter(pk=note.pk).update(
                sent_at=clock.now(), attempts=note.attempts + 1
            )
            sent += 1
    return sent, failed
