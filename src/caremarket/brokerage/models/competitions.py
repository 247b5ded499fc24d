from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models.referrals import Referral
from caremarket.frameworks.models import Appointment, Band, Framework, Lot
from caremarket.market.models import Commissioner
from caremarket.providers.models import Provider
from caremarket.supported_living.models import Scheme


class Competition(models.Model):
    """A mini-competition for a call-off contract: for one person, or a scheme, or a block.

    Bids are sealed until the deadline; after it, the council scores the quality answers and
    the published weights rank the bids. A bidder never sees another's bid or any rank.
    """

    class Subject(models.TextChoices):
        INDIVIDUAL = "individual", "An individual"
        SCHEME = "scheme", "A scheme"
        BLOCK = "block", "A block of schemes"

    class Status(models.TextChoices):
        OPEN = "open", "Open for bids"
        AWARDED = "awarded", "Awarded"
        CANCELLED = "cancelled", "Withdrawn"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="competitions"
    )
    reference = models.CharField(max_length=20)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="competitions")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="competitions")
    subject = models.CharField(max_length=12, choices=Subject.choices)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="competition"
    )
    schemes = models.ManyToManyField(Scheme, blank=True, related_name="competitions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    band = models.ForeignKey(
        Band,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Caps each bid's weekly price where the framework says so.",
    )
    questions = models.JSONField(
        default=list,
        help_text='Quality questions: [{"key": "q1", "text": "...", "weight": 50}, ...]; '
        "weights add up to 100.",
    )
    opened_at = models.DateTimeField()
    deadline = models.DateTimeField()
    contract_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="competitions_created"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True, help_text="Told to every bidder.")
    history = HistoricalRecords(m2m_fields=[schemes])

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "reference"], name="competition_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opened_at")),
                name="competition_deadline_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(subject="individual") | Q(referral__isnull=False),
                name="competition_for_an_individual_has_a_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def is_sealed(self, now: datetime) -> bool:
        return self.status == self.Status.OPEN and now < self.deadline

    def phase(self, now: datetime) -> str:
        if self.status != self.Status.OPEN:
            return self.status
        return "open" if now < self.deadline else "evaluation"

    def prices_hidden_from_scorer(self) -> bool:
        """The scorer marks quality blind to price: the prices show once every bid's answers
        are scored (or the competition is decided), so a low price cannot sway the marks."""
        return self.status == self.Status.OPEN and not self.all_bids_scored()

    def all_bids_scored(self) -> bool:
        """At least one bid, and every bid's quality answers scored: until then the published
        weights cannot rank the bids, so the competition cannot be awarded."""
        bids = self.bids.filter(withdrawn=False)
        return bids.exists() and not bids.filter(quality_score__isnull=True).exists()


class Bid(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="bids")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="bids")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="bids")
    weekly_price = models.DecimalField(max_digits=9, decimal_places=2)
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bids_submitted"
    )
    withdrawn = models.BooleanField(default=False)
    low_price_explanation = models.TextField(
        blank=True,
        help_text="How the bidder can deliver at a price abnormally far under the cap.",
    )
    # Set by the council's evaluation after the deadline.
    answer_scores = models.JSONField(default=dict, blank=True)
    quality_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    price_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    total_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["competition", "rank", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "provider"], name="one_bid_per_provider"
            ),
            models.CheckConstraint(condition=Q(weekly_price__gt=0), name="bid_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} for {self.competition.reference}"
