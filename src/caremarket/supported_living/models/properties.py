"""Properties and their landlords.

A property is a house or block of flats in a scheme. Its landlord is the housing provider,
never the care provider (seed 004, 1d). Where the council underwrites the rent of an empty
room (a void agreement), the property says so and what a void costs a week; the voids
register prices each void from it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.market.models import Zone
from caremarket.supported_living import rules
from caremarket.supported_living.models.schemes import Scheme


class Landlord(models.Model):
    """A housing provider (a registered provider, a charity, a private landlord)."""

    name = models.CharField(max_length=160, unique=True)
    registered_provider_number = models.CharField(
        max_length=20, blank=True, help_text="The Regulator of Social Housing's number, if any."
    )
    contact_email = models.EmailField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Property(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="properties")
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="properties")
    name = models.CharField(max_length=160)
    address = models.CharField(max_length=240)
    postcode = models.CharField(max_length=8)
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        related_name="supported_living_properties",
        help_text="From the postcode (market.selectors.zone_for_postcode).",
    )
    kind = models.CharField(max_length=16, choices=rules.PROPERTY_KINDS, default=rules.SHARED)
    step_free = models.BooleanField("step-free access", default=False)
    wheelchair_accessible = models.BooleanField(default=False)
    ground_floor_bedroom = models.BooleanField(default=False)
    adapted_bathroom = models.BooleanField(default=False)
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("49")), MaxValueValidator(Decimal("61"))],
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-9")), MaxValueValidator(Decimal("2"))],
    )
    council_pays_voids = models.BooleanField(
        default=False,
        help_text="Whether the council pays the rent of an empty room here (a void agreement).",
    )
    void_weekly_cost = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What an empty room costs the council a week here; empty means the "
        "commissioner's default (VoidPolicy).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "name"]
        verbose_name_plural = "properties"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="property_name_unique"),
            models.CheckConstraint(
                condition=Q(void_weekly_cost__isnull=True) | Q(void_weekly_cost__gt=0),
                name="property_void_cost_positive",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="property_location_whole",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "kind"]),
            # A distance search narrows by a box of latitude and longitude first.
            models.Index(fields=["latitude", "longitude"], name="property_by_location"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accessibility(self) -> list[str]:
        return [label for field, label in rules.ACCESSIBILITY if getattr(self, field)]
