"""Decompose, bound and solve the pieces (in parallel when it pays), and merge them back exactly.

Referrals split into independent components (``index._components``); the lexicographic optimum
of the whole is the union of the components' optima. Work runs in four stages:

1. **phase A, every part** (``compiled.partition``): LP relaxation; incumbents from greedy and
   LP rounding, improved by knapsack fills, key re-optimisation and ejection chains; for
   components still open, column generation on the configuration LP (``bounds.py``), whose
   Lagrangian bounds are proven upper bounds and whose master solution is rounded and improved
   again. A component is *closed* when its incumbent is within ``mip_gap`` of its bound, or
   within the granularity of the objective (then it is optimal outright). Deterministic.
2. **phase A, open components**: HiGHS on the component's own arc MIP, warm-started from the
   incumbent, largest gap first, while the time allows.
3. **phase B, every part**: the cost LP of the part at phase A's weighted hours (a lower bound,
   and the answer where it is integral), then relocations and swaps that lower the cost.
4. **phase B MIPs**: components whose cost is not yet within ``COST_GAP_FACTOR * mip_gap`` of
   their lower bound get their own cost MIP, largest possible saving first, while time allows.

Parts depend only on the input; with more than one worker and enough arcs each stage shares
its parts (or components) between forked processes (``_fork_map``), merged by position. Only
the time limit can make two runs differ, and the status then says ``feasible``.

After merging, exact (Decimal) guards run per component, so float tolerances inside HiGHS can
never leak into the answer: a component whose phase-B answer lost any weighted hours keeps
phase A's; one that breaks a capacity or subcontract constraint, or falls below greedy, takes
greedy's, which is exact by construction.
"""

from __future__ import annotations

import gc
import os
import pickle
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

import numpy as np

from caremarket.engine.allocation import milp
from caremarket.engine.allocation.bounds import SOLVER_MARGIN, arc_lp, column_generation, safe
from caremarket.engine.allocation.compiled import (
    BoolArray,
    Compiled,
    FloatArray,
    IntArray,
    Part,
    compile_index,
    make_part,
    partition,
    sum_by,
)
from caremarket.engine.allocation.greedy import greedy_choice
from caremarket.engine.allocation.heuristic import Costing, Packing, lp_order
from caremarket.engine.allocation.index import Index

PARALLEL_MIN_ARCS = 1000  # below this forking costs more than it saves
COST_GAP_FACTOR = 10.0  # phase B (cost) stops at this multiple of ``mip_gap``
STAGE1_SHARE = 0.85  # of the time limit, what column generation may use (soft, per part)
REFINE_SHARE = 0.5  # of the time left after stage 1, what stage 2 may use at most
MIN_MIP_SECONDS = 0.005  # a MIP given less than this is not started
MIP_SECONDS_PER_ARC = 2e-4  # ... nor one given less than this per arc of its component
MIN_REFINE_SECONDS = 0.25  # below this, stage 2 is skipped
MIN_COST_MIP = 0.05  # the least time a cost MIP is given
PRE_ROUNDS = 6  # improvement rounds before column generation (after it: 6)

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class OptimalOutcome:
    choice: IntArray
    lp_bound: float
    dual_bound: float
    finished: bool
    batches: int
    fallbacks: int
    stats: dict[str, float]


@dataclass
class _State:
    cp: Compiled
    parts: list[Part]
    ratio: Fraction  # exact unit / knapsack unit
    granule: float  # every placement's value is a multiple of this (0 if unknown)


_STATE: _State | None = None


def _state() -> _State:
    assert _STATE is not None
    return _STATE


@dataclass
class PartA:
    choice: IntArray  # part-local arc per part referral, -1 unplaced
    value: FloatArray  # per component
    lp: FloatArray
    bound: FloatArray
    closed: BoolArray
    rounds: int
    cg_comps: int
    cut: bool  # a deadline stopped the work early, so the result depends on timing
    seconds: float = 0.0


def _closed(bound: FloatArray, value: FloatArray, gap: float, granule: float) -> BoolArray:
    out: BoolArray = (bound - value <= gap * np.abs(bound)) | (bound - value < granule * 0.5)
    return out


