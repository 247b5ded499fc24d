"""Phase B's moves: a cheaper placement of the same people, found by relocations and swaps.

Phase A fixes who is placed (the priority-weighted hours); phase B only moves them between the
keys that may take them, so the cost falls and the weighted hours never do. Kept apart from
``heuristic.py`` because it answers a different question (what the placement costs, with
guaranteed-block hours netted off) and so changes for different reasons; it works on a
``Packing`` so that capacity and subcontract shares are still checked exactly.
"""

from __future__ import annotations

import math
import time

from caremarket.engine.allocation.compiled import Part
from caremarket.engine.allocation.heuristic import EPS, Packing


class Costing:
    """Phase B's objective for one component's placement: weekly cost, minus a quality tie-break.

    A key's cost is price x hours of what it delivers, less the price of the guaranteed-block
    hours used there (the block goes to its dearest referrals first, as ``result.py`` does), so
    moving one referral changes the cost of two keys only.
    """

    def __init__(self, p: Packing, part: Part, c: int) -> None:
        a0, a1 = int(part.comp_arc_start[c]), int(part.comp_arc_start[c + 1])
        k0, k1 = int(part.comp_key_start[c]), int(part.comp_key_start[c + 1])
        hours = part.hours[a0:a1]
        tie = 0.01 / (float(hours.sum()) * 100.0 + 1.0)  # as in milp.build, per component
        self.p = p
        self.price: list[float] = part.price[a0:a1].tolist()
        self.hours: list[float] = hours.tolist()
        self.weight: list[float] = (
            part.price[a0:a1] * hours - tie * part.quality[a0:a1] * hours
        ).tolist()
        self.block: list[float] = part.key_block[k0:k1].tolist()

    def key_cost(self, k: int, arcs: set[int] | list[int]) -> float:
        cost = sum(self.weight[a] for a in arcs)
        left = self.block[k]
        if left > 0:
            for a in sorted(arcs, key=lambda a: (-self.price[a], a)):
                use = min(left, self.hours[a])
                cost -= self.price[a] * use
                left -= use
                if left <= 0:
                    break
        return cost

    def total(self) -> float:
        return sum(self.key_cost(k, self.p.at_key[k]) for k in range(self.p.n_key))

    def improve(self, rounds: int = 4, deadline: float = math.inf) -> None:
        """Relocate and swap placed referrals while the cost falls; who is placed never changes."""
        for _ in range(rounds):
            if time.monotonic() > deadline or not (self._relocate() | self._swap()):
                break

    def _relocate(self) -> bool:
        p = self.p
        moved = False
        for r in range(p.n_ref):
            a = p.ch[r]
            if a < 0 or len(p.ref_arcs[r]) < 2:
                continue
            k1 = p.arc_key[a]
            for b in p.ref_arcs[r]:
                k2 = p.arc_key[b]
                if k2 == k1 or p.load[k2] + p.units[b] > p.cap[k2]:
                    continue
                here, there = p.at_key[k1], p.at_key[k2]
                before = self.key_cost(k1, here) + self.key_cost(k2, there)
                after = self.key_cost(k1, here - {a}) + self.key_cost(k2, there | {b})
                if after < before - EPS * (1.0 + abs(before)):
                    p.remove(r)
                    p.place(b)
                    if p.feasible():
                        moved = True
                        a, k1 = b, k2
                    else:
                        p.remove(r)
                        p.place(a)
        return moved

    def _swap(self) -> bool:
        p = self.p
        swapped = False
        for r1 in range(p.n_ref):
            a1 = p.ch[r1]
            if a1 < 0 or len(p.ref_arcs[r1]) < 2:
                continue
            k1 = p.arc_key[a1]
            for b1 in p.ref_arcs[r1]:
                k2 = p.arc_key[b1]
                if k2 == k1:
                    continue
                for a2 in sorted(p.at_key[k2]):
                    r2 = p.arc_ref[a2]
                    b2 = next((b for b in p.ref_arcs[r2] if p.arc_key[b] == k1), -1)
                    if b2 < 0:
                        continue
                    if p.load[k1] - p.units[a1] + p.units[b2] > p.cap[k1]:
                        continue
                    if p.load[k2] - p.units[a2] + p.units[b1] > p.cap[k2]:
                        continue
                    here, there = p.at_key[k1], p.at_key[k2]
                    before = self.key_cost(k1, here) + self.key_cost(k2, there)
                    after = self.key_cost(k1, (here - {a1}) | {b2}) + self.key_cost(
                        k2, (there - {a2}) | {b1}
                    )
                    if after >= before - EPS * (1.0 + abs(before)):
                        continue
                    p.remove(r1)
                    p.remove(r2)
                    p.place(b1)
                    p.place(b2)
                    if p.feasible():
                        swapped = True
                        break
                    p.remove(r1)
                    p.remove(r2)
                    p.place(a1)
                    p.place(a2)
                if p.ch[r1] != a1:
                    break
        return swapped
