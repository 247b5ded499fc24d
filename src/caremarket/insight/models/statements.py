"""The Market Sufficiency Statement: a commissioner's statement as of a date, its narrative
per sector and its action plan. Figures are never stored: they are computed from the
records each time, so the page, the PDF and the JSON always say the same thing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.market.models import Commissioner


class Sector(models.TextChoices):
    HOME_CARE = "home_care", "Home care"
    CARE_HOMES = "care_homes", "Care homes"
    SUPPORTED_LIVING = "supported_living", "Supported living"
    DAY_OPPORTUNITIES = "day_opportunities", "Day opportunities"
    REPLACEMENT_CARE = "replacement_care", "Replacement care"


class Statement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="sufficiency_statements"
    )
    title = models.CharField(max_length=160)
    as_of = models.DateField(help_text="The date the statement's figures describe.")
    compare_with = models.DateField(
        null=True, blank=True, help_text="An earlier date to show the change from."
    )
    introduction = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "as_of"], name="one_statement_per_commissioner_and_date"
            ),
            models.CheckConstraint(
                condition=Q(compare_with__isnull=True) | Q(compare_with__lt=models.F("as_of")),
                name="statement_compares_with_earlier_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Narrative(models.Model):
    """What the commissioner writes about a sector: the figures come from the platform."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="narratives")
    sector = models.CharField(max_length=20, choices=Sector.choices)
    text = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["statement", "sector"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "sector"], name="one_narrative_per_sector")
        ]

    def __str__(self) -> str:
        return f"{self.statement}: {self.get_sector_display()}"


class ActionPlanItem(models.Model):
    """A row of the action plan, as Devon writes them: what, how, impact, when, who, status."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="actions")
    sector = models.CharField(max_length=20, choices=Sector.choices)
    action = models.CharField(max_length=240)
    activities = models.TextField()
    impact = models.TextField()
    timescale = models.CharField(max_length=120)
    owner = models.CharField(max_length=160)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["statement", "sector", "order", "pk"]

    def __str__(self) -> str:
        return self.action
