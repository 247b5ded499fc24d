"""Verifying delivered care: matching actual visits to planned ones, and the minutes paid.

Pure Python (no Django) so that the unit tests, the import and the benchmark all call the
same rules. The delivery app adapts its rows to these dataclasses.

Matching: an actual visit matches the planned visit of the same agreement whose start is
nearest its check-in within ``window_minutes``; a double-handed planned visit takes up to
its ``carers`` actual visits. What is left over is *unplanned* (an agreement, no plan) or
*unmatched* (no live agreement for the person at all); planned visits nobody arrived for are
*missed*.

Days: a visit is matched among the plans of its *care day*, the day of the nearest planned
visit of its agreement within the window (``care_day``), which is the day it checked in
except near midnight: a carer checking in at 00:10 for a 23:50 plan evidences that plan, and
one checking in at 23:55 for a 00:05 plan the next day's.

Paid minutes under a rule (one home for the rule, ``paid_minutes``):

1. A missed visit pays nothing.
2. ``pay="planned"`` pays the planned minutes for any delivered visit (Hull's rule: planned
   time, whatever the call monitoring says), short visits being flagged, not docked.
3. ``pay="actual"``: within ``tolerance_minutes`` of planned pays planned; otherwise the
   actual minutes, capped at planned (time over the plan is paid only once a variation is
   agreed, as in Scotland: it becomes a variation request, not money).
4. Actual minutes are rounded to ``rounding_minutes`` (nearest, half up), never above the
   planned minutes; planned minutes are paid as planned.
5. Never less than ``minimum_minutes`` for a delivered visit.

An unplanned visit has no plan to cap it: it pays its rounded actual minutes (at least the
minimum), and the pay run holds it for review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

# Exception codes, as the provider and finance see them.
MISSED = "missed"
LATE = "late"
SHORT = "short"
LONG = "long"
UNPLANNED = "unplanned"
UNMATCHED = "unmatched"
ONE_CARER = "one_carer"
MANUAL = "manual"
EXCEPTION_LABELS = {
    MISSED: "Missed",
    LATE: "Late beyond tolerance",
    SHORT: "Short",
    LONG: "Long (over tolerance)",
    UNPLANNED: "Unplanned",
    UNMATCHED: "Unmatched (no agreement)",
    ONE_CARER: "Double-handed with one carer",
    MANUAL: "Manual log-in",
}
ELECTRONIC_METHODS = frozenset({"telephony", "app_gps", "qr_nfc"})


@dataclass(frozen=True, slots=True)
class Rule:
    """A framework's payment rule in force on a day (values are configuration, not facts:
    no council publishes its tolerance or rounding, domain-facts 3.2)."""

    pay: str = "actual"  # "planned" | "actual"
    tolerance_minutes: int = 5
    late_after_minutes: int = 30
    rounding_minutes: int = 1
    minimum_minutes: int = 0
    window_minutes: int = 120

    def __post_init__(self) -> None:
        if self.pay not in ("planned", "actual"):
            raise ValueError("pay is 'planned' or 'actual'")
        if self.rounding_minutes < 1:
            raise ValueError("rounding is at least one minute")
        if min(self.tolerance_minutes, self.minimum_minutes, self.late_after_minutes) < 0:
            raise ValueError("tolerance, minimum and lateness cannot be negative")


@dataclass(frozen=True, slots=True)
class Planned:
    key: int
    agreement: int
    start: datetime
    minutes: int
    carers: int = 1


@dataclass(frozen=True, slots=True)
class Actual:
    key: int
    agreement: int | None  # the person's live agreement with this provider, if any
    check_in: datetime
    check_out: datetime
    method: str = "telephony"
    carer: str = ""

    @property
    def minutes(self) -> int:
        return actual_minutes(self.check_in, self.check_out)


@dataclass
class Outcome:
    """One actual visit's verdict (``planned`` None when it matched none)."""

    actual: int
    planned: int | None
    exceptions: list[str] = field(default_factory=list)
    paid_minutes: int = 0


@dataclass
class Matching:
    outcomes: list[Outcome]
    missed: list[int]  # planned keys nobody arrived for
    one_carer: list[int]  # double-handed planned keys with fewer carers than needed


