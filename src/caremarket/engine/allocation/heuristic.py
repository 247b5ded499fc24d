"""Good placements for one component, fast, in exact integer arithmetic.

A placement here is an arc per referral (or none). Hours are whole ``unit``s (``compiled.py``),
so "fits" and "keeps the subcontract share" are decided exactly, never within a float
tolerance. The moves, each kept only if it places strictly more priority-weighted hours:

* **rounding**: take the LP solution's arcs, or the configuration master's subsets, largest
  value first, while they fit (leads only within their panel's share);
* **fill**: each key in turn takes the best subset of the unplaced referrals it may take (an
  exact knapsack), non-lead keys first so leads know how many hours their panel allows;
* **re-optimise a key**: re-solve one key's knapsack over what it holds plus the unplaced;
* **ejection chains**: place an unplaced referral at a key by moving one of its referrals to
  another key, which may move one of its own, and so on (a breadth-first search that visits each
  key once, like an augmenting path in matching); or, failing that, by dropping one referral
  worth less.

These moves serve phase A (who is placed); phase B's moves, which only make the same placement
cheaper, are in ``costing.py``.
"""

from __future__ import annotations

import math
import time
from collections import deque
from fractions import Fraction

import numpy as np

from caremarket.engine.allocation.compiled import FloatArray, IntArray, Part
from caremarket.engine.allocation.knapsack import knapsack_one

CHAIN_DEPTH = 4
EPS = 1e-9


