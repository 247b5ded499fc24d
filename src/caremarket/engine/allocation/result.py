"""Turn a choice of arcs into an Allocation, in exact Decimal arithmetic.

Both methods end here, so money is rounded in one place: each assignment's weekly cost is
``price * (hours - block_hours)`` rounded to the penny (ROUND_HALF_UP) once, and the totals are
sums of those rounded figures, so a finance officer can add up the lines and get the total.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from caremarket.engine.allocation.index import Index, IntArray
from caremarket.engine.allocation.model import (
    Allocation,
    Assignment,
    Bounds,
    Method,
    Reason,
    Status,
    Totals,
    Unplaced,
)

PENNY = Decimal("0.01")


def weighted_hours(index: Index, choice: IntArray, refs: list[int] | None = None) -> Decimal:
    """Exact first objective of a choice, over all referrals or the listed ones."""
    idx = range(len(index.referrals)) if refs is None else refs
    return sum(
        (index.weight[r] * index.referrals[r].hours for r in idx if choice[r] >= 0), Decimal(0)
    )


def block_hours(index: Index, choice: IntArray) -> dict[int, Decimal]:
    """Spread each key's guaranteed block over the referrals delivered from it.

    Hours in the block are free whoever gets them, so the total saved at a key is always
    min(block, hours placed there); giving them to the dearest referrals first keeps that true
    when two commissioners' prices meet at one key, and arrival order makes it repeatable.
    """
    at_key: dict[int, list[int]] = defaultdict(list)
    for r, a in enumerate(choice):
        if a >= 0 and index.key_block[int(index.arc_key[a])] > 0:
            at_key[int(index.arc_key[a])].append(r)
    out: dict[int, Decimal] = {}
    refs = index.referrals
    for k, rs in at_key.items():
        left = index.key_block[k]
        rs.sort(key=lambda r: (-index.arc_price[choice[r]], refs[r].arrival, refs[r].id))
        for r in rs:
            used = min(left, refs[r].hours)
            out[r] = used
            left -= used
    return out


def assemble(
    index: Index,
    choice: IntArray,
    *,
    method: Method,
    status: Status,
    message: str,
    bounds: Bounds,
    seconds: float,
) -> Allocation:
    blocks = block_hours(index, choice)
    assignments: list[Assignment] = []
    unplaced: list[Unplaced] = []
    hours_placed = Decimal(0)
    hours_requested = Decimal(0)
    cost = Decimal(0)
    for r, ref in enumerate(index.referrals):
        hours_requested += ref.hours
        a = int(choice[r])
        if a < 0:
            reason: Reason = "capacity_exhausted" if index.eligible[r] else "no_eligible_provider"
            unplaced.append(Unplaced(ref.id, reason))
            continue
        price = index.arc_price[a]
        free = blocks.get(r, Decimal(0))
        line = (price * (ref.hours - free)).quantize(PENNY, ROUND_HALF_UP)
        assignments.append(
            Assignment(
                referral=ref.id,
                provider=index.providers[int(index.arc_placed[a])],
                delivering_provider=index.providers[int(index.arc_deliverer[a])],
                hourly_price=price,
                block_hours=free,
                weekly_cost=line,
            )
        )
        hours_placed += ref.hours
        cost += line
    totals = Totals(
        referrals=len(index.referrals),
        referrals_placed=len(assignments),
        hours_requested=hours_requested,
        hours_placed=hours_placed,
        weighted_hours_placed=weighted_hours(index, choice),
        weekly_cost=cost,
        cost_per_hour=(cost / hours_placed).quantize(PENNY, ROUND_HALF_UP)
        if hours_placed
        else None,
    )
    return Allocation(
        method=method,
        status=status,
        message=message,
        assignments=tuple(assignments),
        unplaced=tuple(unplaced),
        totals=totals,
        bounds=bounds,
        solve_seconds=seconds,
    )


def empty_totals(problem_hours: Decimal = Decimal(0), referrals: int = 0) -> Totals:
    return Totals(
        referrals=referrals,
        referrals_placed=0,
        hours_requested=problem_hours,
        hours_placed=Decimal(0),
        weighted_hours_placed=Decimal(0),
        weekly_cost=Decimal(0),
        cost_per_hour=None,
    )