def care_day(
    check_in: datetime, own_day: date, plans: Iterable[tuple[date, datetime]], window_minutes: int
) -> date:
    """The day whose plans a visit is matched among: the day of the nearest plan of its
    agreement within the window (ties: the earlier plan, as ``match``), else ``own_day`` (the
    day it checked in). ``plans`` are (day, start) of the agreement's plans on the days either
    side; only a visit within the window of midnight can have another care day."""
    best: tuple[float, datetime, date] | None = None
    for day, start in plans:
        gap = abs((check_in - start).total_seconds())
        if gap <= window_minutes * 60 and (best is None or (gap, start) < best[:2]):
            best = (gap, start, day)
    return best[2] if best is not None else own_day


def actual_minutes(check_in: datetime, check_out: datetime) -> int:
    """Whole minutes between check-in and check-out; refuses a check-out before check-in."""
    seconds = (check_out - check_in).total_seconds()
    if seconds < 0:
        raise ValueError("check-out is before check-in")
    return int(seconds // 60)


def round_minutes(minutes: int, unit: int) -> int:
    """To the nearest ``unit`` minutes, half up (7 to 5 rounds 7 -> 5, 8 -> 10)."""
    if unit <= 1:
        return minutes
    return ((minutes * 2 + unit) // (2 * unit)) * unit


def paid_minutes(rule: Rule, actual: int, planned: int | None) -> int:
    """Minutes paid for one delivered visit (steps 2-5 of the module docstring)."""
    if actual < 0:
        raise ValueError("a visit cannot last less than nothing")
    if planned is None:
        return max(round_minutes(actual, rule.rounding_minutes), rule.minimum_minutes)
    if rule.pay == "planned" or abs(actual - planned) <= rule.tolerance_minutes:
        return max(planned, rule.minimum_minutes)  # the plan is paid as planned, unrounded
    rounded = min(round_minutes(min(actual, planned), rule.rounding_minutes), planned)
    return max(rounded, rule.minimum_minutes)


def exceptions_for(rule: Rule, actual: Actual, planned: Planned | None) -> list[str]:
    """What finance should look at for one matched (or unmatched) visit."""
    found: list[str] = []
    if actual.method not in ELECTRONIC_METHODS:
        found.append(MANUAL)
    if planned is None:
        found.append(UNPLANNED if actual.agreement is not None else UNMATCHED)
        return found
    late_by = (actual.check_in - planned.start).total_seconds() / 60
    if late_by > rule.late_after_minutes:
        found.append(LATE)
    minutes = actual.minutes
    if minutes < planned.minutes - rule.tolerance_minutes:
        found.append(SHORT)
    elif minutes > planned.minutes + rule.tolerance_minutes:
        found.append(LONG)
    return found


def match(rule: Rule, planned: Sequence[Planned], actual: Iterable[Actual]) -> Matching:
    """Pair each actual visit with the nearest free planned one of its agreement within the
    window (ties: the earlier plan), then verify and price each pair."""
    by_agreement: dict[int, list[Planned]] = defaultdict(list)
    for p in planned:
        by_agreement[p.agreement].append(p)
    taken: dict[int, int] = defaultdict(int)
    window = rule.window_minutes * 60
    outcomes: list[Outcome] = []
    for a in sorted(actual, key=lambda v: (v.check_in, v.key)):
        best: Planned | None = None
        best_gap = window + 1.0
        for p in by_agreement.get(a.agreement, []) if a.agreement is not None else []:
            if taken[p.key] >= p.carers:
                continue
            gap = abs((a.check_in - p.start).total_seconds())
            if gap <= window and gap < best_gap:
                best, best_gap = p, gap
        if best is not None:
            taken[best.key] += 1
        outcome = Outcome(a.key, best.key if best else None, exceptions_for(rule, a, best))
        outcome.paid_minutes = paid_minutes(rule, a.minutes, best.minutes if best else None)
        outcomes.append(outcome)
    missed = [p.key for p in planned if taken[p.key] == 0]
    one_carer = [p.key for p in planned if 0 < taken[p.key] < p.carers]
    short_handed = set(one_carer)
    for o in outcomes:
        if o.planned in short_handed:
            o.exceptions.append(ONE_CARER)
    return Matching(outcomes, missed, one_carer)


def manual_over_cap(manual_keys_in_order: Sequence[int], cap: int | None) -> list[int]:
    """The manual log-ins past the cap for one agreement and period (held, not paid);
    ``cap`` None means no cap."""
    if cap is None:
        return []
    return list(manual_keys_in_order[cap:])
