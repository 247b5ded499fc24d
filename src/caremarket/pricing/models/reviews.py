"""An annual fee review: proposed from a date, weighted by cost lines, consulted on with the
providers, decided by the commissioner, and carried into every live agreement as a dated
variation (``Repricing`` records which variation each review made, so applying twice makes
nothing twice)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models import AgreementVariation, ServiceAgreement
from caremarket.core import clock
from caremarket.frameworks.models import Framework
from caremarket.market.models import Commissioner, ServiceType
from caremarket.providers.models import Provider


class FeeReviewQuerySet(models.QuerySet["FeeReview"]):
    def due(self, on: date) -> FeeReviewQuerySet:
        """Approved reviews whose effective date has come: their agreements are repriced."""
        return self.filter(status=FeeReview.Status.APPROVED, effective_from__lte=on)

    def open_for_comment(self, on: date) -> FeeReviewQuerySet:
        return self.filter(status=FeeReview.Status.CONSULTING, consultation_closes__gte=on)


class FeeReview(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONSULTING = "consulting", "Out to consultation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class Method(models.TextChoices):
        NLW_CPI = "nlw_cpi", "Staff pay by the National Living Wage, the rest by CPI"
        EVIDENCED = "evidenced", "Evidenced cost pressures, line by line"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="fee_reviews"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="fee_reviews")
    title = models.CharField(max_length=160)
    unit = models.CharField(max_length=10, choices=ServiceType.Unit.choices, default="hour")
    effective_from = models.DateField()
    method = models.CharField(max_length=12, choices=Method.choices)
    current_rate = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The fixed rate being reviewed (empty where each provider has its own price).",
    )
    uplift = models.DecimalField(
        max_digits=8, decimal_places=4, help_text="Weighted change, per cent (exact)."
    )
    proposed_rate = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    consultation_closes = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fee_reviews_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fee_reviews_created"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    history = HistoricalRecords()

    objects = FeeReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "unit", "effective_from"],
                name="one_fee_review_per_framework_unit_and_date",
            ),
            models.CheckConstraint(
                condition=Q(current_rate__isnull=True) | Q(current_rate__gt=0),
                name="fee_review_current_rate_positive",
            ),
            models.CheckConstraint(
                condition=Q(proposed_rate__isnull=True) | Q(proposed_rate__gt=0),
                name="fee_review_proposed_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_fixed_rate(self) -> bool:
        return self.current_rate is not None


class CostLine(models.Model):
    """A share of the rate (weight, per cent) and the change that moves it (per cent)."""

    review = models.ForeignKey(FeeReview, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    change = models.DecimalField(max_digits=7, decimal_places=4)
    evidence = models.CharField(max_length=240, blank=True, help_text="Where the change is from.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "position"], name="cost_line_position"),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="cost_line_weight_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.weight}% moved by {self.change}%"


class ProviderComment(models.Model):
    """A provider's response to a proposal, with an evidence file if it has one (kept in the
    database, so it is backed up with the record it supports)."""

    review = models.ForeignKey(FeeReview, on_delete=models.CASCADE, related_name="comments")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="fee_comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fee_comments"
    )
    text = models.TextField()
    evidence_name = models.CharField(max_length=160, blank=True)
    evidence_type = models.CharField(max_length=80, blank=True)
    evidence = models.BinaryField(null=True, blank=True)
    at = models.DateTimeField(default=clock.now)
    history = HistoricalRecords(excluded_fields=["evidence"])

    class Meta:
        ordering = ["review", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.provider} on {self.review}"


class Repricing(models.Model):
    """The variation a review made to one agreement: one per review and agreement."""

    review = models.ForeignKey(FeeReview, on_delete=models.PROTECT, related_name="repricings")
    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="repricings"
    )
    variation = models.OneToOneField(
        AgreementVariation, on_delete=models.PROTECT, related_name="repricing"
    )
    old_price = models.DecimalField(max_digits=9, decimal_places=2)
    new_price = models.DecimalField(max_digits=9, decimal_places=2)
    at = models.DateTimeField(default=clock.now)
    history = HistoricalRecords()  # the audit trail's: who repriced, when

    class Meta:
        ordering = ["review", "agreement"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "agreement"], name="one_repricing_per_review_and_agreement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: £{self.old_price} to £{self.new_price}"
