"""Providers are shared across commissioners: one agency can hold appointments with several
councils, and its users see all of them. What a provider may do (care groups, specialisms,
CQC-registered locations) lives here; where and at what price lives in frameworks."""

from __future__ import annotations

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
