"""What a provider says about its exceptions, and over-tolerance time it asks to be paid.

Visits live in a partitioned table that no foreign key may point at, so these name a visit
by its id and day.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models import ServiceAgreement
from caremarket.brokerage.models.fields import who_acted
from caremarket.core import clock


class ExceptionResponse(models.Model):
    class Kind(models.TextChoices):
        EXPLAIN = "explain", "Explanation"
        DISPUTE = "dispute", "Dispute"

    visit_id = models.BigIntegerField()
    visit_day = models.DateField()
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="exception_responses"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.TextField()
    by = who_acted()
    at = models.DateTimeField(default=clock.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit_id", "visit_day", "kind"], name="one_response_of_a_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of visit {self.visit_id}"


class VariationRequest(models.Model):
    """Time delivered over the plan, which is paid only once the commissioner agrees."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="delivery_variation_requests"
    )
    visit_id = models.BigIntegerField()
    visit_day = models.DateField()
    extra_minutes = models.PositiveIntegerField()
    reason = models.TextField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    by = who_acted(related_name="delivery_variation_requests")
    at = models.DateTimeField(default=clock.now)
    decided_by = who_acted(related_name="delivery_variation_decisions")
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["visit_id", "visit_day"], name="one_request_a_visit")
        ]

    def __str__(self) -> str:
        return f"{self.extra_minutes} extra minutes on {self.agreement}"