def _snap(bound: FloatArray, granule: float) -> FloatArray:
    """A bound rounded down to the objective's granularity: still a bound, since every
    placement's value is a multiple of it (weights are quarters, hours whole units)."""
    if granule <= 0:
        return bound
    out: FloatArray = np.floor(bound / granule + 1e-12) * granule
    return out


def _phase_a(args: tuple[int, IntArray, tuple[float, float, float], float, float]) -> PartA:
    part_id, start, (lane_end, weight, rest), deadline, gap = args
    began = time.monotonic()
    soft = began + max(lane_end - began, 0.0) * weight / max(weight + rest, 1.0)
    st = _state()
    part = st.parts[part_id]
    n = part.n_comp
    placed = start >= 0
    total = sum_by(part.ref_comp, part.ref_gain, n)
    value = sum_by(part.ref_comp[placed], part.ref_gain[placed], n)
    trivial = value >= total - 1e-9
    lp = arc_lp(part, ~trivial)
    lp_value = np.where(trivial, total, np.minimum(lp.value, total))  # as reported
    lp_safe = safe(np.minimum(lp.value, total), SOLVER_MARGIN)
    bound = np.where(trivial, total, _snap(lp_safe, st.granule))
    choice = start.copy()
    close_abs = np.maximum(gap * np.abs(bound), 0.0)
    packings: dict[int, Packing] = {}
    for c in np.flatnonzero(~trivial).tolist():
        r0, r1 = part.comp_ref_start[c], part.comp_ref_start[c + 1]
        a0, a1 = part.comp_arc_start[c], part.comp_arc_start[c + 1]
        p = Packing(part, c, st.ratio)
        p.round_arcs(lp_order(p, lp.x[a0:a1]))
        p.fill()
        if bound[c] - p.value() > close_abs[c]:
            p.improve(PRE_ROUNDS, soft)
        if p.value() > value[c] + 1e-9:
            value[c] = p.value()
            choice[r0:r1] = p.choice()
        elif bound[c] - value[c] > close_abs[c]:
            p.load_choice(start[r0:r1])
            p.fill()
            p.improve(PRE_ROUNDS, soft)
            if p.value() > value[c] + 1e-9:
                value[c] = p.value()
                choice[r0:r1] = p.choice()
        packings[c] = p
    open_ = ~trivial & ~_closed(bound, value, gap, st.granule)
    rounds = 0
    cut = False
    if open_.any():
        seeds = _subsets_of(part, choice, open_)
        cg = column_generation(part, open_, lp, value, seeds, close=close_abs, deadline=soft)
        after_cg = soft + 0.5 * max(deadline - soft, 0.0)  # rounding may run into the rest
        rounds = cg.rounds
        cut = cg.timed_out
        bound = np.minimum(bound, _snap(cg.lagrangian, st.granule))
        cols = cg.columns
        order = np.argsort(-cg.columns.y, kind="stable") if len(cols.y) else np.zeros(0, np.int64)
        by_comp: dict[int, list[list[int]]] = defaultdict(list)
        for i in order:
            if cols.y[i] <= 1e-6:
                break
            by_comp[cols.comp[i]].append(cols.arcs[i].tolist())
        for c in np.flatnonzero(open_ & ~_closed(bound, value, gap, st.granule)).tolist():
            if time.monotonic() > deadline:
                cut = True
                break
            r0, r1 = part.comp_ref_start[c], part.comp_ref_start[c + 1]
            a0 = int(part.comp_arc_start[c])
            p = packings[c]
            p.clear()
            p.round_subsets([[a - a0 for a in s] for s in by_comp.get(c, [])])
            p.fill()
            p.improve(deadline=after_cg)
            if p.value() > value[c] + 1e-9:
                value[c] = p.value()
                choice[r0:r1] = p.choice()
    return PartA(
        choice=choice,
        value=value,
        lp=lp_value,
        bound=np.maximum(bound, value),
        closed=_closed(bound, value, gap, st.granule),
        rounds=rounds,
        cg_comps=int(open_.sum()),
        cut=cut,
        seconds=time.monotonic() - began,
    )


