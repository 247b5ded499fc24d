"""The bounds are bounds: LP >= proven >= true optimum >= engine >= greedy, on brute-forced cases.

The true optimum comes from an exhaustive search written here, in exact Decimal arithmetic,
straight from the compiled arcs (who may take what), so neither the LP, the knapsacks nor the
heuristics are trusted to check themselves.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from caremarket.engine.allocation import (
    Capacity,
    Eligibility,
    Problem,
    Provider,
    check_feasible,
    generate,
    solve,
    stages,
)
from caremarket.engine.allocation.bounds import lagrangian
from caremarket.engine.allocation.compiled import compile_index, make_part, partition
from caremarket.engine.allocation.forking import fork_map, lanes
from caremarket.engine.allocation.greedy import greedy_choice
from caremarket.engine.allocation.index import Index, build_index
from caremarket.engine.allocation.knapsack import knapsack, knapsack_one
from caremarket.engine.allocation.validate import validate_problem

from .factories import problems, referral

D = Decimal
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _search_size(index: Index) -> int:
    size = 1
    for r in range(len(index.referrals)):
        size *= len(index.arcs_of(r)) + 1
    return size


def brute_force(index: Index) -> Decimal:
    """The best weighted hours over every placement, exactly (depth-first, with a bound)."""
    n = len(index.referrals)
    gain = [index.weight[r] * index.referrals[r].hours for r in range(n)]
    hours = [r.hours for r in index.referrals]
    rest = [sum(gain[i:], D(0)) for i in range(n + 1)]
    load = [D(0)] * len(index.keys)
    total = [D(0)] * len(index.primes)
    panel = [D(0)] * len(index.primes)
    best = [D(0)]

    def shares_ok() -> bool:
        return all(panel[p] >= index.prime_share[p] * total[p] for p in range(len(total)))

    def go(r: int, value: Decimal) -> None:
        if value + rest[r] <= best[0]:
            return
        if r == n:
            if shares_ok():
                best[0] = value
            return
        for a in index.arcs_of(r):
            k, p = int(index.arc_key[a]), int(index.arc_prime[a])
            if load[k] + hours[r] > index.key_cap[k]:
                continue
            load[k] += hours[r]
            if p >= 0:
                total[p] += hours[r]
                if index.arc_deliverer[a] != index.arc_placed[a]:
                    panel[p] += hours[r]
            go(r + 1, value + gain[r])
            load[k] -= hours[r]
            if p >= 0:
                total[p] -= hours[r]
                if index.arc_deliverer[a] != index.arc_placed[a]:
                    panel[p] -= hours[r]
        go(r + 1, value)

    go(0, D(0))
    return best[0]


@SETTINGS
@given(problems())
def test_lp_over_proven_over_optimum_over_engine_over_greedy(problem: Problem):
    index = build_index(problem)
    assume(_search_size(index) <= 200_000)
    truth = brute_force(index)
    optimal = solve(problem, "optimal")
    greedy = solve(problem, "greedy")
    assert check_feasible(problem, optimal) == []
    b = optimal.bounds
    assert b.lp is not None and b.proven is not None
    reached = optimal.totals.weighted_hours_placed
    assert b.lp >= b.proven >= truth >= reached >= greedy.totals.weighted_hours_placed
    if optimal.status == "optimal":  # proven within the gap: the engine found the optimum
        assert truth - reached <= D("1e-4") * truth


@SETTINGS
@given(problems(), st.data())
def test_every_lagrangian_is_an_upper_bound(problem: Problem, data: st.DataObject):
    """L(lam, mu) >= the optimum for *any* multipliers >= 0, not just good ones."""
    assume(not validate_problem(problem))
    index = build_index(problem)
    assume(index.n_arcs and _search_size(index) <= 200_000)
    truth = brute_force(index)
    cp = compile_index(index)
    total = D(0)
    for comps in partition(cp, np.arange(cp.n_comp, dtype=np.int64)):
        part = make_part(cp, comps)
        scale = st.floats(0, 200, allow_nan=False)
        lam = np.asarray(data.draw(st.lists(scale, min_size=part.n_ref, max_size=part.n_ref)))
        mu = np.asarray(data.draw(st.lists(scale, min_size=part.n_prime, max_size=part.n_prime)))
        bound = lagrangian(part, np.arange(part.n_comp, dtype=np.int64), lam, mu).value
        total += sum((D(repr(float(v))) for v in bound), D(0))
    assert total >= truth


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 30), st.floats(-5, 20, allow_nan=False)), max_size=7),
        min_size=1,
        max_size=5,
    ),
    st.data(),
)
def test_knapsacks_are_exact(keys: list[list[tuple[int, float]]], data: st.DataObject):
    caps = np.asarray([data.draw(st.integers(0, 60)) for _ in keys], np.int64)
    starts = np.cumsum([0] + [len(k) for k in keys]).astype(np.int64)
    size = np.asarray([s for k in keys for s, _ in k], np.int64)
    value = np.asarray([v for k in keys for _, v in k], np.float64)
    best, take = knapsack(starts, size, value, caps)
    for i, items in enumerate(keys):
        truth = max(
            sum(v for _, v in subset)
            for m in range(len(items) + 1)
            for subset in itertools.combinations(items, m)
            if sum(s for s, _ in subset) <= caps[i]
        )
        sl = slice(starts[i], starts[i + 1])
        assert abs(best[i] - truth) < 1e-9
        assert size[sl][take[sl]].sum() <= caps[i]
        assert abs(value[sl][take[sl]].sum() - truth) < 1e-9
        one = knapsack_one(size[sl], value[sl], int(caps[i]))
        assert size[sl][one].sum() <= caps[i] and abs(value[sl][one].sum() - truth) < 1e-9


def test_chunky_packages_the_lp_splits_the_proven_bound_does_not():
    """Room for 20 hours, two packages of 15: the LP places 20, the best anyone can do is 15."""
    problem = Problem(
        referrals=(referral("a", "15"), referral("b", "15")),
        providers=(Provider("p1", D(70)),),
        capacity=(Capacity("p1", "z1", "home_care", D(20)),),
        eligibility=(Eligibility("p1", "c1", "z1", "home_care", D("20.00")),),
    )
    result = solve(problem)
    assert result.status == "optimal"
    assert result.bounds.lp == 20
    assert result.bounds.proven == 15 == result.totals.weighted_hours_placed
    assert result.bounds.gap_proven == 0


@SETTINGS
@given(problems(fine_hours=True))
def test_hours_that_are_not_quarter_hours_stay_exact(problem: Problem):
    """Hours in cents: exact units become finer, knapsack units round safely both ways."""
    index = build_index(problem)
    assume(_search_size(index) <= 200_000)
    truth = brute_force(index)
    optimal = solve(problem, "optimal")
    assert check_feasible(problem, optimal) == []
    b = optimal.bounds
    assert b.lp is not None and b.proven is not None
    assert b.lp >= b.proven >= truth >= optimal.totals.weighted_hours_placed
    assert (
        optimal.totals.weighted_hours_placed
        >= solve(problem, "greedy").totals.weighted_hours_placed
    )


def test_stage_one_does_not_depend_on_how_parts_are_shared_between_processes():
    problem = generate("county", 4)
    index = build_index(problem)
    cp = compile_index(index)
    parts = [make_part(cp, c) for c in partition(cp, np.arange(cp.n_comp, dtype=np.int64))]
    arc_pos = np.zeros(index.n_arcs, np.int64)
    for part in parts:
        arc_pos[part.arcs] = np.arange(part.n_arc)
    greedy = greedy_choice(index)
    stages.load(stages.State(cp, parts, Fraction(cp.unit / cp.dp_unit), 0.0625))
    try:
        jobs = []
        for i, part in enumerate(parts):
            g = greedy[part.refs]
            start = np.where(g >= 0, arc_pos[np.maximum(g, 0)], -1)
            jobs.append((i, start, (float("inf"), 1.0, 0.0), float("inf"), 1e-4))
        weights = [float(p.n_arc) for p in parts]
        one = fork_map(stages.phase_a, jobs, lanes(weights, 1))
        two = fork_map(stages.phase_a, jobs, lanes(weights, 2))
    finally:
        stages.load(None)
    for a, b in zip(one, two, strict=True):
        assert np.array_equal(a.choice, b.choice)
        assert np.array_equal(a.bound, b.bound) and np.array_equal(a.lp, b.lp)


def test_a_time_limit_that_bites_still_gives_a_feasible_answer_no_worse_than_greedy():
    problem = generate("county", 2)
    result = solve(problem, time_limit=0.02)
    greedy = solve(problem, "greedy")
    assert result.status == "feasible"
    assert check_feasible(problem, result) == []
    assert result.totals.weighted_hours_placed >= greedy.totals.weighted_hours_placed
    assert result.bounds.proven is not None and result.bounds.lp is not None
    assert result.totals.weighted_hours_placed <= result.bounds.proven <= result.bounds.lp
