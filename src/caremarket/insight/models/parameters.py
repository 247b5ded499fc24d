"""The figures a commissioner states rather than the platform counts: hours a care worker
delivers, the vacancy rate that puts a care home at risk, and the prevalence rates of the
projections. Each is editable and says where its value came from."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.market.models import CareGroup, Commissioner

# Seed 002 (Devon, Living Well at Home): about 2,000 unmet hours a week and a shortfall of
# "around 100" care workers, so 20 hours a worker is Devon's own implied figure.
DEFAULT_HOURS_PER_WORKER = Decimal("20.0")
# No market sustainability plan states a risk threshold (domain-facts 7, NOT FOUND); 20%
# vacancies (80% occupancy) is the level Essex and Halton describe as a sustainability
# challenge. An assumption, editable.
DEFAULT_VACANCY_RISK = Decimal("20.0")


class SufficiencyParameters(models.Model):
    commissioner = models.OneToOneField(
        Commissioner, on_delete=models.CASCADE, related_name="sufficiency_parameters"
    )
    hours_per_worker = models.DecimalField(
        "hours a care worker delivers a week",
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_HOURS_PER_WORKER,
        help_text="Worker shortfall = unmet hours a week / this. 20 is implied by Devon's "
        "statement (2,000 unmet hours, about 100 workers short).",
    )
    hours_per_worker_source = models.CharField(
        max_length=240, default="Implied by Devon Living Well at Home MPS (seed 002)."
    )
    vacancy_risk_percent = models.DecimalField(
        "vacancy rate that puts a home at risk",
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_VACANCY_RISK,
        help_text="Assumption: no council publishes a threshold; 80% occupancy is where Essex "
        "and Halton describe a sustainability challenge.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "sufficiency parameters"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_worker__gt=0, hours_per_worker__lte=60),
                name="hours_per_worker_sane",
            ),
            models.CheckConstraint(
                condition=Q(vacancy_risk_percent__gt=0, vacancy_risk_percent__lte=100),
                name="vacancy_risk_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner}: sufficiency parameters"


class PrevalenceRate(models.Model):
    """People with a care group's need per 100 of an age band and sex (POPPI/PANSI-style).

    The published tables were NOT FOUND (domain-facts 5.3): every row says its source and
    whether it is an assumption, and the projection carries that label to the page.
    """

    class Sex(models.TextChoices):
        ALL = "all", "All"
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.CASCADE, related_name="prevalence_rates"
    )
    care_group = models.ForeignKey(CareGroup, on_delete=models.PROTECT, related_name="+")
    age_band = models.CharField(max_length=8)
    sex = models.CharField(max_length=6, choices=Sex.choices, default=Sex.ALL)
    per_hundred = models.DecimalField(max_digits=6, decimal_places=3)
    source = models.CharField(max_length=240)
    assumption = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner", "care_group__display_order", "age_band", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "care_group", "age_band", "sex"],
                name="one_prevalence_rate_per_cell",
            ),
            models.CheckConstraint(
                condition=Q(per_hundred__gte=0, per_hundred__lte=100),
                name="prevalence_rate_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.care_group.code} {self.age_band} {self.sex}: {self.per_hundred}%"
