"""What care costs: a provider's zone prices, a commissioner's fixed rates and banded weekly
rates, each from an effective date (never edited in place; ``engine.pricing.rate_on`` says
which is in force on a day)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.engine import pricing
from caremarket.frameworks.models.appointments import Appointment
from caremarket.frameworks.models.frameworks import Framework
from caremarket.market.models import ServiceType, Zone


class Price(models.Model):
    """A provider's price for a lot in a zone, per unit, from a date. Never edited in place."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="prices")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="prices")
    unit = models.CharField(max_length=10, choices=ServiceType.Unit.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    effective_from = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["appointment", "zone__number", "unit", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "zone", "unit", "effective_from"],
                name="one_price_per_zone_unit_and_date",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="price_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} per {self.get_unit_display()} from {self.effective_from}"

    def as_rate_point(self) -> pricing.RatePoint:
        return pricing.RatePoint(self.effective_from, self.amount)


class CommissionerRate(models.Model):
    """A fixed price the commissioner sets, like the Isle of Wight's £19.28 an hour."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rates")
    unit = models.CharField(max_length=10, choices=ServiceType.Unit.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    effective_from = models.DateField()
    basis = models.CharField(
        max_length=240,
        blank=True,
        help_text="Why this rate: the annual fee review (evidenced costs, CPI, National Living "
        "Wage).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "unit", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "unit", "effective_from"], name="one_rate_per_unit_and_date"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} per {self.get_unit_display()} from {self.effective_from}"

    def as_rate_point(self) -> pricing.RatePoint:
        return pricing.RatePoint(self.effective_from, self.amount)


class Band(models.Model):
    """A weekly rate tier: typical hours of care at a sustainable hourly rate."""

    class Level(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        VERY_HIGH = "very_high", "Very high"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    level = models.CharField(max_length=12, choices=Level.choices)
    typical_hours_per_week = models.DecimalField(max_digits=6, decimal_places=2)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2)
    effective_from = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "effective_from", "typical_hours_per_week"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "level", "effective_from"], name="one_band_level_per_date"
            ),
            models.CheckConstraint(
                condition=Q(typical_hours_per_week__gt=0, hourly_rate__gt=0),
                name="band_hours_and_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: £{self.weekly_rate} a week"

    @property
    def weekly_rate(self) -> Decimal:
        return pricing.band_weekly_rate(self.typical_hours_per_week, self.hourly_rate)
