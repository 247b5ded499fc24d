from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage import rules
from caremarket.brokerage.models.fields import who_acted
from caremarket.brokerage.models.referrals import Referral
from caremarket.frameworks.models import Appointment
from caremarket.providers.models import Provider


class Offer(models.Model):
    """A referral put to one provider, with a deadline.

    ``status`` records what happened; an open offer whose deadline has passed is expired
    whether or not a worker has written so yet: ``effective_status`` and the ``live()``
    filter say so on every read, and every service checks it on every write.
    """

    class Kind(models.TextChoices):
        FRAMEWORK = "framework", "Offer to an appointed provider"
        LEAD = "lead", "Referral to the zone's lead provider"
        SUBCONTRACT = "subcontract", "Placement with a subcontractor on the lead's panel"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        PLACING = "placing", "Lead is placing it with a subcontractor"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"
        NOT_SELECTED = "not_selected", "Not selected"
        AWARDED = "awarded", "Awarded"

    class DeclineReason(models.TextChoices):
        NO_CAPACITY = "no_capacity", "No capacity at the moment"
        TRAVEL = "travel", "Too far to travel, or too rural to staff"
        NEEDS = "needs", "We cannot meet these needs"
        START_DATE = "start_date", "We cannot start by the date asked"
        OTHER = "other", "Another reason"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="offers")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="offers")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="offers"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subcontract_offers",
        help_text="For a subcontract: the lead provider's offer.",
    )
    round = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField()
    deadline = models.DateTimeField()
    own_deadline = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A lead's own deadline while it waits on a subcontractor (whose deadline it "
        "takes meanwhile); restored if the placement is declined, so it cannot be stretched.",
    )

    status = models.CharField(max_length=14, choices=Status.choices, default=Status.OPEN)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = who_acted(related_name="offer_responses")
    unit = models.CharField(max_length=10, blank=True)
    unit_price = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The price that applies on acceptance: the zone price, the fixed rate, the "
        "band rate, or the provider's quote where the framework takes bids.",
    )
    decline_reason = models.CharField(max_length=12, choices=DeclineReason.choices, blank=True)
    decline_detail = models.CharField(max_length=400, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "provider", "kind", "round"],
                name="one_offer_per_provider_per_round",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("sent_at")), name="offer_deadline_after_sending"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__isnull=True) | Q(unit_price__gt=0),
                name="offer_price_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="offer_decline_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["provider", "status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.referral} to {self.provider}"

    def price_seen_by(self, viewer: int | None) -> Decimal | None:
        """The price a viewer (a provider's id; None for council staff) is shown:
        ``rules.offer_price_seen``. Read it through ``presenters.offer_price_seen_by``."""
        framework = self.referral.framework
        return rules.offer_price_seen(
            viewer=viewer,
            kind=self.kind,
            pricing_model=framework.pricing_model if framework else None,
            unit_price=self.unit_price,
        )

    def effective_status(self, now: datetime) -> str:
        if self.status in (self.Status.OPEN, self.Status.PLACING) and self.deadline <= now:
            return self.Status.EXPIRED
        return self.status

    @classmethod
    def live_q(cls, now: datetime) -> Q:
        """Offers a provider can still answer."""
        return Q(status__in=[cls.Status.OPEN, cls.Status.PLACING], deadline__gt=now)

    @classmethod
    def expired_q(cls, now: datetime) -> Q:
        return Q(status=cls.Status.EXPIRED) | Q(
            status__in=[cls.Status.OPEN, cls.Status.PLACING], deadline__lte=now
        )
