"""A lead provider's choice to show a subcontractor what it was paid for the visits the
subcontractor delivered (issue 11: "only if the lead shares it").

Visits are scoped to whoever delivered them, but the money is the lead's: the council pays
the lead, at the lead's rate, and what the lead passes on to its subcontractor is their own
business. So a subcontractor sees the rate and amount only while a share from that lead is
live. One row per period of sharing: stopping sets ``stopped_on`` (never deletes), sharing
again opens a new row, and ``history`` keeps every change, so "who could see what, when" is
answerable later.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models.fields import who_acted
from caremarket.core import clock


class ShareQuerySet(models.QuerySet["PaymentShare"]):
    def live(self, on: date) -> ShareQuerySet:
        """Shares in force on the day: begun on or before it, not stopped by then (a share
        stopped today is already over, so stopping takes effect at once)."""
        return self.filter(Q(stopped_on__isnull=True) | Q(stopped_on__gt=on), shared_from__lte=on)

    def open(self) -> ShareQuerySet:
        return self.filter(stopped_on__isnull=True)


class PaymentShare(models.Model):
    lead = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="payment_shares_given"
    )
    subcontractor = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="payment_shares_received"
    )
    shared_from = models.DateField(default=clock.today)
    stopped_on = models.DateField(null=True, blank=True)
    shared_by = who_acted(related_name="payment_shares_made")
    stopped_by = who_acted(related_name="payment_shares_stopped")
    history = HistoricalRecords()

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["lead", "subcontractor", "-shared_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "subcontractor"],
                condition=Q(stopped_on__isnull=True),
                name="one_open_payment_share",
            ),
            models.CheckConstraint(
                condition=~Q(lead=F("subcontractor")), name="payment_share_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=F("shared_from")),
                name="payment_share_stops_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lead} shares payments with {self.subcontractor} from {self.shared_from}"