def _subsets_of(part: Part, choice: IntArray, comps: BoolArray) -> list[IntArray]:
    """The incumbent's subset at each key of the listed components."""
    arcs = choice[(choice >= 0) & comps[part.ref_comp]]
    arcs = arcs[np.lexsort((arcs, part.arc_key[arcs]))]
    keys = part.arc_key[arcs]
    cut = np.flatnonzero(np.diff(keys)) + 1
    return [s for s in np.split(arcs, cut) if len(s)]


def _over(wanted: float, available: float) -> bool:
    """Shares that sum to the whole can exceed it by a rounding error; without the
    tolerance the last component's MIP was skipped, at random, as time ran a hair
    differently (found by the property tests: 1 instance in 3,000 under load)."""
    return wanted > available * (1 + 1e-9) + 1e-12


def _least_mip_seconds(part: Part, c: int) -> float:
    """Below this a component's MIP is not started: HiGHS's presolve and root LP do not stop
    for the time limit, and on a component of 10,000 arcs they alone take seconds."""
    arcs = int(part.comp_arc_start[c + 1] - part.comp_arc_start[c])
    return MIN_MIP_SECONDS + MIP_SECONDS_PER_ARC * arcs


@dataclass
class Refined:
    part_id: int
    comp: int
    choice: IntArray | None  # part-local arcs of the component's referrals
    value: float
    dual: float
    finished: bool


def _refine(args: tuple[int, int, IntArray, float, float, tuple[float, float], float]) -> Refined:
    """Phase A MIP on one component, warm-started; kept only if exactly better and feasible."""
    part_id, c, start, value, bound, (seconds, stage_end), gap = args
    st = _state()
    part = st.parts[part_id]
    seconds = min(seconds, stage_end - time.monotonic())  # lanes never run past the stage
    if seconds < _least_mip_seconds(part, c):
        return Refined(part_id, c, None, value, bound, False)
    m = milp.build(part, np.asarray([c], np.int64), "A")
    x0 = np.zeros(len(m.arcs), bool)
    a0 = int(part.comp_arc_start[c])
    x0[start[start >= 0] - a0] = True
    res = milp.solve_mip(part, m, x0, seconds, gap)
    dual = bound
    if res.x is not None:
        mip_bound = safe(np.asarray([res.dual_bound]), SOLVER_MARGIN)
        dual = min(bound, float(_snap(mip_bound, st.granule)[0]))
    if res.x is None:
        return Refined(part_id, c, None, value, dual, False)
    p = Packing(part, c, st.ratio)
    p.load_choice(_choice_from_x(part, c, m.arcs[res.x]))
    new = p.value()
    if not p.feasible() or new <= value + 1e-9:
        return Refined(part_id, c, None, value, max(dual, value), res.finished)
    return Refined(part_id, c, p.choice(), new, max(dual, new), res.finished)


def _choice_from_x(part: Part, c: int, arcs: IntArray) -> IntArray:
    r0, r1 = int(part.comp_ref_start[c]), int(part.comp_ref_start[c + 1])
    out = np.full(r1 - r0, -1, np.int64)
    out[part.arc_ref[arcs] - r0] = arcs
    return out


@dataclass
class PartB:
    choice: IntArray
    finished: BoolArray
    by_lp: int = 0  # components whose cost LP was integral
    by_search: int = 0  # components closed by the cost search against the LP bound
    pending: list[tuple[float, int, float]] = field(default_factory=list)  # (saving, comp, cost)
    mips: int = 0  # cost MIPs run
    mips_proved: int = 0


