"""The compiled index as flat NumPy arrays, and the parts (groups of components) solved as units.

Hours are kept three ways, each for one job:

* floats, for the LP and MIP models;
* exact integers in ``unit`` (a quarter hour when every package is a whole number of quarter
  hours, as in all real data; otherwise a finer decimal unit, rounded *up* for packages and
  *down* for capacity, so whatever fits in integers fits in hours), for every placement the
  heuristics make: they never lean on a float tolerance;
* knapsack units (a quarter hour, or coarser for very wide rows): package sizes rounded *down*
  and capacities rounded down for the bound (every feasible packing still fits, so the bound
  stays valid), package sizes rounded *up* for the heuristics' packing (whatever they pick fits).

A *part* is a run of whole components, in label order, packed up to ``PART_ARCS`` arcs: the LP,
the column generation's master LP and its pricing run once per part rather than once per
component (block-diagonal LPs cost what their blocks cost; only branch and bound suffers from
blocks, and branching is done per component). Parts depend only on the input, never on the
number of workers, so neither does the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from caremarket.engine.allocation.index import Index

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

PART_ARCS = 3000
MIN_PART_ARCS = 300
# Knapsack rows wider than this many units are solved in coarser units (a valid relaxation).
MAX_DP_WIDTH = 4000
_UNITS = [Decimal("0.25"), Decimal("0.05"), Decimal("0.01"), Decimal("0.001"), Decimal("0.0001")]
_FINEST = Decimal("0.000001")


def sum_by(labels: IntArray, weights: FloatArray, n: int) -> FloatArray:
    """Sum of ``weights`` per label ``0..n-1`` (``np.bincount`` with weights, typed)."""
    out: FloatArray = np.bincount(labels, weights=weights, minlength=n).astype(np.float64)
    return out


def _unit(hours: list[Decimal]) -> Decimal:
    for u in _UNITS:
        if all((h % u) == 0 for h in hours):
            return u
    return _FINEST


def _ceil_units(values: list[Decimal], unit: Decimal) -> IntArray:
    return np.fromiter((math.ceil(v / unit) for v in values), np.int64, len(values))


def _floor_units(values: list[Decimal], unit: Decimal) -> IntArray:
    return np.fromiter((math.floor(v / unit) for v in values), np.int64, len(values))


@dataclass
class Compiled:
    n_comp: int
    ref_comp: IntArray  # component of each referral, -1 without arcs
    ref_gain: FloatArray  # weight x hours: the first objective's coefficient
    ref_hours: FloatArray
    ref_units: IntArray  # exact units, rounded up
    ref_dp_lo: IntArray  # knapsack units, rounded down (bounds)
    ref_dp_hi: IntArray  # knapsack units, rounded up (packings)
    key_cap: FloatArray
    key_units: IntArray  # exact units, rounded down
    key_dp: IntArray  # knapsack units, rounded down
    key_block: FloatArray
    arc_ref: IntArray
    arc_key: IntArray
    arc_prime: IntArray
    arc_panel: BoolArray  # prime arc delivered by a panel member
    arc_price: FloatArray
    arc_quality: FloatArray
    share: FloatArray
    share_num: IntArray  # share = num / den exactly
    share_den: IntArray
    unit: Decimal
    exact: bool  # every package is a whole number of units
    dp_unit: Decimal
    comp_arcs: list[IntArray]  # arcs of each component, sorted by key then referral


def compile_index(index: Index) -> Compiled:
    refs = index.referrals
    hours = [r.hours for r in refs]
    unit = _unit(hours)
    quarter = Decimal("0.25")
    dp_unit = quarter
    widest = max((c for c in index.key_cap), default=Decimal(0))
    while widest / dp_unit > MAX_DP_WIDTH:
        dp_unit *= 2
    labels = index.component
    uniq, relabel = np.unique(labels[labels >= 0], return_inverse=True)
    ref_comp = np.full(len(refs), -1, np.int64)
    ref_comp[labels >= 0] = relabel.reshape(-1)
    arc_comp = ref_comp[index.arc_ref]
    order = np.lexsort((index.arc_ref, index.arc_key, arc_comp))
    bounds = np.searchsorted(arc_comp[order], np.arange(len(uniq) + 1))
    shares = [Fraction(s) for s in index.prime_share]
    return Compiled(
        n_comp=len(uniq),
        ref_comp=ref_comp,
        ref_gain=np.fromiter(
            (float(w * h) for w, h in zip(index.weight, hours, strict=True)), np.float64, len(refs)
        ),
        ref_hours=np.fromiter((float(h) for h in hours), np.float64, len(refs)),
        ref_units=_ceil_units(hours, unit),
        ref_dp_lo=_floor_units(hours, dp_unit),
        ref_dp_hi=_ceil_units(hours, dp_unit),
        key_cap=np.fromiter((float(c) for c in index.key_cap), np.float64, len(index.keys)),
        key_units=_floor_units(index.key_cap, unit),
        key_dp=_floor_units(index.key_cap, dp_unit),
        key_block=np.fromiter((float(b) for b in index.key_block), np.float64, len(index.keys)),
        arc_ref=index.arc_ref,
        arc_key=index.arc_key,
        arc_prime=index.arc_prime,
        arc_panel=index.arc_deliverer != index.arc_placed,
        arc_price=np.fromiter((float(p) for p in index.arc_price), np.float64, index.n_arcs),
        arc_quality=np.fromiter(
            (float(index.quality[d]) for d in index.arc_deliverer), np.float64, index.n_arcs
        ),
        share=np.fromiter((float(s) for s in shares), np.float64, len(shares)),
        share_num=np.fromiter((s.numerator for s in shares), np.int64, len(shares)),
        share_den=np.fromiter((s.denominator for s in shares), np.int64, len(shares)),
        unit=unit,
        exact=all((h % unit) == 0 for h in hours),
        dp_unit=dp_unit,
        comp_arcs=[order[bounds[c] : bounds[c + 1]] for c in range(len(uniq))],
    )


def partition(cp: Compiled, comps: IntArray) -> list[IntArray]:
    """Components (in the given order) packed into parts.

    A part holds about ``PART_ARCS`` arcs, or an eighth of the problem if that is smaller, so
    even a small problem has enough parts to share between processes. Depends only on the input.
    """
    total = sum(len(cp.comp_arcs[int(c)]) for c in comps)
    limit = min(PART_ARCS, max(MIN_PART_ARCS, total // 8))
    parts: list[list[int]] = []
    filled = 0
    for c in comps:
        n = len(cp.comp_arcs[int(c)])
        if not parts or (filled and filled + n > limit):
            parts.append([])
            filled = 0
        parts[-1].append(int(c))
        filled += n
    return [np.asarray(p, np.int64) for p in parts]


def _local(values: IntArray) -> tuple[IntArray, IntArray]:
    """Ids in order of first appearance, and each value's position among them."""
    uniq, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    rank = np.empty(len(uniq), np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(uniq))
    ids = uniq[np.argsort(first, kind="stable")]
    return ids, rank[inverse.reshape(-1)]


