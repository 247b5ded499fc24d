"""Visit patterns, suspensions, and the planned visits generated from them."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from caremarket.brokerage.models import ServiceAgreement
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.delivery.models import PlannedPeriod, PlannedVisit, Suspension, VisitPattern


def _check_slots(slots: list[dict[str, Any]]) -> None:
    if not slots:
        raise Invalid("A pattern needs at least one visit a week.", "slots")
    for i, s in enumerate(slots, start=1):
        if not 0 <= int(s["weekday"]) <= 6:
            raise Invalid(f"Visit {i}: the weekday is 0 (Monday) to 6 (Sunday).", "weekday")
        if not 5 <= int(s["minutes"]) <= 720:
            raise Invalid(f"Visit {i}: a visit lasts 5 to 720 minutes.", "minutes")
        if not 1 <= int(s.get("carers", 1)) <= 4:
            raise Invalid(f"Visit {i}: one to four carers.", "carers")


@transaction.atomic
def set_pattern(
    agreement_id: int, *, by: Any, effective_from: date, slots: list[dict[str, Any]]
) -> list[VisitPattern]:
    """Re-plan from a date (the day a variation takes effect): the old slots end the day
    before and are kept, so earlier weeks' plans stay as they were."""
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement_id)
    _check_slots(slots)
    if effective_from < agreement.start_date:
        raise Invalid("A pattern starts on or after the agreement's start.", "effective_from")
    if agreement.end_date and effective_from > agreement.end_date:
        raise Invalid("The agreement has ended by then.", "effective_from")
    live = VisitPattern.objects.filter(agreement=agreement).overlapping(effective_from, date.max)
    live.filter(effective_from__gte=effective_from).delete()
    live.update(effective_to=effective_from - timedelta(days=1))
    PlannedVisit.objects.filter(
        agreement=agreement, day__gte=effective_from, visits__isnull=True
    ).delete()
    made = [
        VisitPattern(
            agreement=agreement,
            weekday=int(s["weekday"]),
            start_time=s["start_time"],
            minutes=int(s["minutes"]),
            carers=int(s.get("carers", 1)),
            effective_from=effective_from,
            by=by if getattr(by, "pk", None) else None,
        )
        for s in slots
    ]
    return VisitPattern.objects.bulk_create(made)


@transaction.atomic
def suspend(
    agreement_id: int, *, by: Any, start_date: date, end_date: date | None, reason: str
) -> Suspension:
    """Pause visits (a hospital stay); planned visits not yet delivered in the gap go."""
    if end_date is not None and end_date < start_date:
        raise Invalid("A suspension ends on or after it starts.", "end_date")
    if not reason.strip():
        raise Invalid("Say why care is suspended.", "reason")
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement_id)
    gone = PlannedVisit.objects.filter(
        agreement=agreement, day__gte=start_date, visits__isnull=True
    )
    if end_date is not None:
        gone = gone.filter(day__lte=end_date)
    gone.delete()
    return Suspension.objects.create(
        agreement=agreement, start_date=start_date, end_date=end_date, reason=reason, by=by
    )


def _stopped(day: date, agreement: ServiceAgreement, suspensions: list[Suspension]) -> bool:
    if day < agreement.start_date or (agreement.end_date and day > agreement.end_date):
        return True
    return any(
        s.start_date <= day and (s.end_date is None or day <= s.end_date) for s in suspensions
    )


@transaction.atomic
def plan(commissioner_id: int, start: date, end: date) -> int:
    """Planned visits for every agreement's pattern in the period (idempotent: a second call
    adds nothing). Returns how many were added. On PostgreSQL one INSERT ... SELECT plans
    the period (a county's month is a million plans); only slots within hours of a clock
    change go through Python, whose reading of the missing or repeated hour is the
    reference (and was, before: plans made either way are the same). A period already
    planned from the same inputs (``PlannedPeriod``) is not planned again."""
    digest = inputs(commissioner_id)
    marks = PlannedPeriod.objects.filter(commissioner_id=commissioner_id)
    if marks.filter(start__lte=start, end__gte=end, inputs=digest).exists():
        return 0  # planned before from the same patterns, suspensions and agreements
    added = _plan(commissioner_id, start, end)
    marks.exclude(inputs=digest).delete()  # planned from inputs that have since changed
    PlannedPeriod.objects.create(
        commissioner_id=commissioner_id, start=start, end=end, inputs=digest, at=clock.now()
    )
    return added