def _phase_b(args: tuple[int, IntArray, float, float]) -> PartB:
    """Cheapest placement at phase A's weighted hours, component by component.

    The part's cost LP gives each component a lower bound (and, where its solution is
    integral, the answer). Otherwise relocations and swaps lower the cost of phase A's
    placement, which is done once within ``COST_GAP_FACTOR * gap`` of the bound; the rest are
    returned as pending, for their own cost MIPs (``_cost_mip``, stage 4).
    """
    part_id, choice_a, deadline, gap = args
    st = _state()
    part = st.parts[part_id]
    n = part.n_comp
    placed = choice_a >= 0
    reached = sum_by(part.ref_comp[placed], part.ref_gain[placed], n)
    everyone = np.bincount(part.ref_comp[placed], minlength=n) == np.diff(part.comp_ref_start)
    arcs_per_ref = np.bincount(part.arc_ref, minlength=part.n_ref)
    no_choice = sum_by(part.ref_comp, (arcs_per_ref > 1).astype(np.float64), n) == 0
    finished = everyone & no_choice  # one arc each and all placed: nothing to choose
    choice = choice_a.copy()
    out = PartB(choice, finished)
    todo = np.flatnonzero(~finished)
    if len(todo) == 0 or time.monotonic() > deadline:
        return out
    m = milp.build(part, todo, "B", reached=reached, everyone=everyone)
    cols, ok = milp.solve_lp(m)
    x = cols[: len(m.arcs)]
    comp_of = part.arc_comp[m.arcs]
    lower = sum_by(comp_of, np.asarray(m.lp.col_cost_[: len(m.arcs)]) * x, n)
    lower += sum_by(part.key_comp[m.g_key], -m.g_price * cols[len(m.arcs) :], n)
    integral = np.abs(x - np.round(x)) <= 1e-7
    fractional = sum_by(comp_of, (~integral).astype(np.float64), n) > 0
    pending: list[tuple[float, int, float]] = []
    for c in todo.tolist():
        if time.monotonic() > deadline:
            break
        r0, r1 = int(part.comp_ref_start[c]), int(part.comp_ref_start[c + 1])
        if ok and not fractional[c]:
            mine = m.arcs[(comp_of == c) & (x > 0.5)]
            if _accept(part, st, c, mine, reached[c]):
                choice[r0:r1] = _choice_from_x(part, c, mine)
                finished[c] = True
                out.by_lp += 1
                continue
        p = Packing(part, c, st.ratio)
        p.load_choice(choice_a[r0:r1])
        costing = Costing(p, part, c)
        costing.improve(deadline=deadline)
        if p.feasible() and p.value() >= reached[c] - 1e-9:
            choice[r0:r1] = p.choice()
        cost = costing.total()
        if ok and cost - lower[c] <= gap * COST_GAP_FACTOR * max(abs(cost), 1.0):
            finished[c] = True
            out.by_search += 1
        else:
            pending.append((cost - lower[c] if ok else cost, c, cost))
    out.pending = pending
    return out


def _cost_mip(args: tuple[int, int, IntArray, float, float, tuple[float, float], float]) -> CostMip:
    """Phase B MIP on one component from the search's placement; kept only if exactly better."""
    part_id, c, start, reached, cost, (seconds, stage_end), gap = args
    st = _state()
    part = st.parts[part_id]
    seconds = min(seconds, stage_end - time.monotonic())  # lanes never run past the deadline
    if seconds < _least_mip_seconds(part, c):
        return CostMip(part_id, c, None, False)
    n = part.n_comp
    reached_all = np.zeros(n)
    reached_all[c] = reached
    everyone = np.zeros(n, bool)
    everyone[c] = bool((start >= 0).all())
    mc = milp.build(part, np.asarray([c], np.int64), "B", reached=reached_all, everyone=everyone)
    a0 = int(part.comp_arc_start[c])
    x0 = np.zeros(len(mc.arcs), bool)
    x0[start[start >= 0] - a0] = True
    res = milp.solve_mip(part, mc, x0, seconds, gap * COST_GAP_FACTOR)
    if res.x is None or not _accept(part, st, c, mc.arcs[res.x], reached):
        return CostMip(part_id, c, None, res.finished)
    p = Packing(part, c, st.ratio)
    p.load_choice(_choice_from_x(part, c, mc.arcs[res.x]))
    better = Costing(p, part, c).total() <= cost
    return CostMip(part_id, c, p.choice() if better else None, res.finished)


@dataclass
class CostMip:
    part_id: int
    comp: int
    choice: IntArray | None
    finished: bool


def _accept(part: Part, st: _State, c: int, arcs: IntArray, reached: float) -> bool:
    """Whether a phase B answer is exactly feasible and keeps phase A's weighted hours."""
    p = Packing(part, c, st.ratio)
    p.load_choice(_choice_from_x(part, c, arcs))
    return p.feasible() and p.value() >= reached - 1e-9


