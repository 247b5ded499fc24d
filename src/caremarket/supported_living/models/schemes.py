"""Schemes and the groups of people they serve.

A scheme is a provider's care service on a framework lot at one or more properties. The
groups are Staffordshire's (seed 004, paragraphs 7-8: groups 1, 2, 3a, 3b, 3c and 4); a
scheme says which groups and which bands of complexity it serves, and what a housemate must
be compatible with (no pets, no smokers, women only...).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.frameworks.models import Lot
from caremarket.market.models import Commissioner, Zone
from caremarket.providers.models import Provider
from caremarket.supported_living import rules


class SupportGroup(models.Model):
    """A commissioner's grouping of supported living residents (Staffordshire's 1 to 4)."""

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="support_groups"
    )
    code = models.CharField(max_length=8, help_text="1, 2, 3a, 3b, 3c or 4 in Staffordshire.")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    in_framework = models.BooleanField(
        default=True,
        help_text="Whether the framework's lots cover the group (Staffordshire's group 4, "
        "placed outside the county, is out of scope).",
    )
    sequence = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["commissioner", "sequence", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "code"], name="support_group_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Group {self.code}"


class Scheme(models.Model):
    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="schemes")
    name = models.CharField(max_length=160)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="schemes")
    lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        related_name="schemes",
        help_text="The framework lot whose providers may bid to care for this scheme.",
    )
    address = models.CharField(max_length=240, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    housing_provider = models.CharField(max_length=160, blank=True)
    rooms = models.PositiveSmallIntegerField()
    # Added by issue 10 (every field has a default, so older rows and callers are unchanged).
    care_provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        default=None,
        related_name="supported_living_schemes",
        help_text="Who provides the care here (not the landlord); it confirms bookings and "
        "keeps the rooms' status up to date.",
    )
    groups = models.ManyToManyField(SupportGroup, blank=True, related_name="schemes")
    serves_low = models.BooleanField("serves the low band", default=True)
    serves_medium = models.BooleanField("serves the medium band", default=True)
    serves_high = models.BooleanField("serves the high band", default=True)
    serves_very_high = models.BooleanField("serves the very high band", default=True)
    pets_allowed = models.BooleanField(default=True)
    smoking_allowed = models.BooleanField(default=True)
    gender = models.CharField(
        "who may live here",
        max_length=8,
        choices=rules.GENDER_CHOICES,
        default=rules.ANY_GENDER,
    )
    compatibility_notes = models.TextField(
        blank=True, help_text="Anything else a housemate must be compatible with."
    )
    history = HistoricalRecords(m2m_fields=[groups])

    class Meta:
        ordering = ["commissioner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commissioner", "name"], name="scheme_name_unique"),
            models.CheckConstraint(condition=Q(rooms__gte=1), name="scheme_has_rooms"),
        ]

    def __str__(self) -> str:
        return self.name

    def serves_band(self, level: str) -> bool:
        return bool(getattr(self, f"serves_{level}", False))

    @property
    def bands_label(self) -> str:
        return ", ".join(label for level, label in rules.BAND_LEVELS if self.serves_band(level))

    @property
    def compatibility(self) -> list[str]:
        """The scheme's compatibility rules in words (``rules.compatibility_labels``)."""
        return rules.compatibility_labels(
            pets_allowed=self.pets_allowed,
            smoking_allowed=self.smoking_allowed,
            gender=self.gender,
            notes=self.compatibility_notes,
        )
