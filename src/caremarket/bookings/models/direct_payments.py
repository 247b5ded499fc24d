"""Self-directed support: the person chooses a room outside the call-off and buys their own
care with a direct payment at the band's weekly rate (seed 004, paragraph 18)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models import Referral
from caremarket.core import clock
from caremarket.frameworks.models import Band
from caremarket.market.models import Commissioner
from caremarket.supported_living.models import Room


class DirectPayment(models.Model):
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="room_direct_payments"
    )
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="room_direct_payment"
    )
    band = models.ForeignKey(Band, on_delete=models.PROTECT, related_name="direct_payments")
    weekly_amount = models.DecimalField(
        max_digits=9, decimal_places=2, help_text="The band's weekly rate on the start date."
    )
    start_date = models.DateField()
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="direct_payments",
        help_text="The room, where it is one listed here.",
    )
    where = models.CharField(
        max_length=240, help_text="The scheme or address the person chose, in their words."
    )
    care_bought_from = models.CharField(max_length=160, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_amount__gt=0), name="direct_payment_amount_positive"
            ),
            models.CheckConstraint(condition=~Q(where=""), name="direct_payment_says_where"),
        ]

    def __str__(self) -> str:
        return f"Direct payment for {self.referral}: £{self.weekly_amount} a week"