def _lanes(weights: list[float], lanes: int) -> list[list[int]]:
    """Items shared among lanes, heaviest first to the lightest lane; each lane in item order."""
    share: list[list[int]] = [[] for _ in range(max(lanes, 1))]
    load = [0.0] * len(share)
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        lane = min(range(len(share)), key=lambda j: (load[j], j))
        share[lane].append(i)
        load[lane] += weights[i]
    return [sorted(s) for s in share]


def _fork_map(fn: Callable[[T], R], items: list[T], share: list[list[int]]) -> list[R]:
    """``[fn(x) for x in items]``, lane j computing the items in ``share[j]``.

    Lanes after the first are forked children (they inherit the compiled problem); each sends
    its pickled results back through a pipe while the parent computes the first lane. A child
    that fails has its share recomputed here, so a crash costs time, never the answer.
    """
    children: list[tuple[int, int, list[int]]] = []
    # Objects that exist now are never collected by the children: without this, a child's
    # garbage collector walks (and so copies, page by page) the whole inherited heap.
    gc.freeze()
    for mine in share[1:]:
        if not mine:
            continue
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            gc.disable()
            os.close(read_fd)
            code = 0
            try:
                payload = pickle.dumps([fn(items[i]) for i in mine], protocol=5)
            except BaseException:
                payload, code = b"", 1
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
            os._exit(code)
        os.close(write_fd)
        children.append((pid, read_fd, mine))
    results: dict[int, R] = {i: fn(items[i]) for i in share[0]}
    for pid, read_fd, mine in children:
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status == 0 and data:
            # Our own child's bytes, through our own pipe: nothing untrusted is unpickled.
            results.update(zip(mine, pickle.loads(data), strict=True))  # noqa: S301
        else:
            results.update({i: fn(items[i]) for i in mine})
    gc.unfreeze()
    return [results[i] for i in range(len(items))]


