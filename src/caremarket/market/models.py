"""The shape of a council's market: who commissions, where (zones), for whom, and what.

Commissioners own their zones and postcode mappings. Care groups and service types are
reference data shared by every commissioner, so that returns and the public directory speak
one vocabulary across councils.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.engine import postcodes


class Commissioner(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", "Local authority"
        NHS = "nhs", "NHS partner"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COUNCIL)
    ons_code = models.CharField(
        "ONS code", max_length=9, blank=True, help_text="E10000008 for Devon, for example."
    )
    zone_label = models.CharField(
        max_length=20,
        default="zone",
        help_text="What this commissioner calls its areas: 'zone' in Devon, 'locality' on the "
        "Isle of Wight.",
    )
    website = models.URLField(blank=True)
    # The stem of every reference this commissioner issues (DEV-R-000123). Stored once, when
    # the commissioner is created, and unique, so references stay unique and keep pointing at
    # one council whatever later happens to its name or slug.
    reference_prefix = models.CharField(
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        help_text="Capital letters that begin this commissioner's references. Set once.",
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "Use 2 to 6 capital letters.")],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.reference_prefix:
            self.reference_prefix = free_reference_prefix(self.slug, self.name)
        super().save(*args, **kwargs)


# The prefixes the demo councils' references have always had (brokerage.services.common).
KNOWN_PREFIXES = {"devon": "DEV", "isle-of-wight": "IOW", "staffordshire": "STA"}


def free_reference_prefix(slug: str, name: str) -> str:
    """A prefix no other commissioner holds: the known one, else the name's first three
    letters, lengthened with letters of the name (then A, B, ...) until it is free."""
    taken = set(Commissioner.objects.values_list("reference_prefix", flat=True))
    letters = re.sub(r"[^A-Z]", "", name.upper()) or "COM"
    first = KNOWN_PREFIXES.get(slug) or letters[:3].ljust(2, "X")
    candidates = [first] + [letters[:n] for n in range(4, min(len(letters), 6) + 1)]
    candidates += [first[:5] + chr(c) for c in range(ord("A"), ord("Z") + 1)]
    free = (c for c in candidates if c not in taken)
    # Past the letters, numbers: FAC2, FAC3, ... (never exhausted, so a save cannot fail).
    numbered = (f"{first[:3]}{n}" for n in itertools.count(2) if f"{first[:3]}{n}" not in taken)
    return next(free, None) or next(numbered)


class Zone(models.Model):
    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="zones")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=240, blank=True)
    neighbours = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        help_text="Zones next to this one, where a broker can widen a search for care.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "number"], name="zone_number_unique_per_commissioner"
            ),
            models.UniqueConstraint(
                fields=["commissioner", "name"], name="zone_name_unique_per_commissioner"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="zone_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner.name} {self.label}"

    @property
    def label(self) -> str:
        """'Zone 4: Exeter' in Devon, 'Locality 2: West Wight' on the Isle of Wight."""
        return f"{self.commissioner.zone_label.capitalize()} {self.number}: {self.name}"


class Town(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="towns")
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["zone", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="town_unique_per_zone")
        ]

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """A postcode district (EX39) or sector (EX39 1) that a commissioner maps to a zone.

    A sector mapping overrides its district's, for the districts that straddle two zones.
    """

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.CASCADE, related_name="postcode_areas"
    )
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="postcode_areas")
    code = models.CharField(max_length=8, help_text="A district like EX39 or a sector like EX39 1.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = "postcode district or sector"
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "code"], name="postcode_area_unique_per_commissioner"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            self.code = postcodes.normalise_area(self.code)
        except postcodes.InvalidPostcode as exc:
            raise ValidationError({"code": str(exc)}) from exc
        if (
            self.zone_id
            and self.commissioner_id
            and self.zone.commissioner_id != self.commissioner_id
        ):
            raise ValidationError({"zone": "Choose one of this commissioner's zones."})


class CareGroup(models.Model):
    """A group of people a service supports, mapped to DHSC Client Level Data.

    The mapping lets statutory returns be built from the platform's own words; where a care
    group has no exact Primary Support Reason (Autism), the choice is a documented assumption.
    """

    class PrimarySupportReason(models.TextChoices):
        PHYSICAL_ACCESS = "Physical Support: Access & mobility only"
        PHYSICAL_PERSONAL = "Physical Support: Personal care support"
        SENSORY_VISUAL = "Sensory Support: Support for visual impairment"
        SENSORY_HEARING = "Sensory Support: Support for hearing impairment"
        SENSORY_DUAL = "Sensory Support: Support for dual impairment"
        MEMORY = "Support with Memory & Cognition"
        LEARNING_DISABILITY = "Learning Disability Support"
        MENTAL_HEALTH = "Mental Health Support"
        SUBSTANCE = "Social Support: Substance misuse support"
        ASYLUM = "Social Support: Asylum seeker support"
        SOCIAL_OTHER = "Social Support: Support for Social Isolation/Other"

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=80)
    clc_primary_support_reason = models.CharField(
        "Client Level Data primary support reason",
        max_length=80,
        choices=PrimarySupportReason.choices,
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceType(models.Model):
    class Unit(models.TextChoices):
        HOUR = "hour", "hour"
        WEEK = "week", "week"
        SESSION = "session", "session"
        NIGHT = "night", "night"
        BED_WEEK = "bed_week", "bed-week"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    cqc_registration_required = models.BooleanField(
        "CQC registration required",
        help_text="Regulated activity: the provider must be registered with the CQC.",
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name


class Specialism(models.Model):
    """What some providers can do and others cannot: it restricts who may take a referral."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
