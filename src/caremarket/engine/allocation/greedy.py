"""First come, first served: what councils do today, kept as the baseline to beat.

Rule, in exact Decimal arithmetic:

* referrals in arrival order (``arrival``, then id);
* outside prime zones each takes the eligible provider with room for the whole package that
  costs least *for this referral* (unused guaranteed-block hours count as free, as a broker
  would use hours already paid for); ties go to the lower hourly price, then higher quality,
  then provider id;
* in a prime zone the lead takes it and delivers it itself if its subcontracted hours would
  still be at least the share of everything placed with it; otherwise it subcontracts the whole
  referral to the panel member with room that charges least (its own appointed price in that
  zone, else the prime's price), then higher quality, then id. If it must subcontract and no
  panel member has room, the referral is not placed: the share holds after every step, so it
  holds at the end.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from caremarket.engine.allocation.index import Index, IntArray


def greedy_choice(index: Index) -> IntArray:
    """Arc chosen for each referral (-1 when unplaced)."""
    refs = index.referrals
    room = list(index.key_cap)
    block_left = list(index.key_block)
    placed_total = [Decimal(0)] * len(index.primes)
    placed_panel = [Decimal(0)] * len(index.primes)
    choice: IntArray = np.full(len(refs), -1, np.int64)
    keys, deliverer, placed = index.arc_key, index.arc_deliverer, index.arc_placed
    quality, names = index.quality, index.providers

    for r in sorted(range(len(refs)), key=lambda i: (refs[i].arrival, refs[i].id)):
        arcs = index.arcs_of(r)
        if not arcs:
            continue
        h = refs[r].hours
        pr = int(index.arc_prime[arcs[0]])
        best = -1
        if pr < 0:
            best_rank: tuple[Decimal, Decimal, Decimal, str] | None = None
            for a in arcs:
                k = int(keys[a])
                if room[k] < h:
                    continue
                price = index.arc_price[a]
                d = int(deliverer[a])
                rank = (price * (h - min(block_left[k], h)), price, -quality[d], names[d])
                if best_rank is None or rank < best_rank:
                    best, best_rank = a, rank
        else:
            share = index.prime_share[pr]
            lead_may = placed_panel[pr] >= share * (placed_total[pr] + h)
            panel_rank: tuple[float, Decimal, str] | None = None
            for a in arcs:
                k, d = int(keys[a]), int(deliverer[a])
                if room[k] < h:
                    continue
                if d == placed[a]:
                    if lead_may:
                        best = a
                        break
                    continue
                rank2 = (float(index.arc_rank_price[a]), -quality[d], names[d])
                if panel_rank is None or rank2 < panel_rank:
                    best, panel_rank = a, rank2
        if best < 0:
            continue
        k = int(keys[best])
        room[k] -= h
        block_left[k] -= min(block_left[k], h)
        if pr >= 0:
            placed_total[pr] += h
            if deliverer[best] != placed[best]:
                placed_panel[pr] += h
        choice[r] = best
    return choice