def _plan(commissioner_id: int, start: date, end: date) -> int:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    zone = timezone.get_current_timezone()
    if connection.vendor != "postgresql":
        return _plan_in_python(commissioner_id, days, zone, VisitPattern.objects.all())
    window = {d: _clock_change_window(d, zone) for d in days}
    steady = [d for d in days if window[d] is None]
    added = _plan_in_sql(commissioner_id, steady, str(zone), (time(0), time(0)))
    for day in days:
        if (hours := window[day]) is not None:  # SQL outside the changing hours, Python in
            added += _plan_in_sql(commissioner_id, [day], str(zone), hours)
            slots = VisitPattern.objects.filter(
                weekday=day.weekday(), start_time__gte=hours[0], start_time__lt=hours[1]
            )
            added += _plan_in_python(commissioner_id, [day], zone, slots)
    return added


def _plan_in_python(commissioner_id: int, days: list[date], zone: Any, slots: Any) -> int:
    """The reference way, a day at a time (memory stays flat over a long period)."""
    added = 0
    patterns = (
        slots.overlapping(days[0], days[-1])
        .filter(agreement__commissioner_id=commissioner_id, agreement__person__isnull=False)
        .select_related("agreement")
    )
    suspensions: dict[int, list[Suspension]] = {}
    for s in Suspension.objects.filter(agreement__commissioner_id=commissioner_id):
        suspensions.setdefault(s.agreement_id, []).append(s)
    by_weekday: dict[int, list[VisitPattern]] = {}
    for p in patterns:
        by_weekday.setdefault(p.weekday, []).append(p)
    for day in days:  # a day at a time: memory stays flat over a long period
        have = set(
            PlannedVisit.objects.filter(commissioner_id=commissioner_id, day=day).values_list(
                "agreement_id", "start"
            )
        )
        rows = []
        for p in by_weekday.get(day.weekday(), []):
            a = p.agreement
            moment = datetime.combine(day, p.start_time, tzinfo=zone)
            in_force = p.effective_from <= day and (p.effective_to is None or day <= p.effective_to)
            # in UTC: a time in a repeated hour never equals another zone's (PEP 495)
            if not in_force or (a.pk, moment.astimezone(UTC)) in have:
                continue
            if _stopped(day, a, suspensions.get(a.pk, [])):
                continue
            rows.append(
                PlannedVisit(
                    agreement=a,
                    person_id=a.person_id,
                    commissioner_id=commissioner_id,
                    provider_id=a.delivering_provider_id,
                    pattern=p,
                    day=day,
                    start=moment,
                    minutes=p.minutes,
                    carers=p.carers,
                )
            )
        PlannedVisit.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        added += len(rows)
    return added


# What a commissioner's plans are made from: every column ``plan`` reads. Keep in step with
# _plan_in_sql and _plan_in_python (tests/delivery/test_planning.py changes each one).
_INPUTS = {
    "pattern": (
        VisitPattern.objects.all(),
        "agreement__commissioner_id",
        (
            *("id", "agreement_id", "weekday", "start_time", "minutes", "carers"),
            *("effective_from", "effective_to"),
        ),
    ),
    "suspension": (
        Suspension.objects.all(),
        "agreement__commissioner_id",
        ("id", "agreement_id", "start_date", "end_date"),
    ),
    "agreement": (
        ServiceAgreement.objects.all(),
        "commissioner_id",
        ("id", "person_id", "start_date", "end_date", "delivering_provider_id"),
    ),
}
_OWNED = "JOIN brokerage_serviceagreement a ON a.id = x.agreement_id"
_INPUTS_SQL = {
    "pattern": f"delivery_visitpattern x {_OWNED}",
    "suspension": f"delivery_suspension x {_OWNED}",
    "agreement": "brokerage_serviceagreement x JOIN brokerage_serviceagreement a ON a.id = x.id",
}


