"""Upper bounds on the first objective: the LP relaxation, and the configuration LP.

**LP relaxation** (reported as ``Bounds.lp``): the arc model with ``0 <= x <= 1``, solved with
HiGHS once per part. Its duals start the column generation.

**Lagrangian / configuration-LP bound.** Relax "each referral at most once" with multipliers
``lam_r >= 0`` and each prime's share row with ``mu_p >= 0``. What is left splits by key into
0/1 knapsacks::

    L(lam, mu) = sum_r lam_r + sum_k max_{S fits in k} sum_{a in S} (gain_a - lam_r(a) + mu q_a)

Every feasible placement x satisfies ``gain(x) <= gain(x) + sum lam (1 - placed) + mu q x <=
L(lam, mu)`` (the added terms are >= 0 for a feasible x, and each key's part of x is one of the
subsets the knapsack maximises over), so **every L is an upper bound, whatever lam, mu >= 0**:
it needs no convergence and no dual feasibility, only exact knapsacks. These are exact dynamic
programmes over knapsack units with package sizes rounded *down* (any real packing still fits).

The multipliers come from column generation on the configuration LP (a column is one key's
subset; its master has rows "referral at most once", "key uses one subset", and the prime rows):
the master's duals are priced by the same knapsacks, new subsets enter, and at convergence the
master value equals the best L, the configuration-LP bound. It is never above the LP bound and
is usually far below it: it knows packages are indivisible. The columns and the master solution
also guide the heuristics to good placements (``heuristic.py``).

All components of a part are priced in one vectorised call and share one block-diagonal master
LP (block-diagonal LPs cost what their blocks cost); each component keeps its own best L and
leaves the loop once its bound is met by its incumbent or its master has converged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from caremarket.engine.allocation.compiled import BoolArray, FloatArray, IntArray, Part, sum_by
from caremarket.engine.allocation.knapsack import knapsack

INF = highspy.kHighsInf
MAX_ROUNDS = 60
# A component leaves the loop once its bound can improve by at most this share of its gap.
CONVERGED = 0.05
# ... or once its master is within this share of its bound (column generation tails off).
TAIL = 1e-3
# Weight of the stability centre in the duals priced (0 is plain column generation).
SMOOTHING = 0.5
# Safety margin on bounds we compute ourselves (exact knapsacks, float sums): relative and
# absolute. Bounds read from HiGHS (LP value, MIP dual bound) carry its tolerances (1e-7 on
# feasibility and optimality), so they get a wider one before they are trusted.
BOUND_MARGIN = 1e-9
SOLVER_MARGIN = 1e-6


def highs() -> highspy.Highs:
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.silent()
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    return h


def safe(value: FloatArray, margin: float = BOUND_MARGIN) -> FloatArray:
    """A float bound nudged up by the margin, so rounding cannot make it too small."""
    out: FloatArray = value + margin * (np.abs(value) + 1.0)
    return out


@dataclass
class LpResult:
    value: FloatArray  # per component of the part (0 where not solved)
    x: FloatArray  # per arc
    lam: FloatArray  # per referral
    mu: FloatArray  # per prime


def arc_lp(part: Part, active: BoolArray) -> LpResult:
    """The LP relaxation of phase A for the active components of the part."""
    arcs = np.flatnonzero(active[part.arc_comp])
    n = len(arcs)
    nr, nk, npr = part.n_ref, part.n_key, part.n_prime
    x = np.zeros(part.n_arc)
    if n == 0:
        return LpResult(np.zeros(part.n_comp), x, np.zeros(nr), np.zeros(npr))
    coef = part.prime_coef()[arcs]
    has_p = part.arc_prime[arcs] >= 0
    count = 2 + has_p.astype(np.int64)
    start = np.zeros(n + 1, np.int64)
    np.cumsum(count, out=start[1:])
    index = np.zeros(int(start[-1]), np.int32)
    value = np.zeros(int(start[-1]))
    index[start[:-1]] = part.arc_ref[arcs]
    value[start[:-1]] = 1.0
    index[start[:-1] + 1] = nr + part.arc_key[arcs]
    value[start[:-1] + 1] = part.hours[arcs]
    at = start[:-1][has_p] + 2
    index[at] = nr + nk + part.arc_prime[arcs][has_p]
    value[at] = coef[has_p]
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = nr + nk + npr
    lp.col_cost_ = part.gain[arcs]
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.concatenate([np.full(nr + nk, -INF), np.zeros(npr)])
    lp.row_upper_ = np.concatenate([np.ones(nr), part.key_cap, np.full(npr, INF)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start.astype(np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.sense_ = highspy.ObjSense.kMaximize
    h = highs()
    h.setOptionValue("presolve", "off")  # measured: about 40% faster on these LPs
    h.setOptionValue("simplex_strategy", 4)
    h.passModel(lp)
    h.run()
    sol = h.getSolution()
    x[arcs] = np.clip(np.asarray(sol.col_value), 0.0, 1.0)
    dual = np.asarray(sol.row_dual)
    per_comp = sum_by(part.arc_comp, part.gain * x, part.n_comp)
    return LpResult(
        value=per_comp,
        x=x,
        lam=np.maximum(dual[:nr], 0.0),
        mu=np.maximum(-dual[nr + nk :], 0.0),
    )


@dataclass
class Columns:
    """The configuration master: one column per (key, subset of its arcs)."""

    key: list[int] = field(default_factory=list)
    arcs: list[IntArray] = field(default_factory=list)
    comp: list[int] = field(default_factory=list)
    y: FloatArray = field(default_factory=lambda: np.zeros(0))


@dataclass
class ColGenResult:
    lagrangian: FloatArray  # best L per component (inf where not computed), margin included
    master: FloatArray  # master LP value per component
    columns: Columns
    rounds: int
    timed_out: bool  # stopped by the deadline (the result then depends on timing)


class _Master:
    def __init__(self, part: Part) -> None:
        self.part = part
        nr, nk, npr = part.n_ref, part.n_key, part.n_prime
        self.h = highs()
        # Columns only ever enter, so the last basis stays primal feasible: primal simplex
        # from it, without presolve, is about three times faster than the default here.
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("simplex_strategy", 4)
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        empty32 = np.zeros(0, np.int32)
        self.h.addRows(
            nr + nk + npr,
            np.concatenate([np.full(nr + nk, -INF), np.zeros(npr)]),
            np.concatenate([np.ones(nr + nk), np.full(npr, INF)]),
            0,
            empty32,
            empty32,
            np.zeros(0),
        )
        self.coef = part.prime_coef()
        self.cols = Columns()
        self.profit: list[float] = []
        self.seen: set[bytes] = set()

    def add(self, subsets: list[IntArray]) -> IntArray:
        """Add columns (each a non-empty array of part arcs at one key); returns their keys.

        A subset already in the master is not added again (at the master's own duals it can
        only price out by a tolerance, so its component counts as converged).
        """
        part = self.part
        nr, nk = part.n_ref, part.n_key
        fresh: list[IntArray] = []
        for arcs in subsets:
            sig = arcs.tobytes()
            if sig not in self.seen:
                self.seen.add(sig)
                fresh.append(arcs)
        if not fresh:
            return np.zeros(0, np.int64)
        sizes = np.asarray([len(a) for a in fresh], np.int64)
        flat = np.concatenate(fresh)
        col = np.repeat(np.arange(len(fresh), dtype=np.int64), sizes)
        keys = part.arc_key[flat[np.cumsum(sizes) - sizes]]
        units = sum_by(col, part.units[flat].astype(np.float64), len(fresh))
        # Only with non-quarter hours can the knapsack's rounding let in a subset that does
        # not fit; such a subset still counts for the bound, it just never enters the master.
        fits = units <= part.key_units[keys]
        profit = sum_by(col, part.gain[flat], len(fresh))
        # Entries: referral rows, the key row, then each prime's row with the column's share
        # term (a key serves one prime or none, unless two commissioners share a zone id).
        keep = np.flatnonzero(fits)
        n = len(keep)
        if n == 0:
            return np.zeros(0, np.int64)
        new_id = np.full(len(fresh), -1, np.int64)
        new_id[keep] = np.arange(n)
        in_col = new_id[col] >= 0
        e_col = [new_id[col][in_col], np.arange(n, dtype=np.int64)]
        e_row = [part.arc_ref[flat][in_col], nr + keys[keep]]
        e_val = [np.ones(int(in_col.sum())), np.ones(n)]
        pr = part.arc_prime[flat]
        in_prime = (pr >= 0) & in_col
        if in_prime.any():
            pairs, inverse = np.unique(
                np.stack([new_id[col][in_prime], pr[in_prime]]), axis=1, return_inverse=True
            )
            e_col.append(pairs[0])
            e_row.append(nr + nk + pairs[1])
            e_val.append(sum_by(inverse.reshape(-1), self.coef[flat][in_prime], len(pairs[0])))
        cols_all = np.concatenate(e_col)
        order = np.argsort(cols_all, kind="stable")
        starts = np.searchsorted(cols_all[order], np.arange(n)).astype(np.int32)
        self.h.addCols(
            n,
            profit[keep],
            np.zeros(n),
            np.full(n, INF),
            len(order),
            starts,
            np.concatenate(e_row)[order].astype(np.int32),
            np.concatenate(e_val)[order],
        )
        self.profit.extend(profit[keep].tolist())
        self.cols.key.extend(keys[keep].tolist())
        self.cols.arcs.extend(fresh[i] for i in keep.tolist())
        self.cols.comp.extend(part.key_comp[keys[keep]].tolist())
        entered: IntArray = keys[keep]
        return entered

    def solve(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Master values per component, and duals (lam per referral, sigma per key, mu)."""
        part = self.part
        nr, nk = part.n_ref, part.n_key
        self.h.run()
        sol = self.h.getSolution()
        y = np.asarray(sol.col_value)
        self.cols.y = y
        comp = np.asarray(self.cols.comp, np.int64)
        values = sum_by(comp, np.asarray(self.profit) * y, part.n_comp)
        dual = np.asarray(sol.row_dual)
        return (
            values,
            np.maximum(dual[:nr], 0.0),
            np.maximum(dual[nr : nr + nk], 0.0),
            np.maximum(-dual[nr + nk :], 0.0),
        )


