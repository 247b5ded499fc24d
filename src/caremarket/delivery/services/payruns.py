"""Pay runs: open one for the next period, build its lines from verified visits, move it
draft -> review -> approved -> paid.

- One run per commissioner and period, periods contiguous (the next starts the day after the
  last ends), weekly or four-weekly by the commissioner's default payment rule.
- Approval is a second person's: never the one who sent the run for review; above the
  rule's ``approval_limit`` it must be a commissioner (the budget holder).
- A line's amount is ``money(minutes x rate / 60)``: rounded once, per line.
- Visits evidenced late for a period already run come into the next run as adjustment lines.
- Manual log-ins beyond the rule's cap per period are held, with the other holds.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from simple_history.utils import bulk_update_with_history

from caremarket.brokerage.models import ServiceAgreement
from caremarket.core import clock, roles
from caremarket.core.errors import Conflict, Invalid
from caremarket.delivery.models import PayLine, PaymentRule, PayRun, Visit
from caremarket.delivery.rules import line_amount
from caremarket.delivery.services import planning
from caremarket.delivery.services.verification import verify_days
from caremarket.engine.pricing import money
from caremarket.engine.verification import manual_over_cap

HOLD_OVER_CAP = "manual log-ins over the cap for the period"
NO_PRICE = "no price in force"
LENGTH = {PaymentRule.Frequency.WEEKLY: 7, PaymentRule.Frequency.FOUR_WEEKLY: 28}


def default_rule(commissioner_id: int, on: date) -> PaymentRule:
    rule = PaymentRule.objects.default_for(commissioner_id, on)
    if rule is None:
        raise Invalid("Set the commissioner's payment rule before opening a pay run.", "rule")
    return rule


@transaction.atomic
def open_run(commissioner_id: int, *, by: Any, period_start: date | None = None) -> PayRun:
    """The next period's run. The first run's start is given; later ones follow on."""
    last = (
        PayRun.objects.select_for_update()
        .filter(commissioner_id=commissioner_id)
        .order_by("-period_start")
        .first()
    )
    if last is not None:
        follows = last.period_end + timedelta(days=1)
        if period_start is not None and period_start != follows:
            raise Invalid(
                f"Periods are contiguous: the next run starts on {follows:%d %B %Y}.",
                "period_start",
            )
        period_start = last.period_end + timedelta(days=1)
    if period_start is None:
        raise Invalid("Say when the first pay period starts.", "period_start")
    rule = default_rule(commissioner_id, period_start)
    period_end = period_start + timedelta(days=LENGTH[rule.frequency] - 1)
    if period_end >= clock.today():
        raise Invalid("A pay run is for a period that has ended.", "period_start")
    count = PayRun.objects.filter(commissioner_id=commissioner_id).count() + 1
    return PayRun.objects.create(
        commissioner_id=commissioner_id,
        reference=f"PR-{period_start:%Y%m%d}-{count:03d}",
        period_start=period_start,
        period_end=period_end,
        created_by=_who(by),
    )


def _who(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


def _locked(run_id: int, *states: str) -> PayRun:
    run = PayRun.objects.select_for_update().get(pk=run_id)
    if run.state not in states:
        raise Conflict(f"The run is {run.get_state_display().lower()}: that cannot be done now.")
    return run


@transaction.atomic
def build(run_id: int) -> PayRun:
    """(Re)build a draft run's lines from its period's verified visits, and from visits of
    earlier periods evidenced since they were run (as adjustments).

    Set-based: the period's visits become the run's by range (``visits_through``, no write
    to each visit) and its lines come from one GROUP BY; only visits evidenced late are
    marked one by one (``pay_run``), and they are few."""
    run = _locked(run_id, PayRun.State.DRAFT)
    planning.plan(run.commissioner_id, run.period_start, run.period_end)
    verify_days(run.commissioner_id, run.period_start, run.period_end, pending_only=True)
    Visit.objects.filter(pay_run=run).update(pay_run=None)
    _hold_writers()
    run.visits_through = Visit.objects.aggregate(last=Max("pk"))["last"] or 0
    run.save(update_fields=["visits_through"])
    _take_late(run)
    _hold_over_cap(run)
    _room_to_group()
    _lines(run)
    return _total(run)


def _room_to_group() -> None:
    """PostgreSQL, for this transaction: memory to hash the lines' GROUP BY, and workers
    for it. The planner guesses ten times the groups there are (agreement, rate, held and
    reason are correlated), so by default it sorts a million rows on disk in one process:
    1.2-1.7 s on the benchmark's month against 0.7-0.8 s hashed in parallel."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT set_config('work_mem', %s, true), "
                "set_config('parallel_tuple_cost', '0.01', true)",
                [settings.PAY_RUN_WORK_MEM],
            )