class Packing:
    """One component's placement, with the state needed to change it cheaply."""

    def __init__(self, part: Part, c: int, ratio: Fraction) -> None:
        a0, a1 = int(part.comp_arc_start[c]), int(part.comp_arc_start[c + 1])
        r0, r1 = int(part.comp_ref_start[c]), int(part.comp_ref_start[c + 1])
        k0, k1 = int(part.comp_key_start[c]), int(part.comp_key_start[c + 1])
        self.a0, self.r0 = a0, r0
        self.n_ref, self.n_key = r1 - r0, k1 - k0
        self.ratio_num, self.ratio_den = ratio.numerator, ratio.denominator
        self.arc_ref: list[int] = (part.arc_ref[a0:a1] - r0).tolist()
        self.arc_key: list[int] = (part.arc_key[a0:a1] - k0).tolist()
        primes = part.arc_prime[a0:a1]
        uniq = np.unique(primes[primes >= 0])
        local = np.full(len(primes), -1, np.int64)
        local[primes >= 0] = np.searchsorted(uniq, primes[primes >= 0])
        self.arc_prime: list[int] = local.tolist()
        self.lead: list[bool] = part.arc_lead[a0:a1].tolist()
        self.panel: list[bool] = part.arc_panel[a0:a1].tolist()
        self.units: list[int] = part.units[a0:a1].tolist()
        self.dp_size: IntArray = part.dp_hi[a0:a1]
        self.gain_arc: FloatArray = part.gain[a0:a1]
        self.gain: list[float] = part.ref_gain[r0:r1].tolist()
        self.cap: list[int] = part.key_units[k0:k1].tolist()
        self.num: list[int] = part.share_num[uniq].tolist()
        self.den: list[int] = part.share_den[uniq].tolist()
        ks = (part.key_start[k0 : k1 + 1] - a0).tolist()
        self.key_arcs: list[list[int]] = [list(range(ks[k], ks[k + 1])) for k in range(self.n_key)]
        self.ref_arcs: list[list[int]] = [[] for _ in range(self.n_ref)]
        for a, r in enumerate(self.arc_ref):
            self.ref_arcs[r].append(a)
        self.ch: list[int] = [-1] * self.n_ref
        self.load: list[int] = [0] * self.n_key
        self.at_key: list[set[int]] = [set() for _ in range(self.n_key)]
        self.p_total: list[int] = [0] * len(uniq)
        self.p_panel: list[int] = [0] * len(uniq)

    # --- state -------------------------------------------------------------------------------

    def value(self) -> float:
        return sum(self.gain[r] for r in range(self.n_ref) if self.ch[r] >= 0)

    def choice(self) -> IntArray:
        """Part-local arc per referral of the component (-1 unplaced)."""
        out = np.asarray(self.ch, np.int64)
        return np.where(out >= 0, out + self.a0, -1)

    def load_choice(self, part_arcs: IntArray) -> None:
        """Replace the placement by ``part_arcs`` (part-local arc per referral, -1 unplaced)."""
        self.clear()
        for a in part_arcs.tolist():
            if a >= 0:
                self.place(a - self.a0)

    def clear(self) -> None:
        for r in range(self.n_ref):
            if self.ch[r] >= 0:
                self.remove(r)

    def place(self, a: int) -> None:
        r, k, u = self.arc_ref[a], self.arc_key[a], self.units[a]
        self.ch[r] = a
        self.load[k] += u
        self.at_key[k].add(a)
        p = self.arc_prime[a]
        if p >= 0:
            self.p_total[p] += u
            if self.panel[a]:
                self.p_panel[p] += u

    def remove(self, r: int) -> None:
        a = self.ch[r]
        k, u = self.arc_key[a], self.units[a]
        self.ch[r] = -1
        self.load[k] -= u
        self.at_key[k].discard(a)
        p = self.arc_prime[a]
        if p >= 0:
            self.p_total[p] -= u
            if self.panel[a]:
                self.p_panel[p] -= u

    def share_ok(self, p: int, total: int, panel: int) -> bool:
        return self.den[p] * panel >= self.num[p] * total

    def feasible(self) -> bool:
        if any(self.load[k] > self.cap[k] for k in range(self.n_key)):
            return False
        return all(self.share_ok(p, self.p_total[p], self.p_panel[p]) for p in range(len(self.num)))

    def allowance(self, p: int) -> int:
        """Lead units that may still be added to prime ``p`` without breaking its share."""
        if self.num[p] == 0:
            return 1 << 60
        return max(
            0, (self.den[p] * self.p_panel[p] - self.num[p] * self.p_total[p]) // self.num[p]
        )

    def _dp_room(self, units: int) -> int:
        return units * self.ratio_num // self.ratio_den

    # --- construction ------------------------------------------------------------------------

    def round_arcs(self, order: list[int]) -> None:
        """Place arcs in the given order where they fit; leads in a second pass."""
        for lead_pass in (False, True):
            for a in order:
                if self.lead[a] != lead_pass:
                    continue
                r, k, u = self.arc_ref[a], self.arc_key[a], self.units[a]
                if self.ch[r] >= 0 or self.load[k] + u > self.cap[k]:
                    continue
                if lead_pass and u > self.allowance(self.arc_prime[a]):
                    continue
                self.place(a)

    def round_subsets(self, subsets: list[list[int]]) -> None:
        """Place whole subsets (each at one key, best first) where all of it still fits."""
        for lead_pass in (False, True):
            for arcs in subsets:
                if any(self.lead[a] for a in arcs) != lead_pass:
                    continue
                k = self.arc_key[arcs[0]]
                u = sum(self.units[a] for a in arcs)
                if any(self.ch[self.arc_ref[a]] >= 0 for a in arcs):
                    continue
                if self.load[k] + u > self.cap[k]:
                    continue
                if lead_pass:
                    lead_u = sum(self.units[a] for a in arcs if self.lead[a])
                    if lead_u > self.allowance(self.arc_prime[arcs[0]]):
                        continue
                for a in arcs:
                    self.place(a)

    def fill(self) -> None:
        """Each key takes the best subset of the unplaced it may take; leads last."""
        for lead_pass in (False, True):
            for k in range(self.n_key):
                cand = [
                    a
                    for a in self.key_arcs[k]
                    if self.ch[self.arc_ref[a]] < 0 and self.lead[a] == lead_pass
                ]
                if not cand:
                    continue
                room = self.cap[k] - self.load[k]
                if lead_pass:
                    room = min(room, self.allowance(self.arc_prime[cand[0]]))
                self._take_best(cand, room)

    def _take_best(self, cand: list[int], room: int) -> None:
        if room <= 0:
            return
        idx = np.asarray(cand, np.int64)
        take = knapsack_one(self.dp_size[idx], self.gain_arc[idx], self._dp_room(room))
        picked = idx[take].tolist()
        if sum(self.units[a] for a in picked) <= room:  # always, by the rounding; kept honest
            for a in picked:
                self.place(a)

    # --- improvement -------------------------------------------------------------------------

    def reoptimise_keys(self, deadline: float = math.inf) -> bool:
        """Re-solve each key's knapsack over what it holds and the unplaced; any gain kept."""
        improved = False
        for k in range(self.n_key):
            if k % 16 == 15 and time.monotonic() > deadline:
                break
            waiting = [a for a in self.key_arcs[k] if self.ch[self.arc_ref[a]] < 0]
            if not waiting:
                continue  # its own referrals all fit already: nothing to gain here
            here = sorted(self.at_key[k])
            cand = here + waiting
            old = sum(self.gain_arc[a] for a in here)
            for a in here:
                self.remove(self.arc_ref[a])
            room = self.cap[k]
            if all(self.lead[a] for a in cand):
                room = min(room, self.allowance(self.arc_prime[cand[0]]))
            idx = np.asarray(cand, np.int64)
            take = knapsack_one(self.dp_size[idx], self.gain_arc[idx], self._dp_room(room))
            picked = idx[take].tolist()
            new = sum(self.gain_arc[a] for a in picked)
            for a in picked:
                self.place(a)
            if new > old + EPS and self._primes_ok():
                improved = True
                continue
            for a in picked:
                self.remove(self.arc_ref[a])
            for a in here:
                self.place(a)
        return improved

    def _primes_ok(self) -> bool:
        return all(self.share_ok(p, self.p_total[p], self.p_panel[p]) for p in range(len(self.num)))

    def chains(self, deadline: float = math.inf) -> bool:
        """Ejection chains for every unplaced referral, most valuable first."""
        improved = False
        waiting = sorted(
            (r for r in range(self.n_ref) if self.ch[r] < 0 and self.ref_arcs[r]),
            key=lambda r: (-self.gain[r], r),
        )
        for i, r in enumerate(waiting):
            if i % 16 == 15 and time.monotonic() > deadline:
                break
            if self.ch[r] < 0 and self._chain(r):
                improved = True
        return improved

    def _chain(self, r: int) -> bool:
        """Insert ``r`` by a chain of single moves; True if the placement improved."""
        # node: (item, parent node, arc the parent's item takes, arc of the item it evicts)
        nodes: list[tuple[int, int, int]] = [(r, -1, -1)]
        depth = [0]
        seen_keys: set[int] = set()
        on_path: set[int] = {r}
        queue = deque([0])
        best_drop: tuple[float, int, int] | None = None  # (gain, node, arc)
        while queue:
            i = queue.popleft()
            item = nodes[i][0]
            size = self.units[self.ref_arcs[item][0]]
            for a in self.ref_arcs[item]:
                k = self.arc_key[a]
                if k in seen_keys or self.ch[item] == a:
                    continue
                room = self.cap[k] - self.load[k]
                if room >= size and self._apply_chain(nodes, i, a, None):
                    return True
                if depth[i] >= CHAIN_DEPTH:
                    continue
                for b in sorted(self.at_key[k]):
                    u = self.arc_ref[b]
                    if u in on_path or room + self.units[b] < size:
                        continue
                    gain = self.gain[r] - self.gain[u]
                    if gain > EPS and (best_drop is None or gain > best_drop[0]):
                        best_drop = (gain, i, a)
                    nodes.append((u, i, a))
                    depth.append(depth[i] + 1)
                    on_path.add(u)
                    queue.append(len(nodes) - 1)
            for a in self.ref_arcs[item]:
                seen_keys.add(self.arc_key[a])
        if best_drop is not None:
            return self._apply_chain(nodes, best_drop[1], best_drop[2], "drop")
        return False

    def _apply_chain(
        self, nodes: list[tuple[int, int, int]], i: int, a: int, mode: str | None
    ) -> bool:
        """Carry out the chain ending with node ``i``'s item taking arc ``a``; undo if unfit."""
        moves: list[tuple[int, int]] = []  # (item, new arc)
        item, parent, via = nodes[i]
        moves.append((item, a))
        while parent >= 0:
            moves.append((nodes[parent][0], via))
            item, parent, via = nodes[parent]
        # In "drop" mode the arc a's key must first lose the one item that does not move on.
        before = {m[0]: self.ch[m[0]] for m in moves}
        old_value = self.value()
        dropped: list[int] = []
        if mode == "drop":
            k = self.arc_key[a]
            room = self.cap[k] - self.load[k]
            need = self.units[a] - room
            for b in sorted(self.at_key[k], key=lambda b: (self.gain_arc[b], b)):
                if self.units[b] >= need and self.arc_ref[b] not in before:
                    dropped.append(self.arc_ref[b])
                    break
            if not dropped:
                return False
        for r0 in dropped:
            before[r0] = self.ch[r0]
        for r0 in before:
            if self.ch[r0] >= 0:
                self.remove(r0)
        for _, arc in moves:
            self.place(arc)
        if self.feasible() and self.value() > old_value + EPS:
            return True
        for r0, _ in moves:
            self.remove(r0)
        for arc in before.values():
            if arc >= 0:
                self.place(arc)
        return False

    def improve(self, rounds: int = 6, deadline: float = math.inf) -> None:
        """Ejection chains and key re-optimisation until nothing improves (or time is up)."""
        for _ in range(rounds):
            if time.monotonic() > deadline:
                break
            a = self.chains(deadline)
            b = self.reoptimise_keys(deadline)
            if not (a or b):
                break


def lp_order(p: Packing, x: FloatArray) -> list[int]:
    """Arcs by LP value, then priority density, then position: the order rounding follows."""
    n = len(p.arc_ref)
    xs = np.round(x, 6)
    order = np.lexsort((np.arange(n), -p.gain_arc / np.maximum(p.units, 1), -xs))
    return [int(a) for a in order if xs[a] > 1e-6]