@dataclass
class Part:
    """Whole components with local numbering; refs, keys and arcs are contiguous per component."""

    comps: IntArray  # global component ids
    arcs: IntArray  # global arc ids, grouped by component, then key, then referral
    refs: IntArray  # global referral ids, grouped by component
    keys: IntArray
    primes: IntArray
    arc_ref: IntArray
    arc_key: IntArray
    arc_prime: IntArray
    arc_panel: BoolArray
    arc_lead: BoolArray
    arc_comp: IntArray
    ref_comp: IntArray
    key_comp: IntArray
    prime_comp: IntArray
    gain: FloatArray  # per arc
    hours: FloatArray  # per arc
    units: IntArray  # per arc, exact
    dp_lo: IntArray  # per arc
    dp_hi: IntArray  # per arc
    price: FloatArray
    quality: FloatArray
    ref_gain: FloatArray
    ref_units: IntArray
    key_cap: FloatArray
    key_units: IntArray
    key_dp: IntArray
    key_block: FloatArray
    share: FloatArray
    share_num: IntArray
    share_den: IntArray
    key_start: IntArray  # CSR of arcs by key
    comp_arc_start: IntArray
    comp_ref_start: IntArray
    comp_key_start: IntArray

    @property
    def n_comp(self) -> int:
        return len(self.comps)

    @property
    def n_arc(self) -> int:
        return len(self.arcs)

    @property
    def n_ref(self) -> int:
        return len(self.refs)

    @property
    def n_key(self) -> int:
        return len(self.keys)

    @property
    def n_prime(self) -> int:
        return len(self.primes)

    def prime_coef(self) -> FloatArray:
        """Each arc's term in its prime's row ``sum coef x >= 0`` (zero outside primes)."""
        coef = np.zeros(self.n_arc)
        sel = self.arc_prime >= 0
        s = self.share[self.arc_prime[sel]]
        h = self.hours[sel]
        coef[sel] = np.where(self.arc_panel[sel], (1 - s) * h, -s * h)
        return coef