def _subsets(part: Part, keys: IntArray, take: BoolArray, item_arcs: IntArray) -> list[IntArray]:
    out: list[IntArray] = []
    chosen = item_arcs[take]
    if len(chosen) == 0:
        return out
    k_of = part.arc_key[chosen]
    bounds = np.searchsorted(k_of, keys)
    ends = np.searchsorted(k_of, keys, side="right")
    for b, e in zip(bounds, ends, strict=True):
        if e > b:
            out.append(chosen[b:e])
    return out


@dataclass
class Pricing:
    value: FloatArray  # L(lam, mu) per component (margin included; only priced ones are set)
    keys: IntArray  # the keys priced
    item_arcs: IntArray  # their arcs, grouped by key
    counts: IntArray  # arcs per key
    best: FloatArray  # each key's knapsack value
    take: BoolArray  # each key's best subset, over item_arcs


def lagrangian(part: Part, comps: IntArray, lam: FloatArray, mu: FloatArray) -> Pricing:
    """The Lagrangian bound of the listed components at multipliers ``lam, mu >= 0``.

    Valid for any non-negative multipliers (see the module docstring): the knapsacks are exact
    over sizes rounded down, and the result carries the float safety margin.
    """
    key_start = part.comp_key_start
    keys = np.concatenate(
        [np.arange(key_start[c], key_start[c + 1]) for c in comps] or [np.zeros(0, np.int64)]
    )
    item_arcs = np.concatenate(
        [np.arange(part.key_start[key_start[c]], part.key_start[key_start[c + 1]]) for c in comps]
        or [np.zeros(0, np.int64)]
    )
    counts = part.key_start[keys + 1] - part.key_start[keys]
    starts = np.zeros(len(keys) + 1, np.int64)
    np.cumsum(counts, out=starts[1:])
    reduced = part.gain[item_arcs] - lam[part.arc_ref[item_arcs]]
    if part.n_prime:
        pr = part.arc_prime[item_arcs]
        coef = part.prime_coef()[item_arcs]
        reduced = reduced + np.where(pr >= 0, mu[np.maximum(pr, 0)] * coef, 0.0)
    best, take = knapsack(starts, part.dp_lo[item_arcs], reduced, part.key_dp[keys])
    # Each component's L: its multipliers plus its keys' knapsacks.
    by_comp = sum_by(part.key_comp[keys], best, part.n_comp)
    lam_c = sum_by(part.ref_comp, lam, part.n_comp)
    return Pricing(safe(lam_c + by_comp), keys, item_arcs, counts, best, take)


