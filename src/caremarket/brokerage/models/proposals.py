from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models.agreements import AgreementVariation, ServiceAgreement
from caremarket.brokerage.models.fields import who_acted
from caremarket.core import clock


class VariationProposal(models.Model):
    """A change to an agreement that the provider must agree to before it takes effect: a new
    price on an agreement whose price was agreed with the provider (a spot purchase, a bid).

    Nothing in the agreement's terms changes while it waits: only the provider's acceptance
    makes the variation (``services.agreements.accept_proposal``). One waits per agreement at
    a time; its history keeps every step.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the provider"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.CASCADE, related_name="proposals"
    )
    effective_from = models.DateField()
    units_per_week = models.DecimalField(max_digits=7, decimal_places=2)
    unit_price = models.DecimalField(max_digits=9, decimal_places=2)
    reason = models.CharField(max_length=240)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=clock.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = who_acted(related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=400, blank=True)
    variation = models.OneToOneField(
        AgreementVariation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status="pending"),
                name="one_pending_proposal_per_agreement",
            ),
            models.CheckConstraint(
                condition=Q(units_per_week__gt=0, unit_price__gt=0),
                name="proposal_units_and_price_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: £{self.unit_price} from {self.effective_from}"
