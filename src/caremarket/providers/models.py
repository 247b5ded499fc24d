"""Providers are shared across commissioners: one agency can hold appointments with several
councils, and its users see all of them. What a provider may do (care groups, specialisms,
CQC-registered locations) lives here; where and at what price lives in frameworks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.market.models import CareGroup, ServiceType, Specialism


class Provider(models.Model):
    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    is_fictitious = models.BooleanField(
        default=False,
        help_text="Demo data: a made-up organisation, labelled so wherever it is shown.",
    )
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    companies_house_number = models.CharField(max_length=10, blank=True)
    care_groups = models.ManyToManyField(CareGroup, blank=True, related_name="providers")
    specialisms = models.ManyToManyField(Specialism, blank=True, related_name="providers")
    service_types = models.ManyToManyField(ServiceType, blank=True, related_name="providers")
    history = HistoricalRecords(m2m_fields=[care_groups, specialisms, service_types])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.name} (fictitious)" if self.is_fictitious else self.name


class Location(models.Model):
    """A place the provider works from; regulated services are registered per location."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=160)
    address = models.CharField(max_length=240, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    cqc_location_id = models.CharField(
        "CQC location ID",
        max_length=20,
        blank=True,
        null=True,
        unique=True,
        help_text="Like 1-123456789; empty for unregulated services.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["provider", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cqc_location_id__isnull=True) | Q(cqc_location_id__startswith="1-"),
                name="cqc_location_id_format",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}" if self.town else self.name


class CapacityDeclaration(models.Model):
    """Hours a week a provider says it can take on, in one zone for one service, from a date.

    A new declaration supersedes the last for the same zone and service; the history stays.
    What remains on a day is the declaration in force less the hours placed with the provider
    there since it was made, so a declaration does not have to be re-made after each award.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="capacity")
    zone = models.ForeignKey("market.Zone", on_delete=models.CASCADE, related_name="capacity")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="capacity")
    hours_per_week = models.DecimalField(max_digits=7, decimal_places=2)
    valid_from = models.DateField()
    declared_at = models.DateTimeField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()  # the audit trail's: who declared what, when

    class Meta:
        ordering = ["provider", "zone", "service_type", "-valid_from", "-declared_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0, hours_per_week__lte=10000),
                name="capacity_hours_in_range",
            )
        ]
        indexes = [models.Index(fields=["zone", "service_type", "valid_from"])]

    def __str__(self) -> str:
        return (
            f"{self.provider}: {self.hours_per_week} h/week in {self.zone} from {self.valid_from}"
        )