def column_generation(
    part: Part,
    active: BoolArray,
    lp: LpResult,
    incumbent: FloatArray,
    seeds: list[IntArray],
    *,
    close: FloatArray,
    deadline: float,
) -> ColGenResult:
    """Configuration-LP bounds for the active components (a copy of ``active`` is consumed).

    ``incumbent`` is the best value known per component and ``close`` the absolute gap at which
    a component needs no tighter bound; ``seeds`` are subsets (e.g. the incumbent's) put in the
    master first, so its solution is never worse than the incumbent.
    """
    active = active.copy()
    lag = np.full(part.n_comp, np.inf)
    master_value = np.zeros(part.n_comp)
    coef = part.prime_coef()
    m = _Master(part)
    # Master duals, and the stability centre (the duals of each component's best bound).
    lam_m, mu_m = lp.lam, lp.mu
    lam_b, mu_b = lp.lam.copy(), lp.mu.copy()
    sigma: FloatArray | None = None
    alpha = np.zeros(part.n_comp)  # smoothing weight on the centre, per component
    rounds = 0
    timed_out = False
    m.add(seeds)
    while active.any() and rounds < MAX_ROUNDS:
        if time.monotonic() > deadline:
            timed_out = True
            break
        rounds += 1
        comps = np.flatnonzero(active)
        # Price at duals smoothed towards the centre (Wentges): fewer rounds, same bounds.
        a_ref = alpha[part.ref_comp]
        lam = a_ref * lam_b + (1.0 - a_ref) * lam_m
        a_pr = alpha[part.prime_comp]
        mu = a_pr * mu_b + (1.0 - a_pr) * mu_m
        pr_ = lagrangian(part, comps, lam, mu)
        value, best, take = pr_.value, pr_.best, pr_.take
        keys, item_arcs, counts = pr_.keys, pr_.item_arcs, pr_.counts
        item_ref = part.arc_ref[item_arcs]
        pr = part.arc_prime[item_arcs]
        term = np.where(pr >= 0, coef[item_arcs], 0.0)
        better = np.zeros(part.n_comp, bool)
        better[comps] = value[comps] < lag[comps]
        lag[better] = value[better]
        moved = better[part.ref_comp]
        lam_b[moved] = lam[moved]
        moved_p = better[part.prime_comp]
        mu_b[moved_p] = mu[moved_p]
        # New columns: subsets whose reduced value at the *master's* duals is positive.
        item_key = np.repeat(np.arange(len(keys)), counts)
        rc_item = part.gain[item_arcs] - lam_m[item_ref]
        if part.n_prime:
            rc_item = rc_item + mu_m[np.maximum(pr, 0)] * term
        rc = sum_by(item_key[take], rc_item[take], len(keys))
        if sigma is not None:
            rc -= sigma[keys]
        enter = (rc > 1e-7 * (1.0 + np.abs(best))) & (np.bincount(item_key[take], minlength=len(
            keys)) > 0)  # fmt: skip
        in_enter = np.repeat(enter, counts)
        subsets = _subsets(part, keys[enter], take[in_enter], item_arcs[in_enter])
        added = m.add(subsets)
        at_master = (alpha == 0) & (sigma is not None)  # priced at a master's own duals
        entered = np.zeros(part.n_comp, bool)
        entered[part.key_comp[added]] = True
        # A component that found nothing at smoothed duals is priced at the master's next.
        mispriced = active & ~entered & (alpha > 0)
        if len(added) == 0 and not mispriced.any() and sigma is not None:
            break
        if len(added) or sigma is None:
            master_value, lam_m, sigma, mu_m = m.solve()
        alpha = np.where(mispriced, 0.0, SMOOTHING)
        # Done when the bound meets the incumbent, or can no longer move by much: the master
        # value is a lower bound on the configuration LP, so lag - master caps what is left.
        room = lag - master_value
        done = (room <= 1e-6 * (1.0 + np.abs(lag))) | (lag - incumbent <= close)
        done |= room <= CONVERGED * (lag - incumbent)
        done |= room <= TAIL * np.abs(lag)  # tailing off: what is left is not worth rounds
        done |= active & ~entered & at_master  # nothing prices out: the master is optimal
        active &= ~done
    return ColGenResult(lag, master_value, m.cols, rounds, timed_out)