def solve_optimal(
    index: Index, *, time_limit: float, mip_gap: float, workers: int | None, started: float
) -> OptimalOutcome:
    global _STATE
    stats: dict[str, float] = {}
    t0 = time.monotonic()
    greedy = greedy_choice(index)
    cp = compile_index(index)
    parts = [make_part(cp, pc) for pc in partition(cp, np.arange(cp.n_comp, dtype=np.int64))]
    arc_pos = np.zeros(index.n_arcs, np.int64)
    for part in parts:
        arc_pos[part.arcs] = np.arange(part.n_arc)
    granule = float(cp.unit) * 0.25 if cp.exact else 0.0
    _STATE = _State(cp, parts, Fraction(cp.unit / cp.dp_unit), granule)
    stats["prepare_s"] = time.monotonic() - t0
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    lanes = max(1, min(n_workers, len(parts))) if index.n_arcs >= PARALLEL_MIN_ARCS else 1
    if not hasattr(os, "fork"):
        lanes = 1  # no fork on this platform: one process, same answer
    # Keep back time to merge, check and assemble (measured: about 15-30 us a referral).
    reserve = 0.02 + 4e-5 * len(index.referrals)
    deadline = started + max(time_limit - reserve, 0.0)
    weights = [float(p.n_arc) for p in parts]

    # Stage 1: phase A for every part. Column generation stops by a soft deadline per part,
    # set when the part starts: its share, by size, of what is left of its lane's time (so a
    # part that finishes early leaves its time to the next), and rounding always runs after
    # it; only the hard deadline skips work.
    t1 = time.monotonic()
    lane_end = t1 + max(deadline - t1, 0.0) * STAGE1_SHARE
    share_a = _lanes(weights, lanes)
    after = [0.0] * len(parts)
    for mine in share_a:
        rest = sum(weights[i] for i in mine)
        for i in mine:
            rest -= weights[i]
            after[i] = rest
    jobs_a = []
    for i, part in enumerate(parts):
        g = greedy[part.refs]
        start = np.where(g >= 0, arc_pos[np.maximum(g, 0)], -1)
        jobs_a.append((i, start, (lane_end, weights[i], after[i]), deadline, mip_gap))
    results_a = _fork_map(_phase_a, jobs_a, share_a)
    stats["stage1_s"] = time.monotonic() - t1
    stats["cg_rounds_max"] = max((r.rounds for r in results_a), default=0)
    stats["cg_components"] = sum(r.cg_comps for r in results_a)
    stats["stage1_parts_cut"] = sum(r.cut for r in results_a)
    stats["stage1_work_s"] = sum(r.seconds for r in results_a)

    # Stage 2: the open components' own MIPs, largest gap first, within a share of the time.
    t2 = time.monotonic()
    open_jobs: list[tuple[float, int, int]] = []
    for i, r in enumerate(results_a):
        for c in np.flatnonzero(~r.closed).tolist():
            open_jobs.append((float(r.bound[c] - r.value[c]), i, int(c)))
    open_jobs.sort(key=lambda j: (-j[0], j[1], j[2]))
    stats["open_after_stage1"] = len(open_jobs)
    left = max(0.0, deadline - t2) * REFINE_SHARE
    if left < MIN_REFINE_SECONDS:
        left = 0.0  # a MIP needs time to pay off; phase B uses it better
    # Each MIP gets its share by gap, but at least what its size needs to start paying off;
    # the largest gaps go first until the lanes' time is spent.
    weight = sum(j[0] for j in open_jobs) or 1.0
    spent = 0.0
    jobs_r = []
    for gap_c, i, c in open_jobs:
        least = _least_mip_seconds(parts[i], c)
        seconds = min(max(left * lanes * gap_c / weight, least), left)
        if seconds < least or _over(spent + seconds, left * lanes):
            continue
        spent += seconds
        part, r = parts[i], results_a[i]
        r0, r1 = part.comp_ref_start[c], part.comp_ref_start[c + 1]
        budget_c = (seconds, t2 + left)
        jobs_r.append(
            (i, c, r.choice[r0:r1], float(r.value[c]), float(r.bound[c]), budget_c, mip_gap)
        )
    for ref in _fork_map(_refine, jobs_r, _lanes([j[5][0] for j in jobs_r], lanes)):
        r, part, c = results_a[ref.part_id], parts[ref.part_id], ref.comp
        if ref.choice is not None:
            r.choice[part.comp_ref_start[c] : part.comp_ref_start[c + 1]] = ref.choice
            r.value[c] = ref.value
        r.bound[c] = max(min(r.bound[c], ref.dual), r.value[c])
        closed = _closed(r.bound[c : c + 1], r.value[c : c + 1], mip_gap, granule)[0]
        r.closed[c] = bool(ref.finished or closed)
    stats["stage2_s"] = time.monotonic() - t2

    # Stage 3: phase B for every part: cost LP, cost search.
    t3 = time.monotonic()
    jobs_b = [(i, results_a[i].choice, deadline, mip_gap) for i in range(len(parts))]
    results_b = _fork_map(_phase_b, jobs_b, _lanes(weights, lanes))
    stats["stage3_s"] = time.monotonic() - t3
    # Stage 4: cost MIPs, largest possible saving first, while time allows.
    t4 = time.monotonic()
    pending = sorted(
        ((saving, i, c, cost) for i, r in enumerate(results_b) for saving, c, cost in r.pending),
        key=lambda j: (-j[0], j[1], j[2]),
    )
    # Each MIP gets a fair share by size but at least MIN_COST_MIP seconds; the largest savings
    # go first until the lanes' time is spent.
    left = max(0.0, deadline - t4) * 0.9
    if left < 2 * MIN_COST_MIP:
        pending = []  # too little time for a MIP to pay off
    total_arcs = sum(float(parts[i].comp_arc_start[c + 1] - parts[i].comp_arc_start[c])
                     for _, i, c, _ in pending) or 1.0  # fmt: skip
    spent = 0.0
    jobs_m = []
    for _, i, c, cost in pending:
        part = parts[i]
        arcs = float(part.comp_arc_start[c + 1] - part.comp_arc_start[c])
        least = max(MIN_COST_MIP, _least_mip_seconds(part, c))
        seconds = min(max(left * lanes * arcs / total_arcs, least), left)
        if seconds < least or _over(spent + seconds, left * lanes):
            continue
        spent += seconds
        r0, r1 = part.comp_ref_start[c], part.comp_ref_start[c + 1]
        ch = results_b[i].choice[r0:r1]
        reached = float(part.ref_gain[r0:r1][ch >= 0].sum())
        jobs_m.append((i, c, ch, reached, cost, (seconds, deadline), mip_gap))
    for res in _fork_map(_cost_mip, jobs_m, _lanes([j[5][0] for j in jobs_m], lanes)):
        rb, part = results_b[res.part_id], parts[res.part_id]
        c = res.comp
        if res.choice is not None:
            rb.choice[part.comp_ref_start[c] : part.comp_ref_start[c + 1]] = res.choice
        rb.finished[c] = res.finished
        rb.mips += 1
        rb.mips_proved += int(res.finished)
    stats["stage4_s"] = time.monotonic() - t4
    stats["phase_b_components"] = sum(len(r.finished) for r in results_b)
    stats["phase_b_by_lp"] = sum(r.by_lp for r in results_b)
    stats["phase_b_by_search"] = sum(r.by_search for r in results_b)
    stats["phase_b_mips"] = sum(r.mips for r in results_b)
    stats["phase_b_mips_proved"] = sum(r.mips_proved for r in results_b)
    stats["phase_b_finished"] = sum(int(r.finished.sum()) for r in results_b)

    choice: IntArray = np.full(len(index.referrals), -1, np.int64)
    phase_a: IntArray = choice.copy()
    for part, ra, rb in zip(parts, results_a, results_b, strict=True):
        for local, target in ((rb.choice, choice), (ra.choice, phase_a)):
            sel = local >= 0
            target[part.refs[sel]] = part.arcs[local[sel]]
    choice, fallbacks = _guard(index, choice, phase_a, greedy)
    lp_bound = sum(float(r.lp.sum()) for r in results_a)
    dual_bound = sum(float(r.bound.sum()) for r in results_a)
    finished = all(bool(r.closed.all()) and not r.cut for r in results_a) and all(
        bool(r.finished.all()) for r in results_b
    )
    _STATE = None
    return OptimalOutcome(
        choice=choice,
        lp_bound=lp_bound,
        dual_bound=min(dual_bound, lp_bound),
        finished=finished,
        batches=len(parts),
        fallbacks=fallbacks,
        stats=stats,
    )


