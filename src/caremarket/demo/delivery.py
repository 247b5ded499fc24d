"""The demo's part: Isle of Wight visits from a generated ECM file, pay runs (issue 11).

Called by builder.build after the market and brokerage are built; returns counts for the
build report. Deterministic for a seed and date. Every Isle of Wight agreement gets a weekly
pattern (a morning and an evening visit; one double-handed), four weeks of planned visits,
and an ECM file per provider generated from the plan with realistic faults (late, short,
long, missed, manual log-ins with and without a reason, a double-handed visit with one carer)
that goes through the real import. Then the first week is paid and the second is in review,
and the lead provider.iow shares what it is paid with provider.subcontractor.

The payment rule's values are assumptions (no council publishes its tolerance or rounding:
domain-facts 3.2), labelled ``is_assumption``; the price is each agreement's (the Isle of
Wight's fixed £19.28 an hour, seed 001).
"""

from __future__ import annotations

import csv
import random
import shutil
import tempfile
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from caremarket.accounts.models import User
from caremarket.brokerage.models import ServiceAgreement
from caremarket.core import clock, imports
from caremarket.delivery.models import (
    ExceptionResponse,
    LineMessage,
    PaymentRule,
    PlannedVisit,
    SupplierCode,
    VariationRequest,
    Visit,
    VisitPattern,
)
from caremarket.delivery.models.visits import run_of
from caremarket.delivery.services import payruns, planning, shares
from caremarket.delivery.services.ecm_import import ECM_VISITS
from caremarket.market.models import Commissioner

HEADER = [c.name for c in ECM_VISITS.columns]


def build(*, as_of: date, moment: datetime, seed: int) -> dict[str, int]:
    iow = Commissioner.objects.filter(slug="isle-of-wight").first()
    if iow is None:
        return {}
    rng = random.Random(seed + 11)
    PaymentRule.objects.create(
        commissioner=iow,
        effective_from=date(2021, 2, 1),
        pay=PaymentRule.Pay.ACTUAL,
        tolerance_minutes=5,
        late_after_minutes=30,
        rounding_minutes=5,
        minimum_minutes=15,
        manual_needs_reason=True,
        manual_cap_per_period=3,
        frequency=PaymentRule.Frequency.WEEKLY,
        cost_centre="ASC-HOMECARE",
        approval_limit=Decimal("250000"),
    )
    agreements = list(
        ServiceAgreement.objects.filter(commissioner=iow, person__isnull=False)
        .select_related("person")
        .prefetch_related("variations")
        .order_by("pk")
    )
    end = as_of - timedelta(days=as_of.weekday() + 1)  # last Sunday
    start = end - timedelta(days=27)
    _patterns(agreements, start)
    planned = planning.plan(iow.pk, start, end)
    visits = _import_ecm(iow, start, end, rng)
    runs = _pay_runs(iow, start, as_of)
    _conversation(iow)
    SupplierCode.objects.bulk_create(
        SupplierCode(commissioner=iow, provider_id=p, code=f"IW{p:05d}")
        for p in {a.provider_id for a in agreements}
    )
    shared = _share_payments(moment)
    return {"planned visits": planned, "visits": visits, "pay runs": runs, "payment shares": shared}


def _patterns(agreements: list[ServiceAgreement], start: date) -> None:
    rows = []
    for i, a in enumerate(agreements):
        terms = a.terms_on(max(start, a.start_date)) or a.terms_on(a.start_date)
        daily = int((terms.units_per_week if terms else Decimal("7")) * 60 / 7)
        morning = max(15, round(daily * 0.6 / 15) * 15)
        evening = max(15, round((daily - morning) / 15) * 15)
        for d in range(7):
            rows.append(
                VisitPattern(
                    agreement=a,
                    weekday=d,
                    start_time=time(8, 0) if i % 2 else time(7, 30),
                    minutes=morning,
                    carers=2 if i == 0 else 1,
                    effective_from=a.start_date,
                )
            )
            rows.append(
                VisitPattern(
                    agreement=a,
                    weekday=d,
                    start_time=time(18, 0),
                    minutes=evening,
                    effective_from=a.start_date,
                )
            )
    VisitPattern.objects.bulk_create(rows)