def inputs(commissioner_id: int) -> str:
    """A digest of everything the commissioner's plans are made from. On PostgreSQL an
    order-free sum of row hashes (one pass over a county's quarter of a million patterns,
    about 0.1 s); elsewhere the same rows hashed in Python."""
    digest = hashlib.sha256()
    for name, (rows, owner, columns) in _INPUTS.items():
        if connection.vendor == "postgresql":
            cells = ", ".join(f"coalesce(x.{c}::text, '-')" for c in columns)
            rowhash = f"hashtextextended(concat_ws('|', {cells}), 0)::numeric"
            sql = f"SELECT count(*), coalesce(sum({rowhash}), 0) FROM {_INPUTS_SQL[name]}"  # noqa: S608  # nosec B608 - this module's own names
            with connection.cursor() as cur:
                cur.execute(f"{sql} WHERE a.commissioner_id = %s", [commissioner_id])
                digest.update(f"{name}{cur.fetchone()}".encode())
            continue
        digest.update(name.encode())
        query = rows.filter(**{owner: commissioner_id}).order_by("pk").values_list(*columns)
        for row in query.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _clock_change_window(day: date, zone: Any) -> tuple[time, time] | None:
    """The local hours of the day around a clock change (two before, four after), where
    PostgreSQL and Python might place a missing or repeated time differently; None on a
    day without one near it."""
    base = datetime.combine(day, time(0), tzinfo=zone)
    walls = [base + timedelta(hours=h) for h in range(-2, 25)]  # wall-clock hours
    for i in range(len(walls) - 1):
        if walls[i].utcoffset() != walls[i + 1].utcoffset():
            hour = i - 2  # the change falls between this hour and the next
            end = time(hour + 4) if hour + 4 < 24 else time.max
            return time(max(hour - 2, 0)), end
    return None


_PLAN_SQL = """
INSERT INTO delivery_plannedvisit (agreement_id, person_id, commissioner_id, provider_id,
    pattern_id, day, start, minutes, carers, carers_arrived, missed)
SELECT a.id, a.person_id, a.commissioner_id, a.delivering_provider_id, p.id, d.day,
    (d.day + p.start_time) AT TIME ZONE %(zone)s, p.minutes, p.carers, 0, false
FROM delivery_visitpattern p
JOIN brokerage_serviceagreement a ON a.id = p.agreement_id
JOIN unnest(%(days)s::date[]) AS d(day) ON extract(isodow FROM d.day)::int - 1 = p.weekday
WHERE a.commissioner_id = %(c)s AND a.person_id IS NOT NULL
  AND p.effective_from <= d.day AND (p.effective_to IS NULL OR d.day <= p.effective_to)
  AND d.day >= a.start_date AND (a.end_date IS NULL OR d.day <= a.end_date)
  AND NOT EXISTS (SELECT 1 FROM delivery_suspension s WHERE s.agreement_id = a.id
      AND s.start_date <= d.day AND (s.end_date IS NULL OR d.day <= s.end_date))
  AND NOT (p.start_time >= %(from)s AND p.start_time < %(to)s)
  AND NOT EXISTS (SELECT 1 FROM delivery_plannedvisit x WHERE x.agreement_id = a.id
      AND x.commissioner_id = %(c)s AND x.day = d.day
      AND x.start = (d.day + p.start_time) AT TIME ZONE %(zone)s)
ON CONFLICT DO NOTHING
"""


def _plan_in_sql(
    commissioner_id: int, days: list[date], zone: str, besides: tuple[time, time]
) -> int:
    """Every pattern's plans on the days, but for slots starting within ``besides``."""
    if not days:
        return 0
    with transaction.atomic(), connection.cursor() as cur:
        # Hash joins, whatever the statistics say: right after an import has updated a
        # million plans, a nested loop over them took 15.5 s of a 1M-visit pay run.
        cur.execute("SELECT current_setting('enable_nestloop')")
        nestloop = cur.fetchone()[0]
        cur.execute("SELECT set_config('enable_nestloop', 'off', true)")
        cur.execute(
            _PLAN_SQL,
            {"zone": zone, "days": days, "c": commissioner_id}
            | {"from": besides[0], "to": besides[1]},
        )
        added = int(cur.rowcount)
        cur.execute("SELECT set_config('enable_nestloop', %s, true)", [nestloop])
        return added


def default_slots(units_per_week: float, *, start_hour: int = 8) -> list[dict[str, Any]]:
    """A plausible pattern for so many hours a week: daily visits of whole quarter hours
    (used by the demo and as the form's suggestion, not a rule)."""
    minutes_a_week = int(units_per_week * 60)
    per_day = max(15, (minutes_a_week // 7) // 15 * 15)
    return [
        {"weekday": d, "start_time": time(start_hour, 0), "minutes": per_day, "carers": 1}
        for d in range(7)
    ]
