"""Entry points: the quality questions and pass/fail items a framework publishes, providers'
applications in an entry window (zones, prices, answers with evidence), two evaluators'
independent scores, the moderated score, and the outcome. A price revision is an appointed
provider's new zone prices submitted in a revision window, effective from its date."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.core import clock
from caremarket.frameworks.models.appointments import Appointment
from caremarket.frameworks.models.frameworks import PERCENT, EntryWindow, Framework, Lot
from caremarket.market.models import Zone
from caremarket.providers.models import Provider


class QualityQuestion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    criteria = models.TextField(help_text="The published criteria each score is judged by.")
    weight = models.DecimalField(max_digits=5, decimal_places=2, validators=PERCENT)
    scale_max = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="question_number_unique")
        ]

    def __str__(self) -> str:
        return f"Q{self.number}: {self.text[:60]}"


class PassFailItem(models.Model):
    """A must-have: safeguarding training, insurance, CQC registration where the service
    needs it (``cqc_only``: asked only on lots buying a CQC-regulated service)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="pass_fail")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=240)
    cqc_only = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="pass_fail_number_unique")
        ]

    def __str__(self) -> str:
        return self.text


class EntryTerms(models.Model):
    """How a framework's applications are judged: the quality threshold out of 100."""

    framework = models.OneToOneField(Framework, on_delete=models.CASCADE, related_name="entry")
    quality_threshold = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("60"), validators=PERCENT
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Pass mark {self.quality_threshold}"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        EVALUATING = "evaluating", "Being evaluated"
        MODERATED = "moderated", "Moderated"
        SUCCESSFUL = "successful", "Successful"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"

    window = models.ForeignKey(EntryWindow, on_delete=models.PROTECT, related_name="applications")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="applications")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="applications")
    zones = models.ManyToManyField(Zone, related_name="applications")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    submitted_at = models.DateTimeField(default=clock.now)
    quality_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    outcome_feedback = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    history = HistoricalRecords(m2m_fields=[zones])

    class Meta:
        ordering = ["window", "lot", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "lot", "provider"], name="one_application_per_window_and_lot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} for {self.lot}"


class ApplicationPrice(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="prices")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(max_length=10, default="hour")
    amount = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["application", "zone__number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "zone"], name="one_price_per_zone"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="application_price_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} an hour in {self.zone}"


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(QualityQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    evidence_name = models.CharField(max_length=160, blank=True)
    evidence_type = models.CharField(max_length=80, blank=True)
    evidence = models.BinaryField(null=True, blank=True)
    moderated_score = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["evidence"])

    class Meta:
        ordering = ["application", "question__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question.number}"


class Score(models.Model):
    """One evaluator's independent score of one answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=clock.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["answer", "at"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "evaluator"], name="one_score_per_evaluator")
        ]

    def __str__(self) -> str:
        return f"{self.score} by {self.evaluator}"


class PassFailAnswer(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="pass_fail_answers"
    )
    item = models.ForeignKey(PassFailItem, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField()
    note = models.CharField(max_length=240, blank=True)

    class Meta:
        ordering = ["application", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {'met' if self.met else 'not met'}"


class PriceRevision(models.Model):
    """New zone prices submitted by an appointed provider in a revision window."""

    window = models.ForeignKey(EntryWindow, on_delete=models.PROTECT, related_name="revisions")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="revisions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["window", "appointment"], name="one_revision_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment} revised prices in {self.window}"