def _import_ecm(iow: Commissioner, start: date, end: date, rng: random.Random) -> int:
    """One ECM file per delivering provider, generated from the plan, through the import."""
    by_provider: dict[int, list[list[str]]] = defaultdict(list)
    plans = PlannedVisit.objects.filter(commissioner=iow, day__gte=start, day__lte=end)
    carers = [f"CW{n:05d}" for n in range(10001, 10040)]
    for n, p in enumerate(plans.select_related("person").order_by("start", "pk")):
        roll = rng.random()
        if roll < 0.03:
            continue  # missed
        late = rng.randint(35, 70) if roll < 0.10 else rng.randint(-5, 10)
        minutes = p.minutes + rng.randint(-3, 4)
        if 0.10 <= roll < 0.16:
            minutes = int(p.minutes * rng.uniform(0.45, 0.75))  # short
        elif 0.16 <= roll < 0.19:
            minutes = p.minutes + rng.randint(20, 35)  # long
        method = rng.choice(["telephony"] * 6 + ["app_gps"] * 3 + ["qr_nfc"])
        reason = ""
        if rng.random() < 0.06:
            method = "manual"
            reason = rng.choice(["", "Phone had no signal in the flat", "QR tag missing"])
        carer = carers[(p.person_id * 3 + p.start.hour // 12) % len(carers)]
        if rng.random() < 0.15:
            carer = rng.choice(carers)  # cover from another carer
        check_in = p.start + timedelta(minutes=late)
        for k in range(p.carers if (p.carers == 1 or n % 5) else 1):  # now and then one carer
            by_provider[p.provider_id].append(
                [
                    f"ECM-{p.pk:07d}-{k}",
                    p.person.reference,
                    carer if k == 0 else carers[-1 - k],
                    _iso(p.start),
                    _iso(p.start + timedelta(minutes=p.minutes)),
                    _iso(check_in),
                    _iso(check_in + timedelta(minutes=max(minutes, 3))),
                    method,
                    reason,
                ]
            )
    folder = Path(tempfile.mkdtemp(prefix="caremarket-ecm-"))
    total = 0
    for provider_id, rows in by_provider.items():
        path = folder / f"ecm-{provider_id}.csv"
        with open(path, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER)
            writer.writerows(rows)
        run = imports.start(
            ECM_VISITS.kind,
            path,
            owner=imports.owner_key(provider_id=provider_id),
            inline=True,
            options={"provider_id": provider_id, "commissioner_id": iow.pk},
        )
        if run.status != run.Status.SUCCEEDED:
            raise RuntimeError(f"The demo ECM file did not import: {run.errors[:3]}")
        total += run.rows_written
    shutil.rmtree(folder, ignore_errors=True)  # the import keeps its own copy of each file
    return total


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _pay_runs(iow: Commissioner, start: date, as_of: date) -> int:
    finance = User.objects.filter(username="iow.finance").first()
    commissioner = User.objects.filter(username="iow.commissioner").first()
    first = payruns.open_run(iow.pk, by=finance, period_start=start)
    payruns.build(first.pk)
    payruns.send_for_review(first.pk, by=finance)
    payruns.approve(first.pk, by=commissioner)
    payruns.record_payment(
        first.pk, by=finance, paid_on=min(first.period_end + timedelta(days=12), as_of)
    )
    second = payruns.open_run(iow.pk, by=finance)
    payruns.build(second.pk)
    payruns.send_for_review(second.pk, by=finance)
    return 2


def _share_payments(moment: datetime) -> int:
    """The Isle of Wight lead (provider.iow) shares what it is paid with provider.subcontractor,
    on its panel, from the demo's day (through the service, so the panel rule applies)."""
    lead = User.objects.filter(username="provider.iow").first()
    sub = User.objects.filter(username="provider.subcontractor").first()
    if lead is None or sub is None or sub.provider_id is None:
        return 0
    with clock.frozen_at(moment):
        return int(shares.share(lead, sub.provider_id).changed)


def _conversation(iow: Commissioner) -> None:
    """A held line's thread, an explained late visit, and extra time waiting for a decision."""
    finance = User.objects.filter(username="iow.finance").first()
    held = Visit.objects.filter(commissioner=iow, held=True).order_by("day", "pk").first()
    line = None
    run = run_of(held) if held is not None else None  # a run holds its period by range
    if held is not None and run is not None:
        line = run.lines.filter(agreement_id=held.agreement_id, held=True).first()
    if line is not None:
        LineMessage.objects.create(
            line=line, by=finance, text=f"Held: {line.hold_reason}. Can you tell us what happened?"
        )
    provider_user = User.objects.filter(username="provider.iow").first()
    if provider_user is None:
        return
    mine = Visit.objects.filter(commissioner=iow, provider_id=provider_user.provider_id)
    late = mine.filter(exceptions__contains="late").order_by("day").first()
    if late is not None:
        ExceptionResponse.objects.create(
            visit_id=late.pk,
            visit_day=late.day,
            provider_id=late.provider_id,
            kind="explain",
            text="The carer was held up at the previous visit (a fall); the family were told.",
            by=provider_user,
        )
    long = mine.filter(exceptions__contains="long", planned__isnull=False).order_by("day").first()
    if long is not None and long.agreement_id:
        VariationRequest.objects.create(
            agreement_id=long.agreement_id,
            visit_id=long.pk,
            visit_day=long.day,
            extra_minutes=long.minutes - long.planned.minutes,
            reason="Needed help to settle after coming home from hospital.",
            by=provider_user,
        )
