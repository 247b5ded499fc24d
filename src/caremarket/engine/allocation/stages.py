"""The work each stage of ``optimal.py`` does on one part or one component.

These functions run in forked children (``forking.fork_map``) as well as in the parent, so they
take plain tuples and read the compiled problem from this module's state (``load``), which a
forked child inherits without copying or pickling it; only their small results travel back.
Kept apart from ``optimal.py`` so that the orchestration there (budgets, order, merging) reads
as one story, and so that a stage can be run on its own (the tests run phase A with one and two
processes and compare).

* ``phase_a``: LP, rounding, knapsack fills and ejection chains, then column generation for
  the components still open (stage 1); ``refine``: a component's own arc MIP (stage 2).
* ``phase_b``: the cost LP and the cost search at phase A's weighted hours (stage 3);
  ``cost_mip``: a component's own cost MIP (stage 4).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from caremarket.engine.allocation import milp
from caremarket.engine.allocation.bounds import SOLVER_MARGIN, arc_lp, column_generation, safe
from caremarket.engine.allocation.compiled import (
    BoolArray,
    Compiled,
    FloatArray,
    IntArray,
    Part,
    sum_by,
)
from caremarket.engine.allocation.costing import Costing
from caremarket.engine.allocation.heuristic import Packing, lp_order

COST_GAP_FACTOR = 10.0  # phase B (cost) stops at this multiple of ``mip_gap``
MIN_MIP_SECONDS = 0.005  # a MIP given less than this is not started
MIP_SECONDS_PER_ARC = 2e-4  # ... nor one given less than this per arc of its component
PRE_ROUNDS = 6  # improvement rounds before column generation (after it: 6)


@dataclass
class State:
    """The compiled problem every stage reads; set once per solve, before any fork."""

    cp: Compiled
    parts: list[Part]
    ratio: Fraction  # exact unit / knapsack unit
    granule: float  # every placement's value is a multiple of this (0 if unknown)


_STATE: State | None = None


def load(state: State | None) -> None:
    """Install the problem the stages work on (before forking), or drop it (``None``)."""
    global _STATE
    _STATE = state


def _state() -> State:
    assert _STATE is not None
    return _STATE


@dataclass
class PartA:
    """Phase A's answer for one part: its placement and, per component, value and bounds."""

    choice: IntArray  # part-local arc per part referral, -1 unplaced
    value: FloatArray  # per component
    lp: FloatArray
    bound: FloatArray
    closed: BoolArray
    rounds: int
    cg_comps: int
    cut: bool  # a deadline stopped the work early, so the result depends on timing
    seconds: float = 0.0


def is_closed(bound: FloatArray, value: FloatArray, gap: float, granule: float) -> BoolArray:
    """Components whose incumbent is within the gap of the bound (or provably optimal)."""
    out: BoolArray = (bound - value <= gap * np.abs(bound)) | (bound - value < granule * 0.5)
    return out


def _snap(bound: FloatArray, granule: float) -> FloatArray:
    """A bound rounded down to the objective's granularity: still a bound, since every
    placement's value is a multiple of it (weights are quarters, hours whole units)."""
    if granule <= 0:
        return bound
    out: FloatArray = np.floor(bound / granule + 1e-12) * granule
    return out


def phase_a(args: tuple[int, IntArray, tuple[float, float, float], float, float]) -> PartA:
    """Stage 1 on one part: bounds and the best placement found before its soft deadline."""
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
    open_ = ~trivial & ~is_closed(bound, value, gap, st.granule)
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
        for c in np.flatnonzero(open_ & ~is_closed(bound, value, gap, st.granule)).tolist():
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
        closed=is_closed(bound, value, gap, st.granule),
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


def least_mip_seconds(part: Part, c: int) -> float:
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


def refine(args: tuple[int, int, IntArray, float, float, tuple[float, float], float]) -> Refined:
    """Phase A MIP on one component, warm-started; kept only if exactly better and feasible."""
    part_id, c, start, value, bound, (seconds, stage_end), gap = args
    st = _state()
    part = st.parts[part_id]
    seconds = min(seconds, stage_end - time.monotonic())  # lanes never run past the stage
    if seconds < least_mip_seconds(part, c):
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


def phase_b(args: tuple[int, IntArray, float, float]) -> PartB:
    """Cheapest placement at phase A's weighted hours, component by component.

    The part's cost LP gives each component a lower bound (and, where its solution is
    integral, the answer). Otherwise relocations and swaps lower the cost of phase A's
    placement, which is done once within ``COST_GAP_FACTOR * gap`` of the bound; the rest are
    returned as pending, for their own cost MIPs (``cost_mip``, stage 4).
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


@dataclass
class CostMip:
    part_id: int
    comp: int
    choice: IntArray | None
    finished: bool


def cost_mip(args: tuple[int, int, IntArray, float, float, tuple[float, float], float]) -> CostMip:
    """Phase B MIP on one component from the search's placement; kept only if exactly better."""
    part_id, c, start, reached, cost, (seconds, stage_end), gap = args
    st = _state()
    part = st.parts[part_id]
    seconds = min(seconds, stage_end - time.monotonic())  # lanes never run past the deadline
    if seconds < least_mip_seconds(part, c):
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


def _accept(part: Part, st: State, c: int, arcs: IntArray, reached: float) -> bool:
    """Whether a phase B answer is exactly feasible and keeps phase A's weighted hours."""
    p = Packing(part, c, st.ratio)
    p.load_choice(_choice_from_x(part, c, arcs))
    return p.feasible() and p.value() >= reached - 1e-9