def make_part(cp: Compiled, comps: IntArray) -> Part:
    arcs = (
        np.concatenate([cp.comp_arcs[int(c)] for c in comps])
        if len(comps)
        else np.zeros(0, np.int64)
    )
    g_ref = cp.arc_ref[arcs]
    arc_comp = np.repeat(
        np.arange(len(comps), dtype=np.int64), [len(cp.comp_arcs[int(c)]) for c in comps]
    )
    # Referrals grouped by component (then global id); keys appear in arc order already.
    ref_ids = np.unique(g_ref)
    ref_ids = ref_ids[np.lexsort((ref_ids, cp.ref_comp[ref_ids]))]
    pos = np.empty(int(ref_ids.max()) + 1 if len(ref_ids) else 0, np.int64)
    pos[ref_ids] = np.arange(len(ref_ids))
    arc_ref = pos[g_ref]
    keys, arc_key = _local(cp.arc_key[arcs])
    g_prime = cp.arc_prime[arcs]
    with_prime = g_prime >= 0
    primes, local_prime = _local(g_prime[with_prime])
    arc_prime = np.full(len(arcs), -1, np.int64)
    arc_prime[with_prime] = local_prime
    comp_of = {int(c): i for i, c in enumerate(comps)}
    ref_comp = np.fromiter((comp_of[int(cp.ref_comp[r])] for r in ref_ids), np.int64, len(ref_ids))
    key_comp = np.zeros(len(keys), np.int64)
    key_comp[arc_key] = arc_comp
    prime_comp = np.zeros(len(primes), np.int64)
    prime_comp[arc_prime[with_prime]] = arc_comp[with_prime]
    n = len(comps)
    panel = cp.arc_panel[arcs]
    return Part(
        comps=comps,
        arcs=arcs,
        refs=ref_ids,
        keys=keys,
        primes=primes,
        arc_ref=arc_ref,
        arc_key=arc_key,
        arc_prime=arc_prime,
        arc_panel=panel,
        arc_lead=with_prime & ~panel,
        arc_comp=arc_comp,
        ref_comp=ref_comp,
        key_comp=key_comp,
        prime_comp=prime_comp,
        gain=cp.ref_gain[g_ref],
        hours=cp.ref_hours[g_ref],
        units=cp.ref_units[g_ref],
        dp_lo=cp.ref_dp_lo[g_ref],
        dp_hi=cp.ref_dp_hi[g_ref],
        price=cp.arc_price[arcs],
        quality=cp.arc_quality[arcs],
        ref_gain=cp.ref_gain[ref_ids],
        ref_units=cp.ref_units[ref_ids],
        key_cap=cp.key_cap[keys],
        key_units=cp.key_units[keys],
        key_dp=cp.key_dp[keys],
        key_block=cp.key_block[keys],
        share=cp.share[primes],
        share_num=cp.share_num[primes],
        share_den=cp.share_den[primes],
        key_start=np.searchsorted(arc_key, np.arange(len(keys) + 1)).astype(np.int64),
        comp_arc_start=np.searchsorted(arc_comp, np.arange(n + 1)).astype(np.int64),
        comp_ref_start=np.searchsorted(ref_comp, np.arange(n + 1)).astype(np.int64),
        comp_key_start=np.searchsorted(key_comp, np.arange(n + 1)).astype(np.int64),
    )
