"""The arc model of one or more components for HiGHS: phase A (MIP) and phase B (LP, MIP).

Columns: one binary per arc, then (phase B only) one free-hours column per (key, price) at keys
with a guaranteed block. Rows: each referral at most once (exactly once in phase B where phase
A placed everyone), capacity per key, the prime share (panel hours >= share x all hours placed
with the lead), and in phase B the free-hours rows and "weighted hours >= what phase A reached"
per component.

Phase A maximises priority-weighted hours. Phase B minimises weekly cost (price x hours, minus
the price of the block hours used) minus a quality term so small that all of it is worth less
than a penny, so cost can never buy back weighted hours and quality can never buy a penny.
A single scaled objective was rejected: to be exact it would need weights below HiGHS's
tolerances.

Several components go into one model only for LPs (a block-diagonal LP costs what its blocks
cost); every MIP is one component, because branching on a union of independent blocks
replicates each block's search tree under the others'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import highspy
import numpy as np
from scipy.sparse import coo_matrix

from caremarket.engine.allocation.bounds import INF, highs
from caremarket.engine.allocation.compiled import BoolArray, FloatArray, IntArray, Part

# Phase B keeps weighted hours >= phase A's value minus this (gains are multiples of 1/16 in
# real data; the exact guard afterwards rejects any loss at all).
PHASE_B_SLACK = 1e-6


@dataclass
class Model:
    lp: highspy.HighsLp
    arcs: IntArray  # part-local arcs, in column order
    n_group: int
    g_key: IntArray  # part-local key of each free-hours group
    g_price: FloatArray
    group_of_arc: IntArray  # per model arc, -1 outside groups


def build(
    part: Part,
    comps: IntArray,
    phase: Literal["A", "B"],
    *,
    reached: FloatArray | None = None,
    everyone: BoolArray | None = None,
) -> Model:
    """The model of the listed components (part-local ids).

    Phase B needs ``reached`` (phase A's value per component) and ``everyone`` (whether phase A
    placed every referral of the component: then "at most once" becomes "exactly once" and no
    weighted-hours row is needed).
    """
    arcs = np.concatenate(
        [np.arange(part.comp_arc_start[c], part.comp_arc_start[c + 1]) for c in comps]
    ).astype(np.int64)
    n = len(arcs)
    refs, arc_ref = np.unique(part.arc_ref[arcs], return_inverse=True)
    keys, arc_key = np.unique(part.arc_key[arcs], return_inverse=True)
    arc_ref, arc_key = arc_ref.reshape(-1), arc_key.reshape(-1)
    pr = part.arc_prime[arcs]
    primes, arc_p = np.unique(pr[pr >= 0], return_inverse=True)
    arc_prime = np.full(n, -1, np.int64)
    arc_prime[pr >= 0] = arc_p.reshape(-1)
    hours = part.hours[arcs]
    cols = np.arange(n, dtype=np.int64)
    rows: list[IntArray] = []
    cc: list[IntArray] = []
    vals: list[FloatArray] = []
    lower: list[FloatArray] = []
    upper: list[FloatArray] = []
    n_row = 0

    def add(r: IntArray, c: IntArray, v: FloatArray, lo: FloatArray, up: FloatArray) -> None:
        nonlocal n_row
        rows.append(r + n_row)
        cc.append(c)
        vals.append(v)
        lower.append(lo)
        upper.append(up)
        n_row += len(lo)

    nr = len(refs)
    ref_lower = np.full(nr, -INF)
    if phase == "B" and everyone is not None:
        ref_comp = part.ref_comp[refs]
        ref_lower = np.where(everyone[ref_comp], 1.0, -INF)
    add(arc_ref, cols, np.ones(n), ref_lower, np.ones(nr))
    add(arc_key, cols, hours, np.full(len(keys), -INF), part.key_cap[keys])
    if len(primes):
        sel = arc_prime >= 0
        coef = part.prime_coef()[arcs]
        add(arc_prime[sel], cols[sel], coef[sel], np.zeros(len(primes)), np.full(len(primes), INF))

    n_group = 0
    g_key = np.zeros(0, np.int64)
    g_price = np.zeros(0)
    group_of_arc = np.full(n, -1, np.int64)
    if phase == "B":
        assert reached is not None and everyone is not None
        sel = part.key_block[part.arc_key[arcs]] > 0
        if sel.any():
            pairs = np.stack([part.arc_key[arcs][sel].astype(np.float64), part.price[arcs][sel]])
            groups, group_of = np.unique(pairs, axis=1, return_inverse=True)
            group_of = group_of.reshape(-1)
            n_group = groups.shape[1]
            g_key = groups[0].astype(np.int64)
            g_price = groups[1]
            group_of_arc[sel] = group_of
            g_cols = n + np.arange(n_group, dtype=np.int64)
            # f_g <= hours placed in the group
            add(
                np.concatenate([group_of, np.arange(n_group)]),
                np.concatenate([cols[sel], g_cols]),
                np.concatenate([-hours[sel], np.ones(n_group)]),
                np.full(n_group, -INF),
                np.zeros(n_group),
            )
            # sum of a key's groups <= its block (one group alone is bounded by its column)
            g_local, g_k = np.unique(g_key, return_inverse=True)
            g_k = g_k.reshape(-1)
            shared = np.bincount(g_k, minlength=len(g_local)) >= 2
            if shared.any():
                row_of = np.cumsum(shared) - 1
                gsel = shared[g_k]
                add(
                    row_of[g_k[gsel]],
                    g_cols[gsel],
                    np.ones(int(gsel.sum())),
                    np.full(int(shared.sum()), -INF),
                    part.key_block[g_local[shared]],
                )
        partial = np.asarray([c for c in comps if not everyone[c]], np.int64)
        if len(partial):
            row_of_comp = np.full(part.n_comp, -1, np.int64)
            row_of_comp[partial] = np.arange(len(partial))
            sel = row_of_comp[part.arc_comp[arcs]] >= 0
            add(
                row_of_comp[part.arc_comp[arcs][sel]],
                cols[sel],
                part.gain[arcs][sel],
                reached[partial] - PHASE_B_SLACK,
                np.full(len(partial), INF),
            )

    n_col = n + n_group
    mat = coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cc))), shape=(n_row, n_col)
    ).tocsc()
    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = n_row
    if phase == "A":
        lp.col_cost_ = part.gain[arcs]
        lp.sense_ = highspy.ObjSense.kMaximize
    else:
        # Per component, the whole quality term is worth under a penny.
        comp_of = part.arc_comp[arcs]
        per_comp = np.bincount(comp_of, weights=hours, minlength=part.n_comp)
        tie = 0.01 / (per_comp[comp_of] * 100.0 + 1.0)
        cost = part.price[arcs] * hours - tie * part.quality[arcs] * hours
        lp.col_cost_ = np.concatenate([cost, -g_price])
        lp.sense_ = highspy.ObjSense.kMinimize
    lp.col_lower_ = np.zeros(n_col)
    lp.col_upper_ = np.concatenate([np.ones(n), part.key_block[g_key]])
    lp.row_lower_ = np.concatenate(lower)
    lp.row_upper_ = np.concatenate(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mat.indptr.astype(np.int32)
    lp.a_matrix_.index_ = mat.indices.astype(np.int32)
    lp.a_matrix_.value_ = mat.data
    return Model(lp, arcs, n_group, g_key, g_price, group_of_arc)


def free_hours(part: Part, m: Model, x: BoolArray) -> FloatArray:
    """A feasible value of the free-hours columns for a placement (x per model arc)."""
    f = np.zeros(m.n_group)
    if m.n_group:
        sel = x & (m.group_of_arc >= 0)
        placed = np.bincount(
            m.group_of_arc[sel], weights=part.hours[m.arcs][sel], minlength=m.n_group
        )
        left = dict.fromkeys(m.g_key.tolist(), 0.0)
        for k in left:
            left[k] = float(part.key_block[k])
        for g in np.argsort(-m.g_price, kind="stable"):
            k = int(m.g_key[g])
            f[g] = min(placed[g], left[k])
            left[k] -= f[g]
    return f


@dataclass
class MipResult:
    x: BoolArray | None  # per model arc; None if HiGHS found nothing
    finished: bool  # proved within the gap
    dual_bound: float
    objective: float


def solve_mip(
    part: Part, m: Model, start: BoolArray, seconds: float, gap: float, *, integer: bool = True
) -> MipResult:
    """Run HiGHS on the model from ``start`` (per model arc) for at most ``seconds``."""
    h = highs()
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("mip_abs_gap", 1e-6)
    h.setOptionValue("time_limit", max(seconds, 0.001))
    n = len(m.arcs)
    if integer:
        m.lp.integrality_ = [highspy.HighsVarType.kInteger] * n + [
            highspy.HighsVarType.kContinuous
        ] * m.n_group
    h.passModel(m.lp)
    if integer:
        sol = highspy.HighsSolution()
        sol.col_value = np.concatenate([start.astype(np.float64), free_hours(part, m, start)])
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    finished = bool(status == highspy.HighsModelStatus.kOptimal)
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return MipResult(None, finished, float("nan"), float("nan"))
    x = np.asarray(h.getSolution().col_value[:n])
    dual = float(info.mip_dual_bound) if integer else float(info.objective_function_value)
    return MipResult(x > 0.5, finished, dual, float(info.objective_function_value))


def solve_lp(m: Model) -> tuple[FloatArray, bool]:
    """The LP relaxation: every column's value, and whether HiGHS reached optimality."""
    h = highs()
    h.setOptionValue("presolve", "off")  # measured faster on these block-diagonal LPs
    h.passModel(m.lp)
    h.run()
    ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return np.asarray(h.getSolution().col_value), bool(ok)
