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
its parts (or components) between forked processes (``forking.fork_map``), merged by position. Only
the time limit can make two runs differ, and the status then says ``feasible``.

After merging, exact (Decimal) guards run per component, so float tolerances inside HiGHS can
never leak into the answer: a component whose phase-B answer lost any weighted hours keeps
phase A's; one that breaks a capacity or subcontract constraint, or falls below greedy, takes
greedy's, which is exact by construction.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from caremarket.engine.allocation import forking, stages
from caremarket.engine.allocation.compiled import IntArray, compile_index, make_part, partition
from caremarket.engine.allocation.greedy import greedy_choice
from caremarket.engine.allocation.guard import guard
from caremarket.engine.allocation.index import Index

PARALLEL_MIN_ARCS = 1000  # below this forking costs more than it saves
STAGE1_SHARE = 0.85  # of the time limit, what column generation may use (soft, per part)
REFINE_SHARE = 0.5  # of the time left after stage 1, what stage 2 may use at most
MIN_REFINE_SECONDS = 0.25  # below this, stage 2 is skipped
MIN_COST_MIP = 0.05  # the least time a cost MIP is given


@dataclass
class OptimalOutcome:
    choice: IntArray
    lp_bound: float
    dual_bound: float
    finished: bool
    batches: int
    fallbacks: int
    stats: dict[str, float]


def _over(wanted: float, available: float) -> bool:
    """Shares that sum to the whole can exceed it by a rounding error; without the
    tolerance the last component's MIP was skipped, at random, as time ran a hair
    differently (found by the property tests: 1 instance in 3,000 under load)."""
    return wanted > available * (1 + 1e-9) + 1e-12


def solve_optimal(
    index: Index, *, time_limit: float, mip_gap: float, workers: int | None, started: float
) -> OptimalOutcome:
    stats: dict[str, float] = {}
    t0 = time.monotonic()
    greedy = greedy_choice(index)
    cp = compile_index(index)
    parts = [make_part(cp, pc) for pc in partition(cp, np.arange(cp.n_comp, dtype=np.int64))]
    arc_pos = np.zeros(index.n_arcs, np.int64)
    for part in parts:
        arc_pos[part.arcs] = np.arange(part.n_arc)
    granule = float(cp.unit) * 0.25 if cp.exact else 0.0
    stages.load(stages.State(cp, parts, Fraction(cp.unit / cp.dp_unit), granule))
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
    share_a = forking.lanes(weights, lanes)
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
    results_a = forking.fork_map(stages.phase_a, jobs_a, share_a)
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
        least = stages.least_mip_seconds(parts[i], c)
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
    share_r = forking.lanes([j[5][0] for j in jobs_r], lanes)
    for ref in forking.fork_map(stages.refine, jobs_r, share_r):
        r, part, c = results_a[ref.part_id], parts[ref.part_id], ref.comp
        if ref.choice is not None:
            r.choice[part.comp_ref_start[c] : part.comp_ref_start[c + 1]] = ref.choice
            r.value[c] = ref.value
        r.bound[c] = max(min(r.bound[c], ref.dual), r.value[c])
        closed = stages.is_closed(r.bound[c : c + 1], r.value[c : c + 1], mip_gap, granule)[0]
        r.closed[c] = bool(ref.finished or closed)
    stats["stage2_s"] = time.monotonic() - t2

    # Stage 3: phase B for every part: cost LP, cost search.
    t3 = time.monotonic()
    jobs_b = [(i, results_a[i].choice, deadline, mip_gap) for i in range(len(parts))]
    results_b = forking.fork_map(stages.phase_b, jobs_b, forking.lanes(weights, lanes))
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
        least = max(MIN_COST_MIP, stages.least_mip_seconds(part, c))
        seconds = min(max(left * lanes * arcs / total_arcs, least), left)
        if seconds < least or _over(spent + seconds, left * lanes):
            continue
        spent += seconds
        r0, r1 = part.comp_ref_start[c], part.comp_ref_start[c + 1]
        ch = results_b[i].choice[r0:r1]
        reached = float(part.ref_gain[r0:r1][ch >= 0].sum())
        jobs_m.append((i, c, ch, reached, cost, (seconds, deadline), mip_gap))
    share_m = forking.lanes([j[5][0] for j in jobs_m], lanes)
    for res in forking.fork_map(stages.cost_mip, jobs_m, share_m):
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
    choice, fallbacks = guard(index, choice, phase_a, greedy)
    lp_bound = sum(float(r.lp.sum()) for r in results_a)
    dual_bound = sum(float(r.bound.sum()) for r in results_a)
    finished = all(bool(r.closed.all()) and not r.cut for r in results_a) and all(
        bool(r.finished.all()) for r in results_b
    )
    stages.load(None)
    return OptimalOutcome(
        choice=choice,
        lp_bound=lp_bound,
        dual_bound=min(dual_bound, lp_bound),
        finished=finished,
        batches=len(parts),
        fallbacks=fallbacks,
        stats=stats,
    )
