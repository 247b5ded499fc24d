"""Which day's plans a visit near midnight evidences, and what paid visits already evidence.

Why: visits are stored by the day they checked in (the partition key), but a carer checking
in at 00:10 for a 23:50 call is delivering that evening's plan, and one checking in at 23:55
for a 00:05 call the next day's. Verification of a day therefore takes the visits whose
*care day* (``engine.verification.care_day``) it is, from the day before and after too.

The care day of a visit is worked out from its agreement's plans on its own day and the days
either side only, so every day's verification agrees on it, whichever day asks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from caremarket.delivery.models import PlannedVisit, Visit
from caremarket.engine import verification as v


class Rules(Protocol):
    """What this needs of ``verification.Context``: the commissioner's rules, and the one in
    force for an agreement on a day."""

    rules: list[Any]

    def rule(self, agreement: int | None, day: date) -> Any: ...


ONE_DAY = timedelta(days=1)


def midnight(day: date) -> datetime:
    """The start of ``day`` on the council's clock (midnight is never skipped in the UK)."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def around(
    context: Rules, commissioner_id: int, day: date
) -> tuple[dict[date, list[int]], dict[int, date]]:
    """(visits of the days either side whose care day is ``day``, by their own day; visits
    of ``day`` whose care day is another, with that day)."""
    window = timedelta(minutes=max(r.window_minutes for r in context.rules))
    start, end = midnight(day), midnight(day + ONE_DAY)
    near = list(
        Visit.objects.filter(
            commissioner_id=commissioner_id,
            day__gte=day - ONE_DAY,
            day__lte=day + ONE_DAY,
            agreement_id__isnull=False,
        )
        .filter(
            Q(check_in__gte=start - window, check_in__lt=start + window)
            | Q(check_in__gte=end - window, check_in__lt=end + window)
        )
        .values_list("pk", "day", "agreement_id", "check_in")
    )
    moved_in: dict[date, list[int]] = defaultdict(list)
    moved_out: dict[int, date] = {}
    if not near:
        return moved_in, moved_out
    plans: dict[int, list[tuple[date, datetime]]] = defaultdict(list)
    for agreement, plan_day, plan_start in PlannedVisit.objects.filter(
        commissioner_id=commissioner_id,
        day__gte=day - 2 * ONE_DAY,
        day__lte=day + 2 * ONE_DAY,
        agreement_id__in={row[2] for row in near},
    ).values_list("agreement_id", "day", "start"):
        plans[agreement].append((plan_day, plan_start))
    for pk, own, agreement, check_in in near:
        rule = context.rule(agreement, own)
        nearby = [p for p in plans[agreement] if abs((p[0] - own).days) <= 1]
        care = v.care_day(check_in, own, nearby, rule.window_minutes)
        if own == day and care != day:
            moved_out[pk] = care
        elif own != day and care == day:
            moved_in[own].append(pk)
    return moved_in, moved_out


def kept_by_runs(commissioner_id: int, day: date) -> Counter[int]:
    """How many visits a pay run has taken evidence each plan of ``day``: they are not
    verified again, but a plan they evidence is neither missed nor free."""
    kept: Counter[int] = Counter()
    for own in (day - ONE_DAY, day, day + ONE_DAY):
        for planned_id in (
            Visit.objects.filter(commissioner_id=commissioner_id, day=own, planned__day=day)
            .in_runs(commissioner_id, own)
            .values_list("planned_id", flat=True)
        ):
            kept[planned_id] += 1
    return kept
