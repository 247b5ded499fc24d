"""Visit patterns, suspensions, and the planned visits generated from them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from caremarket.brokerage.models import ServiceAgreement
from caremarket.core.errors import Invalid
from caremarket.delivery.models import PlannedVisit, Suspension, VisitPattern


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
    adds nothing). Returns how many were added."""
    patterns = (
        VisitPattern.objects.overlapping(start, end)
        .filter(agreement__commissioner_id=commissioner_id, agreement__person__isnull=False)
        .select_related("agreement")
    )
    suspensions: dict[int, list[Suspension]] = {}
    for s in Suspension.objects.filter(agreement__commissioner_id=commissioner_id):
        suspensions.setdefault(s.agreement_id, []).append(s)
    zone = timezone.get_current_timezone()
    by_weekday: dict[int, list[VisitPattern]] = {}
    for p in patterns:
        by_weekday.setdefault(p.weekday, []).append(p)
    added = 0
    day = start
    while day <= end:  # a day at a time: memory stays flat over a long period
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
            if not in_force or (a.pk, moment) in have:
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
        day += timedelta(days=1)
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
