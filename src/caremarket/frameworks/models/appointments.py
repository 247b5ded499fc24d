"""Who may deliver on a lot: appointments (and the lead providers among them), their
subcontractor panels, and the hours a commissioner guarantees. Whether an appointment or a
panel membership is live on a day is written once, as a QuerySet method (``live(on=...)``)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from caremarket.frameworks.models.frameworks import PERCENT, Framework, Lot
from caremarket.market.models import ServiceType, Zone
from caremarket.providers.models import Provider


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def live(self, on: date) -> AppointmentQuerySet:
        """Appointments a provider may work under on the day: active, begun, not ended.

        The one statement of "live appointment": routing, call-off invitations and bids,
        suggested placements, the public directory and capacity declarations all read it."""
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on),
            status=Appointment.Status.ACTIVE,
            appointed_on__lte=on,
        )


class Appointment(models.Model):
    """A provider admitted to a lot, in some zones; on a prime contract, maybe lead for some."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        ENDED = "ended", "Ended"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="appointments")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="appointments")
    zones = models.ManyToManyField(Zone, related_name="appointments")
    prime_zones = models.ManyToManyField(
        Zone,
        blank=True,
        related_name="prime_appointments",
        help_text="Zones in which this provider is the lead (prime) provider.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    appointed_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    quality_score = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="0 to 100, from the tender evaluation and contract monitoring.",
    )
    history = HistoricalRecords(m2m_fields=[zones, prime_zones])

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["lot", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "lot"], name="one_appointment_per_lot"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("appointed_on")),
                name="appointment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(quality_score__isnull=True)
                | Q(quality_score__gte=0, quality_score__lte=100),
                name="appointment_quality_is_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} on {self.lot}"


class GuaranteedBlock(models.Model):
    """Hours a week the commissioner has bought from a provider whether used or not (Devon's
    Guaranteed Hours programme). Care placed into a block costs nothing more."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="blocks")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="blocks")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="blocks")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="blocks")
    hours_per_week = models.DecimalField(max_digits=7, decimal_places=2)
    starts = models.DateField()
    ends = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "zone__number", "provider__name"]
        constraints = [
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="block_hours_positive"),
            models.CheckConstraint(
                condition=Q(ends__gte=F("starts")), name="block_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.hours_per_week} guaranteed hours a week in {self.zone}"


class PanelMemberQuerySet(models.QuerySet["PanelMember"]):
    def live(self, on: date) -> PanelMemberQuerySet:
        """Subcontractors a lead may place work with on the day: joined, not yet left, on
        the panel of a lead whose own appointment is live (``Appointment.objects.live``).

        The one statement of "live panel member": subcontracting, the lead's choice of
        members, suggested placements, the public directory and capacity declarations."""
        return self.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=on),
            joined_on__lte=on,
            prime__in=Appointment.objects.live(on),
        )


class PanelMember(models.Model):
    """A subcontractor on a lead provider's panel, for some of the lead's zones."""

    prime = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="panel")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="panels")
    zones = models.ManyToManyField(Zone, related_name="panel_members")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[zones])

    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        ordering = ["prime", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["prime", "provider"], name="panel_member_unique"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="panel_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} on the panel of {self.prime.provider}"
