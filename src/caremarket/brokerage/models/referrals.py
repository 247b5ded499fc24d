from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage import rules
from caremarket.brokerage.models.fields import who_acted
from caremarket.brokerage.models.people import Person
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.engine.lifecycle import State
from caremarket.engine.vacancy import BED_TYPES
from caremarket.frameworks.models import Band, Framework, Lot
from caremarket.market.models import Commissioner, ServiceType, Specialism, Zone

STATE_CHOICES = [(s.value, s.value.replace("_", " ").capitalize()) for s in State]
# The routes that source care by calling off a framework through a competition.
CALL_OFF_ROUTES = (Framework.Route.CALL_OFF, Framework.Route.MINI_COMPETITION)
# The states in which a referral is still being sourced.
OPEN_STATES = ("submitted", "offered", "awaiting_care")


class Referral(models.Model):
    """A request for care for one person: what, how much, when, how urgently, and why."""

    class Urgency(models.TextChoices):
        HOSPITAL_DISCHARGE = "hospital_discharge", "Hospital discharge"
        CRISIS = "crisis", "Crisis"
        PLANNED = "planned", "Planned"

    class Interim(models.TextChoices):
        NONE = "", "Not recorded"
        IN_HOSPITAL = "in_hospital", "In hospital"
        SHORT_TERM_CARE_HOME = "short_term_care_home", "In a short-term care home"
        FAMILY_CARE = "family_care", "Family care"
        OTHER_CARE = "other_care", "Other care in place"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="referrals"
    )
    reference = models.CharField(max_length=20)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="Where the care is delivered: the person's zone when raised.",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_raised"
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="referrals"
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text="The framework it is sourced through; empty when nothing buys this service here.",
    )
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    route = models.CharField(max_length=24, choices=Framework.Route.choices)
    hours_per_week = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.ForeignKey(
        Band, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    bed_type = models.CharField(
        max_length=24,
        choices=BED_TYPES,
        blank=True,
        help_text="For a care home place: the kind of bed (Capacity Tracker's categories).",
    )
    calls_per_day = models.PositiveSmallIntegerField(null=True, blank=True)
    times_of_day = models.CharField(
        max_length=80, blank=True, help_text="Comma-separated: morning, lunch, tea, evening, night."
    )
    minutes_per_call = models.PositiveSmallIntegerField(null=True, blank=True)
    double_handed = models.BooleanField(default=False)
    start_date = models.DateField()
    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    needs = models.ManyToManyField(
        Specialism,
        blank=True,
        related_name="referrals",
        help_text="Needs only some providers can meet.",
    )
    outcomes = models.TextField("what matters to me")
    state = models.CharField(max_length=16, choices=STATE_CHOICES, default=State.SUBMITTED.value)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    # Awaiting care: why, since when, what the person has meanwhile, and what happens next.
    awaiting_since = models.DateField(null=True, blank=True)
    interim_arrangement = models.CharField(max_length=24, choices=Interim.choices, blank=True)
    next_action = models.CharField(max_length=240, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    widened_to = models.ManyToManyField(
        Zone,
        blank=True,
        related_name="widened_referrals",
        help_text="Neighbouring zones whose providers were also asked.",
    )
    spot_reason = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[needs, widened_to])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "reference"], name="referral_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gt=0, hours_per_week__lte=168),
                name="referral_hours_in_a_week",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=False)
                | Q(sessions_per_week__isnull=False)
                | Q(band__isnull=False)
                | ~Q(bed_type=""),
                name="referral_says_how_much",
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__isnull=True) | Q(sessions_per_week__gte=1),
                name="referral_sessions_positive",
            ),
        ]
        indexes = [models.Index(fields=["commissioner", "state"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_call_off(self) -> bool:
        """Sourced by calling off a framework through a competition (supported living)."""
        return self.route in CALL_OFF_ROUTES

    @property
    def takes_quote(self) -> bool:
        """Whether a provider accepting an offer names its own price: the framework buys by
        bids rather than at each provider's published zone price."""
        return (
            self.framework is not None
            and self.framework.pricing_model == Framework.PricingModel.BID
        )

    def lot_to_call_off(self) -> Lot:
        """The framework lot a call-off competition for this person runs on."""
        if self.lot is None:
            raise Invalid("This referral has no framework lot to call off from.")
        return self.lot

    def waiting(self, today: date) -> rules.Waiting:
        """Days waiting and priority today (``rules.waiting``): the one figure the
        awaiting-care list, the referral page, the API and "Suggest placements" all read."""
        return rules.waiting(
            urgency=self.urgency,
            awaiting_since=self.awaiting_since,
            start_date=self.start_date,
            raised_on=clock.local(self.created_at).date(),
            today=today,
        )

    def refuse_if_placed(self) -> None:
        """Raise ``rules.already_placed`` (a ``Conflict``) if the referral is placed. Every
        path to an award calls it under the referral's row lock."""
        if self.state == State.AWARDED:
            raise rules.already_placed(self.reference)

    @property
    def times_of_day_label(self) -> str:
        return ", ".join(t for t in self.times_of_day.split(",") if t)

    @property
    def amount_label(self) -> str:
        if self.hours_per_week is not None:
            return f"{self.hours_per_week.normalize():f} hours a week"
        if self.sessions_per_week is not None:
            plural = "s" if self.sessions_per_week != 1 else ""
            return f"{self.sessions_per_week} session{plural} a week"
        if self.band:
            return f"{self.band.get_level_display()} band"
        return f"A {self.get_bed_type_display().lower()} bed" if self.bed_type else ""


class ReferralEvent(models.Model):
    """Every change of a referral's state, with who and when: the referral's timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    by = who_acted(help_text="Empty when the platform itself acted.")
    at = models.DateTimeField()
    note = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["referral", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.from_state or 'new'} to {self.to_state}"
