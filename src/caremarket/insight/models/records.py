"""What a council imports: packages in place, people awaiting care, population.

Packages in place are care arranged before (or outside) the platform: they have no award,
so they cannot be brokerage agreements, yet the statement must count them. Each record
keeps the import run that wrote it, so every figure can be traced to a file and a line.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from caremarket.frameworks.models import Band, Lot
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Zone


class Setting(models.TextChoices):
    """Seed 000 counts people supported in their own homes apart from group-based care."""

    HOME = "home", "Home-based"
    GROUP = "group", "Group-based"


class LiveQuerySet(models.QuerySet):
    """``live(on)``: the one rule for "in force on a day" over start and end dates
    (end inclusive: a package ending on 21 August is still in place that day)."""

    start_field = "start_date"
    end_field = "end_date"

    def live(self, on: date) -> LiveQuerySet:
        return self.filter(
            Q(**{f"{self.start_field}__lte": on})
            & (Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gte": on}))
        )


class PackageInPlace(models.Model):
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="packages_in_place"
    )
    reference = models.CharField(max_length=40, help_text="The council's own package reference.")
    person_reference = models.CharField(max_length=40)
    care_group = models.ForeignKey(CareGroup, on_delete=models.PROTECT, related_name="+")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    setting = models.CharField(max_length=8, choices=Setting.choices)
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    hours_per_week = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=12, choices=Band.Level.choices, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    import_run_id = models.PositiveIntegerField(null=True, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["commissioner", "reference"]
        verbose_name_plural = "packages in place"
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "reference"], name="package_in_place_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="package_in_place_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gt=0, hours_per_week__lte=168),
                name="package_in_place_hours_in_a_week",
            ),
        ]
        indexes = [
            models.Index(fields=["commissioner", "start_date", "end_date"]),
        ]

    def __str__(self) -> str:
        return self.reference


class AwaitingCareQuerySet(LiveQuerySet):
    start_field = "awaiting_since"
    end_field = "resolved_on"

    def live(self, on: date) -> LiveQuerySet:
        """Waiting on a day: since on or before it, and not resolved by then (a person
        placed on a day is no longer waiting that day)."""
        return self.filter(
            Q(awaiting_since__lte=on) & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=on))
        )


class AwaitingCareRecord(models.Model):
    """A person on the council's own awaiting-care list (imported), not a platform referral."""

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="awaiting_records"
    )
    reference = models.CharField(max_length=40)
    person_reference = models.CharField(max_length=40)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    care_group = models.ForeignKey(CareGroup, on_delete=models.PROTECT, related_name="+")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    hours_per_week = models.DecimalField(max_digits=6, decimal_places=2)
    awaiting_since = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    import_run_id = models.PositiveIntegerField(null=True, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    objects = AwaitingCareQuerySet.as_manager()

    class Meta:
        ordering = ["commissioner", "zone__number", "awaiting_since", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "reference"], name="awaiting_record_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0, hours_per_week__lte=168),
                name="awaiting_record_hours_in_a_week",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("awaiting_since")),
                name="awaiting_record_resolved_after_since",
            ),
        ]
        indexes = [models.Index(fields=["commissioner", "awaiting_since", "resolved_on"])]

    def __str__(self) -> str:
        return self.reference


class PopulationCount(models.Model):
    """ONS-style: people of an age band and sex in an area in a year (estimate or projection)."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="population"
    )
    area = models.CharField(max_length=12, help_text="ONS area code, E10000008 for Devon.")
    age_band = models.CharField(max_length=8, help_text="18-24 ... 85-89, 90+.")
    sex = models.CharField(max_length=6, choices=Sex.choices)
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    import_run_id = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner", "area", "year", "age_band", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "area", "age_band", "sex", "year"],
                name="population_count_unique",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="population_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.age_band} {self.sex}: {self.count}"