def _per_component(index: Index, choice: IntArray) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(Decimal)
    for r in np.flatnonzero(choice >= 0):
        out[int(index.component[r])] += index.weight[r] * index.referrals[r].hours
    return out


def _broken_components(index: Index, choice: IntArray) -> set[int]:
    """Components whose placement breaks a capacity or subcontract constraint exactly."""
    load: dict[int, Decimal] = defaultdict(Decimal)
    total: dict[int, Decimal] = defaultdict(Decimal)
    panel: dict[int, Decimal] = defaultdict(Decimal)
    comp_of_key: dict[int, int] = {}
    comp_of_prime: dict[int, int] = {}
    for r in np.flatnonzero(choice >= 0):
        a, h, c = int(choice[r]), index.referrals[r].hours, int(index.component[r])
        k = int(index.arc_key[a])
        load[k] += h
        comp_of_key[k] = c
        p = int(index.arc_prime[a])
        if p >= 0:
            total[p] += h
            comp_of_prime[p] = c
            if index.arc_deliverer[a] != index.arc_placed[a]:
                panel[p] += h
    broken = {comp_of_key[k] for k, v in load.items() if v > index.key_cap[k]}
    broken |= {comp_of_prime[p] for p, v in total.items() if panel[p] < index.prime_share[p] * v}
    return broken


def _guard(
    index: Index, choice: IntArray, phase_a: IntArray, greedy: IntArray
) -> tuple[IntArray, int]:
    comp = index.component
    fallbacks = 0
    lost = _per_component(index, phase_a)
    got = _per_component(index, choice)
    for c in sorted(k for k, v in lost.items() if got.get(k, Decimal(0)) < v):
        choice = np.where(comp == c, phase_a, choice)
    base = _per_component(index, greedy)
    got = _per_component(index, choice)
    bad = _broken_components(index, choice)
    bad |= {k for k, v in base.items() if got.get(k, Decimal(0)) < v}
    for c in sorted(bad):
        choice = np.where(comp == c, greedy, choice)
        fallbacks += 1
    return choice, fallbacks
