"""Payment rules, pay runs, their lines and the thread on a held line.

Money: a line's amount is ``money(minutes x rate / 60)``, rounded once per line
(``engine.pricing.money``); a run's total is the sum of its paid (not held) lines, already
rounded. A paid run's lines are never edited: a correction is an adjustment line in a later
run that names the line it corrects.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from caremarket.brokerage.models import ServiceAgreement
from caremarket.brokerage.models.fields import who_acted
from caremarket.core import clock


class RuleQuerySet(models.QuerySet["PaymentRule"]):
    def live(self, on: date) -> RuleQuerySet:
        return self.filter(effective_from__lte=on)

    def default_for(self, commissioner_id: int, on: date) -> PaymentRule | None:
        """The commissioner's own rule (no framework) in force on a day: it also holds the
        pay-run settings (frequency, approval limit, cost centre)."""
        return (
            self.filter(commissioner_id=commissioner_id, framework__isnull=True)
            .live(on)
            .order_by("-effective_from")
            .first()
        )


class PaymentRule(models.Model):
    """How a commissioner (or one of its frameworks) pays for visits, from a date. A rule with
    no framework is the commissioner's default, and also carries its pay-run settings."""

    class Pay(models.TextChoices):
        PLANNED = "planned", "Planned duration"
        ACTUAL = "actual", "Actual duration"

    class RateSource(models.TextChoices):
        AGREEMENT = "agreement", "The agreement's price on the visit's day"
        FIXED = "fixed", "A fixed hourly rate"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FOUR_WEEKLY = "four_weekly", "Every four weeks"

    commissioner = models.ForeignKey(
        "market.Commissioner", on_delete=models.PROTECT, related_name="payment_rules"
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_rules",
    )
    effective_from = models.DateField()
    pay = models.CharField(max_length=8, choices=Pay.choices, default=Pay.ACTUAL)
    tolerance_minutes = models.PositiveSmallIntegerField(default=5)
    late_after_minutes = models.PositiveSmallIntegerField(default=30)
    rounding_minutes = models.PositiveSmallIntegerField(default=1)
    minimum_minutes = models.PositiveSmallIntegerField(default=0)
    window_minutes = models.PositiveSmallIntegerField(default=120)
    manual_needs_reason = models.BooleanField(default=True)
    manual_cap_per_period = models.PositiveSmallIntegerField(null=True, blank=True)
    rate_source = models.CharField(
        max_length=10, choices=RateSource.choices, default=RateSource.AGREEMENT
    )
    fixed_rate = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.FOUR_WEEKLY
    )
    approval_limit = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("250000"),
        help_text="Runs above this total need a commissioner's approval, not only finance's.",
    )
    cost_centre = models.CharField(max_length=20, blank=True)
    is_assumption = models.BooleanField(
        default=True, help_text="Demo values: no council publishes these (domain-facts 3.2)."
    )
    history = HistoricalRecords()

    objects = RuleQuerySet.as_manager()

    class Meta:
        ordering = ["commissioner", "framework", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "framework", "effective_from"], name="one_rule_per_day"
            ),
            models.CheckConstraint(
                condition=Q(rounding_minutes__gte=1, rounding_minutes__lte=60),
                name="rule_rounding_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(rate_source="fixed") | Q(fixed_rate__gt=0),
                name="rule_fixed_rate_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner} {self.framework or 'default'} from {self.effective_from}"


class PayRun(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"

    commissioner = models.ForeignKey(
        "market.Commissioner", on_delete=models.PROTECT, related_name="pay_runs"
    )
    reference = models.CharField(max_length=30)
    period_start = models.DateField()
    period_end = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    held_total = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    created_by = who_acted(related_name="pay_runs_created")
    created_at = models.DateTimeField(default=clock.now)
    reviewed_by = who_acted(related_name="pay_runs_reviewed")
    approved_by = who_acted(related_name="pay_runs_approved")
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_by = who_acted(related_name="pay_runs_paid")
    paid_on = models.DateField(null=True, blank=True)
    visits_through = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="The last visit id its build saw: the period's verified visits up to it are "
        "the run's without a write to each (a visit recorded later is evidenced late).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "period_start"], name="one_run_per_period"
            ),
            models.UniqueConstraint(fields=["commissioner", "reference"], name="run_reference"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="run_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class PayLine(models.Model):
    class Kind(models.TextChoices):
        VISITS = "visits", "Evidenced visits"
        ADJUSTMENT = "adjustment", "Retrospective adjustment"
        RELEASED = "released", "Released from an earlier run"

    run = models.ForeignKey(PayRun, on_delete=models.PROTECT, related_name="lines")
    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="pay_lines"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="pay_lines"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VISITS)
    visits = models.PositiveIntegerField(default=0)
    minutes = models.IntegerField(help_text="Negative only on an adjustment that claws back.")
    rate = models.DecimalField(max_digits=9, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    held = models.BooleanField(default=False)
    hold_reason = models.CharField(max_length=120, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    released_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="releases"
    )
    note = models.CharField(max_length=240, blank=True)
    built = models.BooleanField(
        default=False, help_text="Made by building the run from visits (rebuilt with it)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["run", "provider", "agreement", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0), name="line_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.agreement}"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))


class LineMessage(models.Model):
    """The thread between finance and the provider on a held line."""

    line = models.ForeignKey(PayLine, on_delete=models.PROTECT, related_name="messages")
    by = who_acted()
    at = models.DateTimeField(default=clock.now)
    text = models.TextField()

    class Meta:
        ordering = ["line", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.line}: message of {self.at:%Y-%m-%d}"


class SupplierCode(models.Model):
    """The provider's supplier code in the council's finance system (for the export)."""

    commissioner = models.ForeignKey(
        "market.Commissioner", on_delete=models.PROTECT, related_name="supplier_codes"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="supplier_codes"
    )
    code = models.CharField(max_length=20)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commissioner", "provider"], name="one_supplier_code")
        ]

    def __str__(self) -> str:
        return self.code


def rule_in_force(rules: list[PaymentRule], framework_id: int | None, day: date) -> PaymentRule:
    """The framework's own rule in force on the day, else the commissioner's default.
    ``rules`` are one commissioner's, newest first (``Meta.ordering``)."""
    for want in (framework_id, None):
        for r in rules:
            if r.framework_id == want and r.effective_from <= day:
                return r
    raise LookupError("No payment rule is in force for this commissioner on that day.")


def as_engine_rule(rule: PaymentRule) -> Any:
    from caremarket.engine.verification import Rule

    return Rule(
        pay=rule.pay,
        tolerance_minutes=rule.tolerance_minutes,
        late_after_minutes=rule.late_after_minutes,
        rounding_minutes=rule.rounding_minutes,
        minimum_minutes=rule.minimum_minutes,
        window_minutes=rule.window_minutes,
    )
