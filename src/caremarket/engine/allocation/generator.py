"""Believable, deterministic allocation instances for tests, benchmarks and the demo.

Shape, and where it comes from (the seeds are in shared/seeds/):

* zones differ in scarcity: spare capacity is 70-135% of the open referral hours, so some
  zones have slack and some run short, as Devon's unmet-need table shows;
* home care dominates (about three referrals in four), with some individualised support and a
  little replacement care;
* needs flags (double_handed, end_of_life, mental_health, complex_behaviour) that only some
  providers can meet; Devon's statement names end-of-life and complex care as the short ones;
* packages of 3-40 hours a week, in quarter hours, most near 8-12;
* urgency: 10% crisis, 30% hospital discharge, the rest planned; waits skewed short;
* a few commissioners contract by prime provider with a 30% subcontract share (Devon's zones
  1-3 and 8, Isle of Wight's localities at a fixed GBP 19.28 an hour);
* guaranteed-hours blocks on about one home care row in seven (Devon's programme since 2018);
* some appointments with no declared capacity, because being on a framework is not having staff.

The ``devon`` scale is calibrated so that first come, first served leaves unmet need per zone
in the proportions of Devon's mid-October table.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from caremarket.engine.allocation.model import (
    Capacity,
    Eligibility,
    GuaranteedBlock,
    Prime,
    Problem,
    Provider,
    Referral,
    Scale,
)

SERVICES = (("home_care", 0.75), ("individualised_support", 0.20), ("replacement_care", 0.05))
# flag: (share of referrals that need it, share of providers that can meet it)
FLAGS = {
    "double_handed": (0.15, 0.45),
    "end_of_life": (0.07, 0.30),
    "mental_health": (0.10, 0.35),
    "complex_behaviour": (0.04, 0.20),
}
URGENCIES = (("crisis", 0.10), ("hospital_discharge", 0.30), ("planned", 0.60))
# Devon, Living Well at Home, mid October: zone -> (unmet hours, unmet people).
DEVON_UNMET = {
    1: (86, 12),
    2: (139, 14),
    3: (228, 21),
    4: (361, 43),
    5: (426, 34),
    6: (558, 63),
    7: (142, 10),
    8: (60, 8),
}
IOW_PRICE = Decimal("19.28")


def _d(x: float, places: str = "0.01") -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(places), ROUND_HALF_UP)


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def _hours(rng: random.Random, mean: float) -> Decimal:
    h = min(40.0, max(3.0, rng.lognormvariate(0, 0.55) * mean * 0.87))
    return Decimal(round(h * 4)) / 4


@dataclass
class _Builder:
    rng: random.Random
    referrals: list[Referral] = field(default_factory=list)
    providers: dict[str, Provider] = field(default_factory=dict)
    capacity: list[Capacity] = field(default_factory=list)
    blocks: list[GuaranteedBlock] = field(default_factory=list)
    eligibility: list[Eligibility] = field(default_factory=list)
    primes: list[Prime] = field(default_factory=list)
    tiebreak: dict[str, float] = field(default_factory=dict)

    def provider(self, pid: str) -> str:
        if pid not in self.providers:
            rng = self.rng
            caps = frozenset(f for f, (_, share) in FLAGS.items() if rng.random() < share)
            self.providers[pid] = Provider(pid, _d(rng.uniform(45, 95), "0.1"), caps)
        return pid

    def referral(self, c: str, zone: str, service: str, mean_hours: float) -> None:
        rng = self.rng
        needs = frozenset(f for f, (share, _) in FLAGS.items() if rng.random() < share)
        hours = _hours(rng, mean_hours * (1.3 if "double_handed" in needs else 1.0))
        days = min(int(rng.expovariate(1 / 20)), 180)
        rid = f"{c}-r{len(self.referrals) + 1:05d}"
        self.tiebreak[rid] = rng.random()
        self.referrals.append(
            Referral(rid, c, zone, service, hours, _pick(rng, URGENCIES), days, needs, 0)
        )

    def problem(self) -> Problem:
        # Arrival: whoever has waited longest arrived first; same-day ties in a random order.
        keyed = sorted(self.referrals, key=lambda r: (-r.days_waiting, self.tiebreak[r.id]))
        refs = [
            Referral(r.id, r.commissioner, r.zone, r.service_type, r.hours, r.urgency,
                     r.days_waiting, r.needs, i)
            for i, r in enumerate(keyed)
        ]  # fmt: skip
        return Problem(
            referrals=tuple(sorted(refs, key=lambda r: r.id)),
            providers=tuple(self.providers[k] for k in sorted(self.providers)),
            capacity=tuple(self.capacity),
            blocks=tuple(self.blocks),
            eligibility=tuple(self.eligibility),
            primes=tuple(self.primes),
        )


@dataclass
class _Commissioner:
    id: str
    zones: int
    referrals: int
    providers: int
    primes: list[list[int]]  # zone numbers (1-based) of each prime locality
    fixed_price: Decimal | None = None
    scarcity: dict[int, float] | None = None  # capacity / demand per zone, else random
    declare: float = 0.6  # share of appointed providers declaring spare hours this week
    reach: tuple[int, ...] = (1, 2, 3, 3, 4, 5)  # zones a provider covers, drawn from these


def _add_commissioner(
    b: _Builder, spec: _Commissioner, chains: list[str], first: int | None = None
) -> None:
    """Zones, referrals (unless made already, from ``first`` on), providers, rows, primes."""
    rng = b.rng
    first = len(b.referrals) if first is None else first
    c = spec.id
    zones = [f"{c}-z{i}" for i in range(1, spec.zones + 1)]
    zone_share = [rng.uniform(0.5, 1.5) for _ in zones]
    base_price = rng.uniform(18.5, 23.5)
    zone_price = [base_price * rng.uniform(0.95, 1.12) for _ in zones]
    for _ in range(spec.referrals):
        z = rng.choices(range(len(zones)), zone_share)[0]
        b.referral(c, zones[z], _pick(rng, SERVICES), 10.0)
    zone_no = {zone: i for i, zone in enumerate(zones)}
    demand: dict[tuple[int, str], Decimal] = {}
    for r in b.referrals[first:]:
        key = (zone_no[r.zone], r.service_type)
        demand[key] = demand.get(key, Decimal(0)) + r.hours
    scarcity = [
        spec.scarcity[z + 1] if spec.scarcity else rng.uniform(0.7, 1.35) for z in range(len(zones))
    ]

    # Local providers (a few are national chains), each in 1-4 neighbouring zones.
    pids: list[str] = []
    for i in range(spec.providers):
        if chains and rng.random() < 0.08:
            pids.append(b.provider(rng.choice(chains)))
        else:
            pids.append(b.provider(f"{c}-p{i + 1:03d}"))
    pids = sorted(set(pids))
    size = {p: rng.lognormvariate(0, 0.8) for p in pids}
    serves: dict[tuple[int, str], list[str]] = {}
    for p in pids:
        first = rng.randrange(len(zones))
        for z in range(first, min(len(zones), first + rng.choice(spec.reach))):
            for s, share in (("home_care", 0.95), ("individualised_support", 0.5),
                             ("replacement_care", 0.3)):  # fmt: skip
                if rng.random() < share:
                    serves.setdefault((z, s), []).append(p)

    prime_zones = {z - 1: i for i, loc in enumerate(spec.primes) for z in loc}
    leads: dict[int, str] = {}
    for i, loc in enumerate(spec.primes):
        in_loc = sorted(
            {p for z in loc for s in ("home_care",) for p in serves.get((z - 1, s), [])}
        )
        if in_loc:
            leads[i] = max(in_loc, key=lambda p: (size[p], p))
            for z in loc:  # the lead is appointed in all its zones, for every service
                for s, _ in SERVICES:
                    if leads[i] not in serves.setdefault((z - 1, s), []):
                        serves[(z - 1, s)].append(leads[i])

    for (z, s), members in sorted(serves.items()):
        want = float(demand.get((z, s), Decimal(0))) * scarcity[z]
        # Being appointed is not having staff: only some declare spare hours this week.
        declaring = [p for p in sorted(members) if rng.random() < spec.declare]
        weight = sum(size[p] for p in declaring) or 1.0
        for p in sorted(members):
            price = _d(zone_price[z] * rng.uniform(0.93, 1.10) * (1.08 if s != "home_care" else 1))
            b.eligibility.append(Eligibility(p, c, zones[z], s, price))
            if p not in declaring:
                continue
            hours = Decimal(round(want * size[p] / weight * rng.uniform(0.7, 1.3) * 2)) / 2
            if s == "home_care" and rng.random() < 0.15 and z not in prime_zones:
                block = min(hours, Decimal(rng.randrange(5, 31)))
                b.blocks.append(GuaranteedBlock(p, zones[z], s, block))
                hours -= block
            if hours > 0:
                b.capacity.append(Capacity(p, zones[z], s, hours))

    for i, loc in enumerate(spec.primes):
        if i not in leads:
            continue
        panel = {p for z in loc for (zz, _), ms in serves.items() if zz == z - 1 for p in ms}
        b.primes.append(
            Prime(
                lead=leads[i],
                commissioner=c,
                zones=frozenset(zones[z - 1] for z in loc),
                min_subcontract_share=Decimal("0.30"),
                panel=frozenset(panel - {leads[i]}),
                hourly_price=spec.fixed_price,
            )
        )


def _many(rng: random.Random, n: int) -> list[_Commissioner]:
    specs = []
    for i in range(1, n + 1):
        scale = rng.lognormvariate(0, 0.5) * 0.89
        zones = rng.randint(5, 11)
        primes: list[list[int]] = []
        fixed = None
        if rng.random() < 0.15:  # prime-provider commissioners, in localities of 2-4 zones
            z = 1
            while z <= zones:
                width = rng.randint(2, 4)
                primes.append(list(range(z, min(zones, z + width - 1) + 1)))
                z += width
            fixed = IOW_PRICE if rng.random() < 0.3 else None
        specs.append(
            _Commissioner(
                f"c{i:03d}", zones, round(167 * scale), round(72 * scale), primes, fixed,
                declare=0.85, reach=(1, 2, 3, 4, 5, 6, 7),
            )
        )  # fmt: skip
    return specs


def _devon(b: _Builder) -> None:
    """Open referrals at three times the unmet people per zone; capacity then calibrated."""
    spec = _Commissioner(
        "devon", 8, 0, 120, primes=[[1, 2, 3], [8]], scarcity=dict.fromkeys(DEVON_UNMET, 1.0)
    )
    for z, (hours, people) in DEVON_UNMET.items():
        for _ in range(3 * people):
            b.referral("devon", f"devon-z{z}", "home_care", hours / people)
    _add_commissioner(b, spec, [], first=0)
    _calibrate(b)


def _calibrate(b: _Builder) -> None:
    """Scale each zone's capacity until greedy leaves about Devon's unmet hours there."""
    from caremarket.engine.allocation.solve import solve

    factor = dict.fromkeys(DEVON_UNMET, 1.0)
    base = list(b.capacity)
    for _ in range(12):
        b.capacity = [
            Capacity(c.provider, c.zone, c.service_type,
                     Decimal(round(float(c.hours) * factor[int(c.zone[7:])] * 2)) / 2)
            for c in base
        ]  # fmt: skip
        problem = b.problem()
        result = solve(problem, "greedy")
        unplaced = {u.referral for u in result.unplaced}
        short = dict.fromkeys(DEVON_UNMET, 0.0)
        demand = dict.fromkeys(DEVON_UNMET, 0.0)
        for r in problem.referrals:
            z = int(r.zone[7:])
            demand[z] += float(r.hours)
            if r.id in unplaced:
                short[z] += float(r.hours)
        for z, (target, _) in DEVON_UNMET.items():
            supply = demand[z] - short[z]
            factor[z] *= max(0.3, (demand[z] - target) / max(supply, 1.0))


def generate(scale: Scale, seed: int) -> Problem:
    """A deterministic instance: the same scale and seed give the same problem, row for row."""
    rng = random.Random(f"{scale}:{seed}")
    b = _Builder(rng)
    if scale == "county":
        _add_commissioner(b, _Commissioner("c001", 8, 400, 120, primes=[[1, 2]]), [])
    elif scale in ("region", "national"):
        n = 10 if scale == "region" else 150
        chains = [f"chain-{i:03d}" for i in range(1, max(2, n // 3) + 1)]
        for spec in _many(rng, n):
            _add_commissioner(b, spec, chains)
    elif scale == "devon":
        _devon(b)
    else:
        raise ValueError(f"scale must be county, region, national or devon, got {scale!r}")
    return b.problem()
