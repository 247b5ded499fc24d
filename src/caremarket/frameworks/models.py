"""How a commissioner buys: frameworks with lots, entry windows, appointments and prices.

The seeds give five arrangements and this one model carries them all: Devon's open framework
(provider's own price per zone, annual entry windows), Devon's and the Isle of Wight's
prime-provider contracts (a lead per zone, subcontractor panels, a minimum share), Staffordshire's
flexible framework (banded weekly rates, call-off by competition) and approved lists.
Dates decide state: a window is open because today falls inside it, a price applies because
its effective date has come.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from simple_history.models import HistoricalRecords

from caremarket.engine import pricing, terms
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Zone
from caremarket.providers.models import Provider

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
        from django.core.exceptions import ValidationError

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
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="entry_windows")
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

    def is_live(self, today: date) -> bool:
        return (
            self.status == self.Status.ACTIVE
            and self.appointed_on <= today
            and (self.ends_on is None or today <= self.ends_on)
        )


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


class PanelMember(models.Model):
    """A subcontractor on a lead provider's panel, for some of the lead's zones."""

    prime = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="panel")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="panels")
    zones = models.ManyToManyField(Zone, related_name="panel_members")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[zones])

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


class Price(models.Model):
    """A provider's price for a lot in a zone, per unit, from a date. Never edited in place."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="prices")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="prices")
    unit = models.CharField(max_length=10, choices=ServiceType.Unit.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    effective_from = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["appointment", "zone__number", "unit", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "zone", "unit", "effective_from"],
                name="one_price_per_zone_unit_and_date",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="price_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} per {self.get_unit_display()} from {self.effective_from}"

    def as_rate_point(self) -> pricing.RatePoint:
        return pricing.RatePoint(self.effective_from, self.amount)


class CommissionerRate(models.Model):
    """A fixed price the commissioner sets, like the Isle of Wight's £19.28 an hour."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rates")
    unit = models.CharField(max_length=10, choices=ServiceType.Unit.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    effective_from = models.DateField()
    basis = models.CharField(
        max_length=240,
        blank=True,
        help_text="Why this rate: the annual fee review (evidenced costs, CPI, National Living "
        "Wage).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "unit", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "unit", "effective_from"], name="one_rate_per_unit_and_date"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} per {self.get_unit_display()} from {self.effective_from}"

    def as_rate_point(self) -> pricing.RatePoint:
        return pricing.RatePoint(self.effective_from, self.amount)


class Band(models.Model):
    """A weekly rate tier: typical hours of care at a sustainable hourly rate."""

    class Level(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        VERY_HIGH = "very_high", "Very high"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    level = models.CharField(max_length=12, choices=Level.choices)
    typical_hours_per_week = models.DecimalField(max_digits=6, decimal_places=2)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2)
    effective_from = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "effective_from", "typical_hours_per_week"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "level", "effective_from"], name="one_band_level_per_date"
            ),
            models.CheckConstraint(
                condition=Q(typical_hours_per_week__gt=0, hourly_rate__gt=0),
                name="band_hours_and_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: £{self.weekly_rate} a week"

    @property
    def weekly_rate(self) -> Decimal:
        return pricing.band_weekly_rate(self.typical_hours_per_week, self.hourly_rate)
