"""The exact guards: the merged answer, checked in Decimal, component by component.

HiGHS works in floats, and phase B may move referrals between keys; neither is trusted with
the answer. After the stages merge, a component whose phase-B placement lost any weighted
hours keeps phase A's; one that breaks a capacity or subcontract constraint, or falls below
greedy, takes greedy's, which is exact by construction. Kept apart from ``optimal.py`` because
this is the promise the optimiser makes (never worse than greedy, never infeasible), readable on
its own.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import numpy as np

from caremarket.engine.allocation.compiled import IntArray
from caremarket.engine.allocation.index import Index


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


def guard(
    index: Index, choice: IntArray, phase_a: IntArray, greedy: IntArray
) -> tuple[IntArray, int]:
    """The answer to keep, and how many components fell back to greedy's placement."""
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
