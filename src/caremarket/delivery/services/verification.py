"""Verification: match each day's actual visits to its planned ones, price them, hold what
needs a person's look. The rules themselves are ``engine.verification``; this module only
adapts rows to it and writes the verdicts back.

A day at a time, so memory stays flat however many visits a period holds; visits already in a
pay run are never re-verified (their verdict is what was paid), and the plans they evidence
stay evidenced. A day's plans are matched with the visits whose care day it is
(``care_days``): its own, and those near midnight on either side that evidence its plans; so
a range is verified with a day either side of it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from caremarket.brokerage.models import AgreementVariation, ServiceAgreement
from caremarket.delivery.models import ExceptionResponse, PaymentRule, PlannedVisit, Visit
from caremarket.delivery.models.payments import as_engine_rule, rule_in_force
from caremarket.delivery.services import care_days
from caremarket.engine import verification as v
from caremarket.engine.pricing import RatePoint, rate_on

HOLD_UNPLANNED = "unplanned: no planned visit to evidence it against"
HOLD_UNMATCHED = "no live agreement on the day"
HOLD_NO_REASON = "manual log-in without a reason"
HOLD_DISPUTED = "disputed by the provider"


class Context:
    """What verification needs about a commissioner, loaded once per call."""

    def __init__(self, commissioner_id: int) -> None:
        self.rules = list(PaymentRule.objects.filter(commissioner_id=commissioner_id))
        if not self.rules:
            raise LookupError("This commissioner has no payment rule yet.")
        self.framework: dict[int, int | None] = dict(
            ServiceAgreement.objects.filter(commissioner_id=commissioner_id).values_list(
                "pk", "award__referral__framework_id"
            )
        )
        self.prices: dict[int, list[RatePoint]] = defaultdict(list)
        for a, eff, price in AgreementVariation.objects.filter(
            agreement__commissioner_id=commissioner_id
        ).values_list("agreement_id", "effective_from", "unit_price"):
            self.prices[a].append(RatePoint(eff, price))

    def rule(self, agreement: int | None, day: date) -> PaymentRule:
        return rule_in_force(self.rules, self.framework.get(agreement) if agreement else None, day)

    def rate(self, rule: PaymentRule, agreement: int | None, day: date) -> Decimal | None:
        if rule.rate_source == PaymentRule.RateSource.FIXED:
            return rule.fixed_rate
        point = rate_on(self.prices.get(agreement, []), day) if agreement else None
        return point.amount if point else None


def verify_days(commissioner_id: int, start: date, end: date, *, pending_only: bool = False) -> int:
    """Verify every visit of the commissioner from ``start`` to ``end`` not yet in a pay run.
    ``pending_only``: only the days with a visit not yet verified, or a planned visit never
    checked (a pay run's build: a day verified already is not done twice)."""
    chosen = {start + timedelta(days=n) for n in range(-1, (end - start).days + 2)}
    if pending_only:
        pending = _pending_days(commissioner_id, start, end)
        chosen = pending | {d + timedelta(days=n) for d in pending for n in (-1, 1)}
    # The days either side only for their visits near midnight: a day with none recorded
    # yet is not verified early (its plans would show as missed before their file came).
    outside = {d for d in chosen if not start <= d <= end}
    holding = set(
        Visit.objects.filter(commissioner_id=commissioner_id, day__in=outside)
        .values_list("day", flat=True)
        .order_by()
        .distinct()
    )
    days = sorted(d for d in chosen if start <= d <= end or d in holding)
    if not days:
        return 0  # a pay run's build after a bulk import: no prices loaded for nothing
    context = Context(commissioner_id)
    done = 0
    verdicts: list[tuple[Any, ...]] = []
    plans: list[tuple[int, bool, int]] = []
    for day in days:  # a day at a time; written in batches of about BATCH visits
        day_verdicts, day_plans, elsewhere = _verify_day(context, commissioner_id, day)
        days += sorted(elsewhere - set(days))  # a visit's care day outside the range
        verdicts += day_verdicts
        plans += day_plans
        if len(verdicts) + len(plans) >= BATCH:
            done += _flush(verdicts, plans)
    return done + _flush(verdicts, plans)


BATCH = 50_000


def _flush(verdicts: list[tuple[Any, ...]], plans: list[tuple[int, bool, int]]) -> int:
    count = len(verdicts)
    if verdicts or plans:
        with transaction.atomic():
            _write(verdicts, plans)
    verdicts.clear()
    plans.clear()
    return count


def _pending_days(commissioner_id: int, start: date, end: date) -> set[date]:
    visits = Visit.objects.filter(
        commissioner_id=commissioner_id, day__gte=start, day__lte=end, verified=False
    )
    plans = PlannedVisit.objects.filter(
        commissioner_id=commissioner_id,
        day__gte=start,
        day__lte=end,
        missed=False,
        carers_arrived=0,
    )
    return set(visits.values_list("day", flat=True).order_by().distinct()) | set(
        plans.values_list("day", flat=True).order_by().distinct()
    )


def _verify_day(
    context: Context, commissioner_id: int, day: date
) -> tuple[list[tuple[Any, ...]], list[tuple[int, bool, int]], set[date]]:
    """(verdicts, plan states, the care days of this day's visits that belong elsewhere)."""
    moved_in, moved_out = care_days.around(context, commissioner_id, day)
    fields = ("pk", "day", "agreement_id", "check_in", "check_out", "method", "manual_reason")
    fields += ("carer_ref",)
    visits = [
        row
        for row in Visit.objects.filter(commissioner_id=commissioner_id, day=day)
        .outside_runs(commissioner_id, day)
        .values_list(*fields)
        if row[0] not in moved_out
    ]
    for own, pks in moved_in.items():
        visits += list(
            Visit.objects.filter(commissioner_id=commissioner_id, day=own, pk__in=pks)
            .outside_runs(commissioner_id, own)
            .values_list(*fields)
        )
    plans = list(
        PlannedVisit.objects.filter(commissioner_id=commissioner_id, day=day).values_list(
            "pk", "agreement_id", "start", "minutes", "carers"
        )
    )
    elsewhere = set(moved_out.values())
    if not visits and not plans:
        return [], [], elsewhere
    kept = care_days.kept_by_runs(commissioner_id, day)
    disputed = set(
        ExceptionResponse.objects.filter(
            visit_day__in={row[1] for row in visits}, kind=ExceptionResponse.Kind.DISPUTE
        ).values_list("visit_id", flat=True)
    )
    groups: dict[int, tuple[list[v.Planned], list[v.Actual]]] = defaultdict(lambda: ([], []))
    for pk, agreement, start, minutes, carers in plans:
        if carers > kept[pk]:  # a plan paid visits evidence in full keeps its state
            groups[context.rule(agreement, day).pk][0].append(
                v.Planned(pk, agreement, start, minutes, carers - kept[pk])
            )
    reasons: dict[int, str] = {}
    own_day: dict[int, date] = {}
    for pk, visit_day, agreement, check_in, check_out, method, reason, carer in visits:
        groups[context.rule(agreement, day).pk][1].append(
            v.Actual(pk, agreement, check_in, check_out, method, carer)
        )
        reasons[pk], own_day[pk] = reason, visit_day
    rules_by_pk = {r.pk: r for r in context.rules}
    verdicts: list[tuple[Any, ...]] = []
    plan_rows: list[tuple[int, bool, int]] = []
    for rule_pk, (planned, actual) in groups.items():
        rule = rules_by_pk[rule_pk]
        result = v.match(as_engine_rule(rule), planned, actual)
        arrived: dict[int, int] = defaultdict(int)
        agreement_of = {a.key: a.agreement for a in actual}
        for o in result.outcomes:
            if o.planned is not None:
                arrived[o.planned] += 1
            hold = hold_for(o, rule, reasons[o.actual], o.actual in disputed)
            rate = context.rate(rule, agreement_of[o.actual], day)
            verdicts.append(
                (
                    o.actual,
                    own_day[o.actual],
                    o.planned,
                    ",".join(o.exceptions),
                    o.paid_minutes,
                    rate,
                    bool(hold),
                    hold,
                )
            )
        for p in planned:
            count = arrived[p.key] + kept[p.key]
            plan_rows.append((p.key, count == 0, count))
    return verdicts, plan_rows, elsewhere


def hold_for(outcome: v.Outcome, rule: PaymentRule, reason: str, disputed: bool) -> str:
    if disputed:
        return HOLD_DISPUTED
    if v.UNMATCHED in outcome.exceptions:
        return HOLD_UNMATCHED
    if v.UNPLANNED in outcome.exceptions:
        return HOLD_UNPLANNED
    if v.MANUAL in outcome.exceptions and rule.manual_needs_reason and not reason.strip():
        return HOLD_NO_REASON
    return ""


def _write(verdicts: list[tuple[Any, ...]], plans: list[tuple[int, bool, int]]) -> None:
    if connection.vendor == "postgresql":
        _write_pg(verdicts)
    else:  # one prepared UPDATE, executed many times (Django's bulk_update is far slower)
        with connection.cursor() as cur:
            cur.executemany(
                "UPDATE delivery_visit SET planned_id = %s, exceptions = %s, paid_minutes = %s, "
                "rate = %s, held = %s, hold_reason = %s, verified = %s WHERE id = %s",
                [
                    (planned, exc, paid, None if rate is None else str(rate), held, hold, True, pk)
                    for pk, _day, planned, exc, paid, rate, held, hold in verdicts
                ],
            )
    by_state: dict[tuple[bool, int], list[int]] = defaultdict(list)
    for pk, missed, arrived in plans:
        by_state[(missed, arrived)].append(pk)
    for (missed, arrived), pks in by_state.items():
        PlannedVisit.objects.filter(pk__in=pks).update(missed=missed, carers_arrived=arrived)


def _write_pg(verdicts: list[tuple[Any, ...]]) -> None:
    """Many verdicts at once: COPY them into a temporary table and update from it."""
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE delivery_verdict (id bigint, day date, planned_id bigint, "
            "exceptions text, paid_minutes int, rate numeric(9,2), held bool, hold_reason text) "
            "ON COMMIT DROP"
        )
        with cur.cursor.copy("COPY delivery_verdict FROM STDIN") as copy:
            for row in verdicts:
                copy.write_row(row)
        cur.execute(
            "UPDATE delivery_visit v SET planned_id = d.planned_id, exceptions = d.exceptions, "
            "paid_minutes = d.paid_minutes, rate = d.rate, held = d.held, "
            "hold_reason = d.hold_reason, verified = true "
            "FROM delivery_verdict d WHERE v.id = d.id AND v.day = d.day"
        )
        cur.execute("DROP TABLE delivery_verdict")
