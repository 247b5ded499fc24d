from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models.awards import Award
from caremarket.brokerage.models.fields import who_acted
from caremarket.brokerage.models.people import Person
from caremarket.core import clock
from caremarket.market.models import Commissioner
from caremarket.providers.models import Provider
from caremarket.supported_living.models import Scheme


class ServiceAgreement(models.Model):
    """What was agreed: who delivers, from when, how much a week, at what price.

    Units and price are never edited in place: each change is a variation effective from a
    date, so the weekly cost on any day (and what finance pays for it) can be recomputed.
    """

    class EndReason(models.TextChoices):
        NEEDS_MET = "needs_met", "Needs met"
        MOVED_PROVIDER = "moved_provider", "Moved to another provider"
        HANDED_BACK = "handed_back", "Handed back by the provider"
        DIED = "died", "Died"
        MOVED_AWAY = "moved_away", "Moved away"

    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="agreement")
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="agreements"
    )
    reference = models.CharField(max_length=20)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    schemes = models.ManyToManyField(Scheme, blank=True, related_name="agreements")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="agreements")
    delivering_provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="agreements_delivered"
    )
    unit = models.CharField(max_length=10)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    history = HistoricalRecords(m2m_fields=[schemes])

    class Meta:
        ordering = ["-start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "reference"], name="agreement_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="agreement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | Q(end_date__isnull=False) & ~Q(end_reason=""),
                name="agreement_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def status(self, today: date) -> str:
        if self.end_date is not None and self.end_date < today:
            return "ended"
        if self.start_date > today:
            return "starting"
        return "active"

    def current_terms(self, today: date) -> AgreementVariation | None:
        """The terms in force today, or (for an agreement yet to start) those it starts on."""
        return self.terms_on(today) or self.terms_on(self.start_date)

    def terms_on(self, day: date) -> AgreementVariation | None:
        """The variation in force on a day: the latest effective on or before it."""
        in_force = [v for v in self.variations.all() if v.effective_from <= day]
        return max(in_force, key=lambda v: v.effective_from) if in_force else None


class AgreementVariation(models.Model):
    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.CASCADE, related_name="variations"
    )
    effective_from = models.DateField()
    units_per_week = models.DecimalField(max_digits=7, decimal_places=2)
    unit_price = models.DecimalField(max_digits=9, decimal_places=2)
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2)
    reason = models.CharField(max_length=240)
    by = who_acted()
    at = models.DateTimeField()
    # Every step a variation goes through (made, corrected on its own date, withdrawn before
    # it takes effect) is kept here: the row itself holds only the terms that stand.
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "effective_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "effective_from"], name="one_variation_per_day"
            ),
            models.CheckConstraint(
                condition=Q(units_per_week__gt=0, unit_price__gt=0),
                name="variation_units_and_price_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.units_per_week} a week from {self.effective_from}"
