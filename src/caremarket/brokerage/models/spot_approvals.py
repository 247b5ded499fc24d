from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models.awards import Award
from caremarket.brokerage.models.fields import who_acted
from caremarket.brokerage.models.referrals import Referral
from caremarket.core import clock
from caremarket.market.models import Commissioner
from caremarket.providers.models import Provider


class SpotApproval(models.Model):
    """A spot purchase a broker asked for that needs a second person: a price above the band
    around the framework's prices, or a yearly cost above what the broker's role may commit.

    It holds the figures the broker saw (so the approver decides on the same numbers), who
    asked and who decided, and the award it made. At most one request waits per referral
    (held by the database); its history (``simple_history``) keeps every step.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="spot_approvals"
    )
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="spot_approvals")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(max_length=10)
    units_per_week = models.DecimalField(max_digits=9, decimal_places=2)
    unit_price = models.DecimalField(max_digits=9, decimal_places=2)
    weekly_cost = models.DecimalField(max_digits=12, decimal_places=2)
    yearly_cost = models.DecimalField(max_digits=14, decimal_places=2)
    band_low = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    band_high = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    reason = models.TextField(help_text="Why the care is bought off-framework.")
    below_band_reason = models.TextField(blank=True)
    needs_approval_because = models.CharField(max_length=400)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spot_requests"
    )
    requested_at = models.DateTimeField(default=clock.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = who_acted(related_name="spot_decisions")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    award = models.OneToOneField(
        Award, on_delete=models.PROTECT, null=True, blank=True, related_name="spot_approval"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status="pending"),
                name="one_pending_spot_approval_per_referral",
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gt=0), name="spot_approval_price_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_note=""),
                name="spot_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Spot purchase for {self.referral} from {self.provider}"

    @property
    def overtaken(self) -> bool:
        """Still waiting, but its referral was placed another way (an offer accepted, a
        room booked): nothing is left to approve, and approving would be refused."""
        return self.status == self.Status.PENDING and self.referral.state == "awarded"

    @property
    def status_label(self) -> str:
        return "Placed another way" if self.overtaken else self.get_status_display()
