"""Actual visits: what electronic call monitoring (or a provider) says was delivered.

The largest table in the platform (a county logs about 40,000 hours a week). On PostgreSQL it
is partitioned by month of ``day`` (migration 0002), so its keys include ``day``: the
external visit id is unique per source *and day of check-in*, and no other table holds a
foreign key to a visit (responses name a visit by id and day). Visits are never edited in
place by people: verification sets the verdict fields; a correction arrives as a new visit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import F, Q

from caremarket.brokerage.models import Person, ServiceAgreement
from caremarket.core import clock

ELECTRONIC = ("telephony", "app_gps", "qr_nfc")


class Method(models.TextChoices):
    TELEPHONY = "telephony", "Telephony"
    APP_GPS = "app_gps", "App (GPS)"
    QR_NFC = "qr_nfc", "QR code or NFC tag"
    MANUAL = "manual", "Manual"


class VisitQuerySet(models.QuerySet["Visit"]):
    def in_period(self, start: date, end: date) -> VisitQuerySet:
        return self.filter(day__gte=start, day__lte=end)

    def electronic(self) -> VisitQuerySet:
        return self.filter(method__in=ELECTRONIC)

    def of_run_period(self, run: Any) -> VisitQuerySet:
        """A run's own visits of its period: verified, with an agreement, recorded by the
        time it was built (``PayRun.visits_through``). Membership by range, so a pay run
        over a million visits writes none of them; visits evidenced late carry ``pay_run``."""
        return self.filter(
            commissioner_id=run.commissioner_id,
            day__gte=run.period_start,
            day__lte=run.period_end,
            pk__lte=run.visits_through or 0,
            pay_run__isnull=True,
            verified=True,
            agreement__isnull=False,
        )

    def of_line(self, run: Any, kind: str) -> VisitQuerySet:
        """The visits a run's lines of this kind sum: its period's ("visits"), or those
        evidenced late for it ("adjustment")."""
        return self.of_run_period(run) if kind == "visits" else self.filter(pay_run=run)

    def in_run(self, run: Any) -> VisitQuerySet:
        """Every visit a run pays or holds: its period's, and those evidenced late for it."""
        return self.of_run_period(run) | self.filter(pay_run=run)

    def outside_runs(self, commissioner_id: int, day: date) -> VisitQuerySet:
        """A day's visits no pay run has taken yet (the ones verification may still change)."""
        return self.filter(pay_run__isnull=True, pk__gt=_run_through(commissioner_id, day))

    def in_runs(self, commissioner_id: int, day: date) -> VisitQuerySet:
        """A day's visits a pay run has taken: their verdict is what was paid, and the
        planned visits they evidence stay evidenced."""
        return self.filter(Q(pay_run__isnull=False) | Q(pk__lte=_run_through(commissioner_id, day)))


def _run_through(commissioner_id: int, day: date) -> int:
    """The last visit id the run over ``day`` took by range (0 when no run covers it)."""
    from caremarket.delivery.models.payments import PayRun

    through = (
        PayRun.objects.filter(
            commissioner_id=commissioner_id, period_start__lte=day, period_end__gte=day
        )
        .values_list("visits_through", flat=True)
        .first()
    )
    return through or 0


def run_of(visit: Visit) -> Any:
    """The pay run a visit is in (explicitly, or by its period), or None."""
    from caremarket.delivery.models.payments import PayRun

    if visit.pay_run_id is not None:
        return visit.pay_run
    if not visit.verified or visit.agreement_id is None:
        return None
    return PayRun.objects.filter(
        commissioner_id=visit.commissioner_id,
        period_start__lte=visit.day,
        period_end__gte=visit.day,
        visits_through__gte=visit.pk,
    ).first()


class Visit(models.Model):
    id = models.BigAutoField(primary_key=True)
    # No single-column index on commissioner, provider or agreement: each leads one of the
    # (x, day) indexes below, and every index is paid for on each of a million inserts.
    # No foreign-key constraint in the database either (ADR 0011): the references are the
    # import's own checked values, PROTECT still guards deletes through the ORM, and
    # ``delivery.integrity`` finds any visit whose reference is gone.
    commissioner = models.ForeignKey(
        "market.Commissioner",
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
        db_constraint=False,
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
        db_constraint=False,
        help_text="Who delivered (and sent) the visit: a lead provider or its subcontractor.",
    )
    person = models.ForeignKey(  # no index: nothing reads visits by person (KPIs group by
        # person over a provider's days); a person is never deleted, and PROTECT would scan
        Person,
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
        db_constraint=False,
    )
    agreement = models.ForeignKey(
        ServiceAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        db_index=False,
        db_constraint=False,
    )
    planned = models.ForeignKey(
        "delivery.PlannedVisit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        db_constraint=False,
    )
    source = models.CharField(max_length=40, help_text='Who sent it: "provider:<id>".')
    external_id = models.CharField(max_length=60)
    carer_ref = models.CharField(max_length=40)
    day = models.DateField(help_text="The day of check-in: the partition key.")
    check_in = models.DateTimeField()
    check_out = models.DateTimeField()
    planned_start = models.DateTimeField(null=True, blank=True)
    planned_end = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices)
    manual_reason = models.CharField(max_length=240, blank=True)
    minutes = models.PositiveIntegerField()
    # The verdict, set by verification (services.verify).
    verified = models.BooleanField(default=False)
    exceptions = models.CharField(max_length=120, blank=True)
    paid_minutes = models.PositiveIntegerField(default=0)
    rate = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    held = models.BooleanField(default=False)
    hold_reason = models.CharField(max_length=120, blank=True)
    pay_run = models.ForeignKey(
        "delivery.PayRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        db_index=False,  # only visits evidenced late carry a run: a partial index below
        db_constraint=False,
    )
    import_run = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-check_in", "pk"]
        indexes = [
            models.Index(fields=["commissioner", "day"], name="visit_commissioner_day"),
            models.Index(fields=["provider", "day"], name="visit_provider_day"),
            models.Index(fields=["agreement", "day"], name="visit_agreement_day"),
            models.Index(
                fields=["pay_run"], name="visit_late_in_run", condition=Q(pay_run__isnull=False)
            ),
            # The days a pay run must verify first: few rows, none for a verified import.
            models.Index(
                fields=["commissioner", "day"],
                name="visit_unverified",
                condition=Q(verified=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id", "day"], name="visit_id_unique_per_source"
            ),
            models.CheckConstraint(
                condition=Q(check_out__gte=F("check_in")), name="visit_out_after_in"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.day})"

    @property
    def exception_list(self) -> list[str]:
        return [e for e in self.exceptions.split(",") if e]
