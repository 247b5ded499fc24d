"""An independent feasibility check, in exact Decimal arithmetic, straight from the Problem.

It deliberately does not reuse the compiled index that the solvers share, so a bug there cannot
hide itself: the tests run every solution through this, and the web layer can run a stored
allocation through it before acting on it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from caremarket.engine.allocation.model import Allocation, Problem

PENNY = Decimal("0.01")


def check_feasible(problem: Problem, allocation: Allocation) -> list[str]:
    """Every violated rule, in words; empty when the allocation is feasible for the problem."""
    out: list[str] = []
    refs = {r.id: r for r in problem.referrals}
    providers = {p.id: p for p in problem.providers}
    price = {(e.provider, e.commissioner, e.zone, e.service_type): e.hourly_price
             for e in problem.eligibility}  # fmt: skip
    prime_of = {(p.commissioner, z): i for i, p in enumerate(problem.primes) for z in p.zones}
    room: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    block: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for c in problem.capacity:
        room[(c.provider, c.zone, c.service_type)] += c.hours
    for b in problem.blocks:
        room[(b.provider, b.zone, b.service_type)] += b.hours
        block[(b.provider, b.zone, b.service_type)] += b.hours

    load: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    used_block: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    lead_total: dict[int, Decimal] = defaultdict(Decimal)
    lead_panel: dict[int, Decimal] = defaultdict(Decimal)
    seen: set[str] = set()
    for a in allocation.assignments:
        r = refs.get(a.referral)
        if r is None:
            out.append(f"{a.referral}: no such referral")
            continue
        if a.referral in seen:
            out.append(f"{a.referral}: placed more than once")
        seen.add(a.referral)
        d = providers.get(a.delivering_provider)
        if d is None or a.provider not in providers:
            out.append(f"{a.referral}: unknown provider")
            continue
        if not r.needs <= d.capabilities:
            missing = ", ".join(sorted(r.needs - d.capabilities))
            out.append(f"{a.referral}: {d.id} cannot meet {missing}")
        p_i = prime_of.get((r.commissioner, r.zone))
        own = price.get((a.provider, r.commissioner, r.zone, r.service_type))
        if p_i is not None:
            prime = problem.primes[p_i]
            if a.provider != prime.lead:
                out.append(f"{a.referral}: prime zone, but placed with {a.provider}, not the lead")
            elif own is None:
                out.append(f"{a.referral}: the lead {a.provider} is not appointed for it")
            elif a.delivering_provider not in prime.panel | {prime.lead}:
                out.append(f"{a.referral}: {a.delivering_provider} is not on the lead's panel")
            expected = prime.hourly_price if prime.hourly_price is not None else own
            lead_total[p_i] += r.hours
            if a.delivering_provider != prime.lead:
                lead_panel[p_i] += r.hours
        else:
            expected = own
            if own is None:
                out.append(f"{a.referral}: {a.provider} is not appointed for it")
            if a.delivering_provider != a.provider:
                out.append(f"{a.referral}: subcontracted outside a prime zone")
        if expected is not None and a.hourly_price != expected:
            out.append(f"{a.referral}: price {a.hourly_price}, appointed price {expected}")
        key = (a.delivering_provider, r.zone, r.service_type)
        load[key] += r.hours
        used_block[key] += a.block_hours
        if not Decimal(0) <= a.block_hours <= r.hours:
            out.append(f"{a.referral}: block hours {a.block_hours} outside 0..{r.hours}")
        cost = (a.hourly_price * (r.hours - a.block_hours)).quantize(PENNY, ROUND_HALF_UP)
        if a.weekly_cost != cost:
            out.append(f"{a.referral}: weekly cost {a.weekly_cost}, expected {cost}")

    for key, hours in sorted(load.items()):
        if hours > room[key]:
            out.append(f"{'/'.join(key)}: {hours} hours placed, room for {room[key]}")
        if used_block[key] > block[key]:
            out.append(f"{'/'.join(key)}: {used_block[key]} block hours used of {block[key]}")
    for i, p in enumerate(problem.primes):
        total, sub = lead_total[i], lead_panel[i]
        if sub < p.min_subcontract_share * total:
            out.append(
                f"prime {p.lead} ({p.commissioner}): {sub} of {total} hours subcontracted, "
                f"below the share {p.min_subcontract_share}"
            )

    for u in allocation.unplaced:
        if u.referral in seen:
            out.append(f"{u.referral}: both placed and unplaced")
        seen.add(u.referral)
    if allocation.status != "infeasible":
        lost = sorted(set(refs) - seen)
        if lost:
            out.append(f"referrals neither placed nor reported unplaced: {', '.join(lost[:5])}")
    placed_hours = sum(
        (refs[a.referral].hours for a in allocation.assignments if a.referral in refs), Decimal(0)
    )
    if allocation.totals.hours_placed != placed_hours:
        out.append(
            f"totals: hours placed {allocation.totals.hours_placed}, lines add to {placed_hours}"
        )
    cost_sum = sum((a.weekly_cost for a in allocation.assignments), Decimal(0))
    if allocation.totals.weekly_cost != cost_sum:
        out.append(f"totals: weekly cost {allocation.totals.weekly_cost}, lines add to {cost_sum}")
    return out
