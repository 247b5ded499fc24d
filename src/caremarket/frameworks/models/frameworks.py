"""Frameworks, their lots, entry windows and extension options: the terms a commissioner buys
under. Dates decide state: a window is open because today falls inside it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from simple_history.models import HistoricalRecords

from caremarket.engine import terms
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Zone

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Framework(models.Model):
    class Kind(models.TextChoices):
        OPEN_FRAMEWORK = "open_framework", "Open framework"
        DPS = "dps", "Dynamic purchasing system"
        PRIME_PROVIDER = "prime_provider", "Prime-provider contract"
        FLEXIBLE_FRAMEWORK = "flexible_framework", "Flexible framework"
        APPROVED_LIST = "approved_list", "Approved list"

    class Route(models.TextChoices):
        FRAMEWORK_FIRST = "framework_first", "Framework first: offer to appointed providers"
        PRIME_PROVIDER = "prime_provider", "Prime provider: the zone's lead accepts or subcontracts"
        MINI_COMPETITION = "mini_competition", "Mini-competition: scored bids"
        CALL_OFF = "call_off", "Call-off by competition for a scheme or an individual"
        SPOT = "spot", "Spot purchase (off-framework, with a recorded reason)"

    class AwardRule(models.TextChoices):
        LOWEST_PRICE = "lowest_price", "Lowest price"
        HIGHEST_QUALITY = "highest_quality", "Highest quality score"
        WEIGHTED = "weighted", "Weighted quality and price"
        FIRST_TO_ACCEPT = "first_to_accept", "First to accept"
        PERSON_CHOICE = "person_choice", "The person's choice among acceptances"

    class PricingModel(models.TextChoices):
        PROVIDER_ZONE_PRICE = "provider_zone_price", "Provider's own price per zone"
        FIXED_RATE = "fixed_rate", "Fixed commissioner rate"
        BANDED_WEEKLY_RATE = "banded_weekly_rate", "Banded weekly rate"
        BID = "bid", "Price bid per referral"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="frameworks"
    )
    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=80)
    reference = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(help_text="The end of the initial term, before any extension.")
    route_to_market = models.CharField(max_length=24, choices=Route.choices)
    award_rule = models.CharField(max_length=24, choices=AwardRule.choices)
    quality_weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
        help_text="Per cent of the score given to quality, for the weighted rule.",
    )
    price_weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
        help_text="Per cent of the score given to price, for the weighted rule.",
    )
    pricing_model = models.CharField(max_length=24, choices=PricingModel.choices)
    offer_window_hours = models.PositiveSmallIntegerField(
        default=48, help_text="How long providers have to answer an offer."
    )
    urgent_offer_window_hours = models.PositiveSmallIntegerField(
        default=4, help_text="How long they have when the person is waiting to leave hospital."
    )
    award_before_window_closes = models.BooleanField(
        default=False,
        help_text="Whether the broker may award as soon as an acceptance arrives.",
    )
    reopening_allowed = models.BooleanField(
        default=False, help_text="Whether the commissioner may re-open the framework to entrants."
    )
    min_subcontract_share = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Per cent of referred hours a lead provider must subcontract (30 on the "
        "Isle of Wight).",
    )
    bids_capped_at_band_rate = models.BooleanField(
        default=False, help_text="Whether a call-off bid may not exceed the band's weekly rate."
    )
    max_schemes_per_block = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The most schemes one provider may win as a block call-off.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "slug"], name="framework_slug_unique_per_commissioner"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="framework_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(award_rule="weighted")
                | Exact(F("quality_weight") + F("price_weight"), Decimal("100")),
                name="framework_weighted_rule_weights_sum_to_100",
            ),
            models.CheckConstraint(
                condition=Q(urgent_offer_window_hours__lte=F("offer_window_hours")),
                name="framework_urgent_window_not_longer",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.award_rule == self.AwardRule.WEIGHTED and (
            (self.quality_weight or 0) + (self.price_weight or 0) != 100
        ):
            raise ValidationError("Quality and price weights must add up to 100 per cent.")
        if self.route_to_market == self.Route.PRIME_PROVIDER and self.min_subcontract_share is None:
            raise ValidationError(
                {"min_subcontract_share": "Give the share a lead provider must subcontract."}
            )

    def term(self) -> terms.Term:
        options = list(self.extension_options.all())
        return terms.Term(
            start=self.start_date,
            end=self.end_date,
            extension_months=tuple(o.months for o in options),
            extensions_exercised=sum(1 for o in options if o.exercised),
        )

    def entry_summary(self, today: date) -> terms.EntrySummary:
        return terms.summarise((w.as_window() for w in self.entry_windows.all()), today)


class ExtensionOption(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="extension_options"
    )
    sequence = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField()
    exercised = models.BooleanField(default=False)
    decided_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "sequence"], name="extension_sequence_unique"
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="extension_months_positive"),
        ]

    def __str__(self) -> str:
        return f"Extension {self.sequence}: {self.months} months"


class Lot(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    service_types = models.ManyToManyField(ServiceType, related_name="lots")
    care_groups = models.ManyToManyField(CareGroup, related_name="lots")
    zones = models.ManyToManyField(Zone, related_name="lots")
    history = HistoricalRecords(m2m_fields=[service_types, care_groups, zones])

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="lot_number_unique")
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.name}"


class EntryWindow(models.Model):
    class Purpose(models.TextChoices):
        ENTRY = "entry", "New providers may apply"
        PRICE_REVISION = "price_revision", "Appointed providers may revise their prices"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="entry_windows")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.ENTRY)
    opens = models.DateField()
    closes = models.DateField()
    contracts_commence = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gte=F("opens")), name="window_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(contracts_commence__isnull=True)
                | Q(contracts_commence__gte=F("closes")),
                name="window_contracts_commence_after_close",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opens:%d %b %Y} to {self.closes:%d %b %Y}"

    def as_window(self) -> terms.Window:
        return terms.Window(self.opens, self.closes, self.contracts_commence)
