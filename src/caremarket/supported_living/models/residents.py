"""What the commissioner knows of the market as a whole: residents counted by group and band
(seed 004, table 1), and how it prices an empty room it pays for.

The counts are a census the commissioner records (the seed's table is one, "subject to
change"), kept apart from the live rooms so that both can be shown side by side.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.frameworks.models import Lot
from caremarket.market.models import Commissioner
from caremarket.supported_living import rules
from caremarket.supported_living.models.schemes import SupportGroup


class ResidentCount(models.Model):
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="resident_counts"
    )
    group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="counts")
    lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resident_counts",
        help_text="Empty where the census does not split the group by lot.",
    )
    level = models.CharField("band", max_length=12, choices=rules.BAND_LEVELS)
    residents = models.PositiveIntegerField()
    counted_on = models.DateField()
    source = models.CharField(max_length=240, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner", "group", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "group", "lot", "level", "counted_on"],
                condition=Q(lot__isnull=False),
                name="resident_count_unique_per_lot",
            ),
            models.UniqueConstraint(
                fields=["commissioner", "group", "level", "counted_on"],
                condition=Q(lot__isnull=True),
                name="resident_count_unique_unsplit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.level}: {self.residents}"


class VoidPolicy(models.Model):
    """How a commissioner prices the voids it pays for, and when a void is long.

    The weekly cost is the commissioner's own figure (rent and service charge it underwrites);
    no source gives one, so the demo's is an assumption, labelled as such on the register."""

    commissioner = models.OneToOneField(
        Commissioner, on_delete=models.CASCADE, related_name="void_policy"
    )
    default_weekly_cost = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0.01")
    )
    long_void_days = models.PositiveSmallIntegerField(default=rules.LONG_VOID_DAYS)
    basis = models.CharField(
        max_length=240, blank=True, help_text="Where the weekly cost comes from."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "void policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(default_weekly_cost__gt=0, long_void_days__gte=1),
                name="void_policy_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Void policy of {self.commissioner}"
