"""The one entry point the web layer, the CLI and the benchmark call."""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import ROUND_CEILING, Decimal

from caremarket.engine.allocation.greedy import greedy_choice
from caremarket.engine.allocation.index import build_index
from caremarket.engine.allocation.model import Allocation, Bounds, Method, Problem, Status
from caremarket.engine.allocation.optimal import solve_optimal
from caremarket.engine.allocation.result import assemble, empty_totals
from caremarket.engine.allocation.validate import validate_problem

BOUND_PLACES = Decimal("0.0001")


def _bound(value: float, floor: Decimal) -> Decimal:
    # Rounded up, and never below what was reached: a bound that dips under the answer by a
    # float hair would read as a negative gap.
    return max(Decimal(repr(value)).quantize(BOUND_PLACES, ROUND_CEILING), floor)


def _gap(bound: Decimal, reached: Decimal) -> Decimal:
    if bound <= 0:
        return Decimal(0)
    return ((bound - reached) / bound).quantize(Decimal("0.000001"), ROUND_CEILING)


def solve(
    problem: Problem,
    method: Method = "optimal",
    *,
    time_limit: float = 60.0,
    mip_gap: float = 1e-4,
    workers: int | None = None,
) -> Allocation:
    """Place open referrals with providers; never raises on bad or empty input.

    ``time_limit`` caps the whole call (seconds); ``mip_gap`` is the relative gap at which a
    component's first objective counts as closed (its cost, at ten times that); ``workers`` caps
    the processes used for problems of 1,000 arcs or more (default: the machine's cores; 1 keeps
    the call in this process).
    """
    started = time.monotonic()
    if method not in ("optimal", "greedy"):
        raise ValueError(f"method must be 'optimal' or 'greedy', got {method!r}")
    hours = sum((r.hours for r in problem.referrals if r.hours.is_finite()), Decimal(0))
    errors = validate_problem(problem)
    if errors:
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        return Allocation(
            method=method,
            status="infeasible",
            message="the input cannot be solved: " + "; ".join(errors[:10]) + more,
            assignments=(),
            unplaced=(),
            totals=empty_totals(hours, len(problem.referrals)),
            bounds=Bounds(),
            solve_seconds=time.monotonic() - started,
        )
    if not problem.referrals:
        return Allocation(
            method=method,
            status="empty",
            message="there are no open referrals to place",
            assignments=(),
            unplaced=(),
            totals=empty_totals(),
            bounds=Bounds(Decimal(0), Decimal(0), Decimal(0), Decimal(0)),
            solve_seconds=time.monotonic() - started,
        )
    index = build_index(problem)
    if method == "greedy":
        choice = greedy_choice(index)
        result = assemble(
            index,
            choice,
            method="greedy",
            status="feasible",
            message="first come, first served: the baseline of today's practice",
            bounds=Bounds(),
            seconds=0.0,
        )
    else:
        out = solve_optimal(
            index, time_limit=time_limit, mip_gap=mip_gap, workers=workers, started=started
        )
        status: Status = "optimal" if out.finished else "feasible"
        result = assemble(
            index,
            out.choice,
            method="optimal",
            status=status,
            message="",
            bounds=Bounds(),
            seconds=0.0,
        )
        reached = result.totals.weighted_hours_placed
        lp = _bound(out.lp_bound, reached)
        proven = min(lp, _bound(out.dual_bound, reached))
        bounds = Bounds(lp, proven, _gap(lp, reached), _gap(proven, reached))
        note = "" if out.finished else "; stopped by the time limit before proving the gap"
        message = (
            f"placed {result.totals.referrals_placed} of {result.totals.referrals} referrals "
            f"({result.totals.hours_placed} of {result.totals.hours_requested} hours); "
            f"proven gap {bounds.gap_proven:.4%}{note}"
        )
        result = replace(result, bounds=bounds, message=message)
    return replace(result, solve_seconds=time.monotonic() - started)
