"""The problem compiled once into arcs: who may deliver each referral, at what price, from where.

Both methods read eligibility from here and nowhere else, so greedy and the optimiser can never
disagree about who may take a referral, and the greedy result is always a valid starting point
for the solver. An *arc* is one way to place one referral: placed with ``placed`` (the lead in a
prime zone, else the provider itself), delivered by ``deliverer`` out of the capacity of
``key`` = (deliverer, zone, service type).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from caremarket.engine.allocation.model import Prime, Problem, Referral

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class Index:
    referrals: list[Referral]  # sorted by id; position is the referral's index everywhere
    weight: list[Decimal]
    eligible: list[bool]  # some appointed provider could meet the needs, capacity aside
    providers: list[str]  # sorted ids
    quality: list[Decimal]
    keys: list[tuple[str, str, str]]  # (provider, zone, service type), sorted
    key_cap: list[Decimal]  # declared capacity plus guaranteed block
    key_block: list[Decimal]
    primes: list[Prime]  # sorted; arc_prime indexes into it
    prime_share: list[Decimal]
    # Arcs, grouped by referral (arc_start is the CSR offset of each referral's arcs).
    arc_start: IntArray
    arc_ref: IntArray
    arc_key: IntArray
    arc_placed: IntArray  # provider index the referral is placed with
    arc_deliverer: IntArray
    arc_prime: IntArray  # -1 outside prime zones
    arc_price: list[Decimal]  # what the commissioner pays per hour
    arc_rank_price: FloatArray  # what greedy compares when choosing a subcontractor
    component: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))  # per referral

    @property
    def n_arcs(self) -> int:
        return len(self.arc_ref)

    def arcs_of(self, r: int) -> range:
        return range(int(self.arc_start[r]), int(self.arc_start[r + 1]))


def _mask(flags: frozenset[str], bit: dict[str, int]) -> int:
    m = 0
    for f in flags:
        m |= bit[f]
    return m


def build_index(problem: Problem) -> Index:
    """Compile a validated problem; deterministic in the order of every output array."""
    referrals = sorted(problem.referrals, key=lambda r: r.id)
    providers = sorted(problem.providers, key=lambda p: p.id)
    p_idx = {p.id: i for i, p in enumerate(providers)}
    flags = sorted(
        {f for r in referrals for f in r.needs} | {f for p in providers for f in p.capabilities}
    )
    bit = {f: 1 << i for i, f in enumerate(flags)}
    caps = [_mask(p.capabilities, bit) for p in providers]

    cap: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    block: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for row in problem.capacity:  # duplicate rows for one key add up (documented)
        cap[(row.provider, row.zone, row.service_type)] += row.hours
    for b in problem.blocks:
        block[(b.provider, b.zone, b.service_type)] += b.hours
        cap[(b.provider, b.zone, b.service_type)] += b.hours
    keys = sorted(cap)
    k_idx = {k: i for i, k in enumerate(keys)}

    price: dict[tuple[str, str, str, str], Decimal] = {}
    appointed: dict[tuple[str, str, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for e in sorted(problem.eligibility, key=lambda e: e.provider):
        price[(e.provider, e.commissioner, e.zone, e.service_type)] = e.hourly_price
        appointed[(e.commissioner, e.zone, e.service_type)].append((e.provider, e.hourly_price))

    primes = sorted(problem.primes, key=lambda p: (p.commissioner, p.lead, sorted(p.zones)))
    prime_of = {(pr.commissioner, z): i for i, pr in enumerate(primes) for z in pr.zones}

    arc_start = [0]
    arc_ref: list[int] = []
    arc_key: list[int] = []
    arc_placed: list[int] = []
    arc_deliverer: list[int] = []
    arc_prime: list[int] = []
    arc_price: list[Decimal] = []
    arc_rank: list[float] = []
    eligible: list[bool] = []

    for r_i, r in enumerate(referrals):
        need = _mask(r.needs, bit)
        c, z, s = r.commissioner, r.zone, r.service_type
        pr_i = prime_of.get((c, z), -1)
        # (placed with, deliverer, price, rank price); eligibility first, capacity after.
        options: list[tuple[str, str, Decimal, Decimal]] = []
        if pr_i >= 0:
            pr = primes[pr_i]
            lead_price = price.get((pr.lead, c, z, s))
            if lead_price is not None and pr.lead in p_idx:
                paid = pr.hourly_price if pr.hourly_price is not None else lead_price
                for d in [pr.lead, *sorted(pr.panel - {pr.lead})]:
                    options.append((pr.lead, d, paid, price.get((d, c, z, s), paid)))
        else:
            options = [(p, p, pp, pp) for p, pp in appointed.get((c, z, s), ())]
        ok = False
        for placed, d, paid, rank in options:
            d_i = p_idx.get(d)
            if d_i is None or need & ~caps[d_i]:
                continue
            ok = True
            key = k_idx.get((d, z, s))
            if key is None or cap[keys[key]] < r.hours:
                continue
            arc_ref.append(r_i)
            arc_key.append(key)
            arc_placed.append(p_idx[placed])
            arc_deliverer.append(d_i)
            arc_prime.append(pr_i)
            arc_price.append(paid)
            arc_rank.append(float(rank))
        eligible.append(ok)
        arc_start.append(len(arc_ref))

    index = Index(
        referrals=referrals,
        weight=[r.weight for r in referrals],
        eligible=eligible,
        providers=[p.id for p in providers],
        quality=[p.quality for p in providers],
        keys=keys,
        key_cap=[cap[k] for k in keys],
        key_block=[block.get(k, Decimal(0)) for k in keys],
        primes=primes,
        prime_share=[p.min_subcontract_share for p in primes],
        arc_start=np.asarray(arc_start, np.int64),
        arc_ref=np.asarray(arc_ref, np.int64),
        arc_key=np.asarray(arc_key, np.int64),
        arc_placed=np.asarray(arc_placed, np.int64),
        arc_deliverer=np.asarray(arc_deliverer, np.int64),
        arc_prime=np.asarray(arc_prime, np.int64),
        arc_price=arc_price,
        arc_rank_price=np.asarray(arc_rank, np.float64),
    )
    index.component = _components(index)
    return index


def _components(index: Index) -> IntArray:
    """Label referrals that share capacity or a prime; unlinked groups solve independently.

    Capacity is per (provider, zone, service type) and a prime's share couples the zones it
    covers, so the components are zone/service clusters joined by primes. The lexicographic
    optimum of the whole is the union of the components' optima, since no constraint and no
    objective term spans two of them. Referrals without arcs get -1.
    """
    n_ref, n_key = len(index.referrals), len(index.keys)
    n = n_ref + n_key + len(index.primes)
    prime_arcs = index.arc_prime >= 0
    rows = np.concatenate([index.arc_ref, index.arc_ref[prime_arcs]])
    cols = np.concatenate([index.arc_key + n_ref, index.arc_prime[prime_arcs] + n_ref + n_key])
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    has_arc = np.diff(index.arc_start) > 0
    out: IntArray = np.where(has_arc, labels[:n_ref], -1).astype(np.int64)
    return out
