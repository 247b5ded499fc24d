"""Plain data in and out of the allocation engine.

The web layer adapts ORM rows to these frozen dataclasses and reads the result back from them,
so the engine never sees a model instance or a queryset. Hours and money are ``Decimal`` here;
floats exist only inside the solver.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Urgency = Literal["crisis", "hospital_discharge", "planned"]
Method = Literal["optimal", "greedy"]
Status = Literal["optimal", "feasible", "empty", "infeasible"]
Reason = Literal["no_eligible_provider", "capacity_exhausted"]
Scale = Literal["county", "region", "national", "devon"]

URGENCY_BASE: dict[str, Decimal] = {
    "crisis": Decimal(4),
    "hospital_discharge": Decimal(3),
    "planned": Decimal(1),
}
# Waiting adds a quarter of the base weight per completed week, up to this many weeks (84 days).
MAX_WEEKS_AGEING = 12


def priority_weight(urgency: str, days_waiting: int) -> Decimal:
    """Weight per hour placed: urgency sets the base, completed weeks of waiting age it up.

    ``base * (1 + weeks / 4)`` equals the curve ``base * (1 + min(days, 84) / 28)`` sampled at
    whole weeks. Sampling by week keeps the weight an exact decimal (so the lexicographic
    objective can be checked exactly) and stops a referral's rank changing every night. After
    twelve weeks a planned referral weighs as much as a fresh crisis, so nobody waits forever
    behind a stream of urgent work.
    """
    try:
        base = URGENCY_BASE[urgency]
    except KeyError:
        raise ValueError(f"unknown urgency {urgency!r}") from None
    weeks = min(max(days_waiting, 0) // 7, MAX_WEEKS_AGEING)
    return base * (1 + Decimal(weeks) / 4)


@dataclass(frozen=True)
class Referral:
    id: str
    commissioner: str
    zone: str
    service_type: str
    hours: Decimal
    urgency: str
    days_waiting: int
    needs: frozenset[str] = frozenset()
    arrival: int = 0

    @property
    def weight(self) -> Decimal:
        return priority_weight(self.urgency, self.days_waiting)


@dataclass(frozen=True)
class Provider:
    id: str
    quality: Decimal
    capabilities: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Capacity:
    provider: str
    zone: str
    service_type: str
    hours: Decimal


@dataclass(frozen=True)
class GuaranteedBlock:
    provider: str
    zone: str
    service_type: str
    hours: Decimal


@dataclass(frozen=True)
class Eligibility:
    provider: str
    commissioner: str
    zone: str
    service_type: str
    hourly_price: Decimal


@dataclass(frozen=True)
class Prime:
    lead: str
    commissioner: str
    zones: frozenset[str]
    min_subcontract_share: Decimal
    panel: frozenset[str]
    hourly_price: Decimal | None = None


@dataclass(frozen=True)
class Problem:
    referrals: tuple[Referral, ...] = ()
    providers: tuple[Provider, ...] = ()
    capacity: tuple[Capacity, ...] = ()
    blocks: tuple[GuaranteedBlock, ...] = ()
    eligibility: tuple[Eligibility, ...] = ()
    primes: tuple[Prime, ...] = ()
    as_of: date | None = None

    def __post_init__(self) -> None:
        # Callers often hold lists; freezing them keeps the problem hashable and immutable.
        for name in ("referrals", "providers", "capacity", "blocks", "eligibility", "primes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class Assignment:
    referral: str
    provider: str
    delivering_provider: str
    hourly_price: Decimal
    block_hours: Decimal
    weekly_cost: Decimal


@dataclass(frozen=True)
class Unplaced:
    referral: str
    reason: Reason


@dataclass(frozen=True)
class Totals:
    referrals: int
    referrals_placed: int
    hours_requested: Decimal
    hours_placed: Decimal
    weighted_hours_placed: Decimal
    weekly_cost: Decimal
    cost_per_hour: Decimal | None

    @property
    def people_placed(self) -> int:
        # One referral is one person's package; the words differ by audience, not by count.
        return self.referrals_placed


@dataclass(frozen=True)
class Bounds:
    lp: Decimal | None = None
    proven: Decimal | None = None
    gap_lp: Decimal | None = None
    gap_proven: Decimal | None = None


@dataclass(frozen=True)
class Allocation:
    method: Method
    status: Status
    message: str
    assignments: tuple[Assignment, ...]
    unplaced: tuple[Unplaced, ...]
    totals: Totals
    bounds: Bounds
    solve_seconds: float
