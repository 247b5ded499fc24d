"""The visit pattern of each agreement (dated), its suspensions, and the planned visits.

A pattern is never edited: a new pattern takes effect from a date (the date a variation
takes effect) and the old one ends the day before, so the plan for any past week can be
regenerated as it was. A suspension (a hospital stay) stops planned visits between two
dates; the agreement's end stops them for good.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models import Person, ServiceAgreement
from caremarket.brokerage.models.fields import who_acted

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class PatternQuerySet(models.QuerySet["VisitPattern"]):
    def live(self, on: date) -> PatternQuerySet:
        """The slots in force on a day."""
        return self.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )

    def overlapping(self, start: date, end: date) -> PatternQuerySet:
        return self.filter(effective_from__lte=end).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=start)
        )


class VisitPattern(models.Model):
    """One weekly slot: a weekday, a start time, minutes, and carers needed (two for a
    double-handed visit)."""

    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="visit_patterns"
    )
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start_time = models.TimeField()
    minutes = models.PositiveSmallIntegerField()
    carers = models.PositiveSmallIntegerField(default=1)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    by = who_acted()
    history = HistoricalRecords()

    objects = PatternQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "effective_from", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=720), name="pattern_minutes_in_range"
            ),
            models.CheckConstraint(
                condition=Q(carers__gte=1, carers__lte=4), name="pattern_carers_in_range"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="pattern_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_weekday_display()} {self.start_time:%H:%M}"


class Suspension(models.Model):
    """Care paused (a hospital stay): no planned visits from ``start_date`` to ``end_date``
    (open-ended until the person is home)."""

    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="suspensions"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=240)
    by = who_acted()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="suspension_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} suspended from {self.start_date}"


class PlannedVisit(models.Model):
    """A visit the pattern says should happen, generated for a period (idempotently: one per
    agreement and start)."""

    # No single-column index on agreement or commissioner: each leads a composite index
    # below, and an ECM import updates a million plans (kept HOT by the table's fillfactor,
    # 50, migration 0008, as long as no indexed column changes).
    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="planned_visits", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="planned_visits")
    commissioner_id: int
    commissioner = models.ForeignKey(
        "market.Commissioner",
        on_delete=models.PROTECT,
        related_name="planned_visits",
        db_index=False,
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="planned_visits"
    )
    pattern = models.ForeignKey(
        VisitPattern, on_delete=models.PROTECT, null=True, blank=True, related_name="planned"
    )
    day = models.DateField()
    start = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField()
    carers = models.PositiveSmallIntegerField(default=1)
    carers_arrived = models.PositiveSmallIntegerField(default=0)
    missed = models.BooleanField(default=False)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["commissioner", "day"])]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "start"], name="one_plan_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} at {self.start:%Y-%m-%d %H:%M}"


class PlannedPeriod(models.Model):
    """A period planned for a commissioner, with a digest of what it was planned from: every
    pattern, suspension and agreement date of the commissioner's (``planning.inputs``).
    Planning the same period again from the same inputs would add nothing, so a pay run's
    build skips it (re-planning a county's four weeks after an import was 4 s of its pay
    run); any change to an input changes the digest, and the period is planned again."""

    commissioner = models.ForeignKey(
        "market.Commissioner", on_delete=models.CASCADE, related_name="planned_periods"
    )
    start = models.DateField()
    end = models.DateField()
    inputs = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="planned_period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner_id}: {self.start} to {self.end}"
