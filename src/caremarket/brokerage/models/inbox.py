"""A person's notifications in the app: what happened that they should look at, with a link.

An item is written by a service in the same transaction as the event it reports (as the
email outbox is), so nobody is told of a change that rolled back. Each item belongs to one
user; a provider's item also names the provider, and a provider user sees only the items of
the provider they now work for (``selectors.inbox_for``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from caremarket.brokerage.models.offers import Offer
from caremarket.brokerage.models.referrals import Referral
from caremarket.providers.models import Provider


class InboxItem(models.Model):
    class Kind(models.TextChoices):
        OFFER_ARRIVED = "offer_arrived", "New offer"
        DEADLINE_NEAR = "deadline_near", "Deadline near"
        PROVIDER_ANSWERED = "provider_answered", "Provider answered"
        AWAITING_CARE = "awaiting_care", "Awaiting care"
        OFFER_WITHDRAWN = "offer_withdrawn", "Offer withdrawn"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items"
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbox_items",
        help_text="For a provider's users: the provider the item is about.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.CharField(max_length=600, blank=True)
    link = models.CharField(max_length=200, help_text="The record's page (a path in the app).")
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="inbox_items"
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="inbox_items"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            # "A deadline nears" is said once per offer and user, however often the worker runs.
            models.UniqueConstraint(
                fields=["user", "offer"],
                condition=Q(kind="deadline_near"),
                name="inbox_deadline_warning_once_per_offer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} for {self.user}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