def _hold_writers() -> None:
    """Wait for imports in flight and keep new ones out until the build commits: a visit
    recorded meanwhile must fall after ``visits_through`` (evidenced late), never be
    counted as the run's without being in a line. The mode conflicts with itself, so two
    builds queue rather than deadlock when each marks its late visits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("LOCK TABLE delivery_visit IN SHARE ROW EXCLUSIVE MODE")


def _take_late(run: PayRun) -> None:
    """Visits of earlier periods recorded after their run was built (or before the first
    run's period): adjustments in this run."""
    earlier = list(
        PayRun.objects.filter(
            commissioner_id=run.commissioner_id, period_end__lt=run.period_start
        ).order_by("period_start")
    )
    if not earlier:
        return
    due = Visit.objects.filter(
        commissioner_id=run.commissioner_id,
        verified=True,
        pay_run__isnull=True,
        agreement__isnull=False,
    )
    due.filter(day__lt=earlier[0].period_start).update(pay_run=run)
    for before in earlier:
        due.filter(
            day__gte=before.period_start,
            day__lte=before.period_end,
            pk__gt=before.visits_through or 0,
        ).update(pay_run=run)


def _hold_over_cap(run: PayRun) -> None:
    rule = default_rule(run.commissioner_id, run.period_start)
    if rule.manual_cap_per_period is None:
        return
    manual: dict[int, list[int]] = defaultdict(list)
    for pk, agreement in (
        Visit.objects.in_run(run)
        .filter(method="manual", held=False)
        .order_by("check_in", "pk")
        .values_list("pk", "agreement_id")
    ):
        manual[agreement].append(pk)
    over = [
        pk for keys in manual.values() for pk in manual_over_cap(keys, rule.manual_cap_per_period)
    ]
    for start in range(0, len(over), CHUNK):  # one statement per chunk, not one per visit
        Visit.objects.filter(pk__in=over[start : start + CHUNK]).update(
            held=True, hold_reason=HOLD_OVER_CAP
        )


def _grouped(visits: Any) -> Any:
    """Visits summed per agreement, rate, held and hold reason: one GROUP BY over the
    visits alone (the line's provider, the agreement's, is looked up once per agreement
    rather than joined to every visit), the reasons gathered per line in Python. Rows of
    (agreement, rate, held, reason, visits, minutes); on PostgreSQL straight from the
    cursor, whose values are already Python's (the ORM's converters cost 0.2 s a month)."""
    grouped = (
        visits.values("agreement_id", "rate", "held", "hold_reason")
        .annotate(n=Count("pk"), minutes=Sum("paid_minutes"))
        .order_by()
        .values_list("agreement_id", "rate", "held", "hold_reason", "n", "minutes")
    )
    if connection.vendor != "postgresql":
        return list(grouped)
    with connection.cursor() as cur:
        cur.execute(*grouped.query.sql_with_params())
        return cur.fetchall()


LineKey = tuple[str, int, Decimal, bool]  # kind, agreement, rate, held: one line each
CHANGING = ("provider_id", "visits", "minutes", "amount", "hold_reason", "note")
NEW = ("run_id", "agreement_id", "kind", "rate", "held", "built", "corrects_id")
NEW += ("released_into_id", *CHANGING)  # every column of a new built line
CHUNK = 2000  # rows per bulk statement, ids per IN list (SQLite: 32,766 parameters)


def _wanted(run: PayRun) -> dict[LineKey, tuple[Any, ...]]:
    """The lines the run's visits call for, each its ``CHANGING`` values: its period's (one
    GROUP BY) and those evidenced late for it (another). Plain values, not model objects:
    a county's month is 17,500 lines, and making each a model cost a second."""
    sums: dict[LineKey, list[Any]] = {}  # key -> [visits, minutes, reasons]
    for kind in (PayLine.Kind.VISITS, PayLine.Kind.ADJUSTMENT):
        for agreement_id, rate, held, reason, n, minutes in _grouped(
            Visit.objects.of_line(run, kind)
        ):
            rate = rate or Decimal("0")
            entry = sums.setdefault((kind, agreement_id, rate, held or rate == 0), [0, 0, set()])
            entry[0] += n
            entry[1] += int(minutes or 0)
            if why := reason if held else NO_PRICE if rate == 0 else "":
                entry[2].add(why)
    agreements = ServiceAgreement.objects.values_list("pk", "provider_id")
    provider_of = dict(agreements.filter(commissioner_id=run.commissioner_id))
    missing = [key[1] for key in sums if key[1] not in provider_of]  # none, unless moved
    provider_of.update(agreements.filter(pk__in=missing))
    late = "visits evidenced after their period was run"
    return {
        key: (
            provider_of[key[1]],
            n,
            minutes,
            line_amount(minutes, key[2]),
            "; ".join(sorted(reasons))[:120] if reasons else "",
            late if key[0] == PayLine.Kind.ADJUSTMENT else "",
        )
        for key, (n, minutes, reasons) in sums.items()
    }


def _lines(run: PayRun) -> None:
    """Make the run's built lines what its visits call for, keeping each line that is still
    called for (its id, its thread with the provider, any correction of it) and writing
    only what changed: a rebuild after a correction touches the lines it changes, each
    change in the line's history. A line no longer called for is deleted (its deletion in
    its history) unless something refers to it: then it stays at nothing, saying why."""
    wanted = _wanted(run)
    changed, gone = [], []
    for line in run.lines.filter(built=True):
        new = wanted.pop((line.kind, line.agreement_id, line.rate, line.held), None)
        if new is None:
            gone.append(line)
        elif tuple(getattr(line, f) for f in CHANGING) != new:
            for f, value in zip(CHANGING, new, strict=True):
                setattr(line, f, value)
            changed.append(line)
    _insert(
        (run.pk, key[1], key[0], key[2], key[3], True, None, None, *new)
        for key, new in wanted.items()
    )
    referred = _referred_to([line.pk for line in gone])
    for line in gone:
        if line.pk in referred:
            line.visits, line.minutes, line.amount = 0, 0, Decimal("0.00")
            line.note = "no visits call for this line since the run was rebuilt"
            changed.append(line)
    bulk_update_with_history(changed, PayLine, CHANGING, batch_size=CHUNK)
    _delete_with_history([line for line in gone if line.pk not in referred])


def _insert(rows: Any) -> None:
    """New built lines (rows in ``NEW``'s order), as ``bulk_create`` writes them (no history
    row: a line's history starts at its first change). On PostgreSQL by COPY: 17,500 lines
    through the ORM's INSERT spent 2 s of Python preparing values."""
    if connection.vendor != "postgresql":
        lines = (PayLine(**dict(zip(NEW, row, strict=True))) for row in rows)
        PayLine.objects.bulk_create(lines, batch_size=CHUNK)
        return
    with (
        connection.cursor() as cur,
        cur.cursor.copy(f"COPY {PayLine._meta.db_table} ({', '.join(NEW)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _referred_to(ids: list[int]) -> set[int]:
    """The lines among ``ids`` that a message, a correction or a release refers to."""
    refers = Q(messages__isnull=False) | Q(corrections__isnull=False) | Q(releases__isnull=False)
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found |= set(PayLine.objects.filter(refers, pk__in=chunk).values_list("pk", flat=True))
    return found


def _delete_with_history(doomed: list[PayLine]) -> None:
    """Delete lines in bulk, each deletion a row of the line's history ('-'), as a delete
    through the ORM would write one by one (it took 30 s for 17,000 lines)."""
    if not doomed:
        return
    history = PayLine.history.model
    now = clock.now()
    history.objects.bulk_create(
        [
            history(
                history_date=now,
                history_type="-",
                history_user=history.get_default_history_user(line),
                history_change_reason="the run was rebuilt",
                **{f.attname: getattr(line, f.attname) for f in history.tracked_fields},
            )
            for line in doomed
        ],
        batch_size=CHUNK,
    )
    ids = [line.pk for line in doomed]
    for start in range(0, len(ids), CHUNK):
        PayLine.objects.filter(pk__in=ids[start : start + CHUNK])._raw_delete(PayLine.objects.db)


def _total(run: PayRun) -> PayRun:
    sums = run.lines.aggregate(
        paid=Sum("amount", filter=Q(held=False)), held=Sum("amount", filter=Q(held=True))
    )
    run.total = money(sums["paid"] or Decimal("0"))  # a sum of rounded lines: exact already
    run.held_total = money(sums["held"] or Decimal("0"))
    run.save(update_fields=["total", "held_total"])
    return run


@transaction.atomic
def send_for_review(run_id: int, *, by: Any) -> PayRun:
    run = _locked(run_id, PayRun.State.DRAFT)
    if not run.lines.exists():
        raise Invalid("Build the run's lines before sending it for review.", "lines")
    run.state, run.reviewed_by = PayRun.State.REVIEW, _who(by)
    run.save(update_fields=["state", "reviewed_by"])
    return run


@transaction.atomic
def approve(run_id: int, *, by: Any) -> PayRun:
    """A second person approves: a run approved twice is refused, and changes nothing."""
    run = PayRun.objects.select_for_update().get(pk=run_id)
    if run.state in (PayRun.State.APPROVED, PayRun.State.PAID):
        raise Conflict("This run is already approved.")
    if run.state != PayRun.State.REVIEW:
        raise Conflict("Send the run for review before it is approved.")
    if run.reviewed_by_id is not None and run.reviewed_by_id == getattr(by, "pk", None):
        raise Invalid("A second person approves: you sent this run for review.", "approver")
    rule = default_rule(run.commissioner_id, run.period_start)
    senior = roles.role_of(by) == roles.Role.COMMISSIONER or roles.is_platform(by)
    if run.total > rule.approval_limit and not senior:
        raise Invalid(
            f"This run is over the approval limit of £{rule.approval_limit:,}: "
            "a commissioner approves it.",
            "approver",
        )
    run.state, run.approved_by, run.approved_at = PayRun.State.APPROVED, _who(by), clock.now()
    run.save(update_fields=["state", "approved_by", "approved_at"])
    return run


@transaction.atomic
def record_payment(run_id: int, *, by: Any, paid_on: date) -> PayRun:
    run = _locked(run_id, PayRun.State.APPROVED)
    if not run.period_end < paid_on <= clock.today():
        raise Invalid("The payment date is after the period ends and not in the future.", "paid_on")
    run.state, run.paid_by, run.paid_on = PayRun.State.PAID, _who(by), paid_on
    run.save(update_fields=["state", "paid_by", "paid_on"])
    return run


def send_back(run_id: int, *, by: Any) -> PayRun:
    """Review found a problem: back to draft for a rebuild."""
    with transaction.atomic():
        run = _locked(run_id, PayRun.State.REVIEW)
        run.state = PayRun.State.DRAFT
        run.save(update_fields=["state"])
    return run
