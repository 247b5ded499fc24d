"""What a commissioner records about its market beside the frameworks' own records: the
operating status of each day opportunity service (seed 003 reports day opportunities "at
risk"), dated, so the statement for any date shows the status then.

The services themselves are read-only here: a day opportunity service is a provider's
appointment on a lot offering group day opportunities (``frameworks.Appointment``); the
replacement care list is read from the appointments and their declared capacity.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from caremarket.frameworks.models import Appointment
from caremarket.market.models import Commissioner

DAY_SERVICE = "group-day-opportunity"
REPLACEMENT_SERVICES = ("replacement-care-day", "replacement-care-night")


class OperatingStatus(models.TextChoices):
    OPEN = "open", "Open"
    REDUCED = "reduced", "Reduced service"
    AT_RISK = "at_risk", "At risk"
    CLOSED = "closed", "Closed"


class DayServiceStatus(models.Model):
    """From ``effective_from`` (until a later record) the service operates so. One record a
    day per service: a correction on the same day edits it, and its history keeps the old."""

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="day_service_statuses"
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="+", verbose_name="service"
    )
    status = models.CharField(max_length=10, choices=OperatingStatus.choices)
    effective_from = models.DateField()
    note = models.CharField(max_length=240, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["appointment", "-effective_from"]
        verbose_name_plural = "day service statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "effective_from"], name="one_day_service_status_a_day"
            )
        ]
        indexes = [models.Index(fields=["commissioner", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.appointment}: {self.get_status_display()} from {self.effective_from}"
