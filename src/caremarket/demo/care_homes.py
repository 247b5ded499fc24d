"""The demo's part: Devon's care homes with a year of monthly returns (issue 10).

Called by builder.build after the market and brokerage are built; returns counts for the
build report. Deterministic for a seed and date. Every figure traces to seed 003 (Devon's
sufficiency statement, 3.3.2) or is an assumption named here and in docs/demo-data.md:

- seed: vacancy about 4% of registered beds in February, 8% in August; the southern
  locality (zone 6, South Devon) highest at about 10%; complex dementia about 3%; "up to
  30% in some homes".
- assumptions: 6 homes a zone (48; Devon has far more), their sizes (20-60 beds: Dorset's
  plan finds 61% of homes have 20-49), the months between February and August and after
  (a smooth rise and a slow fall), the other zones' spread, the split of vacant beds into
  reserved (about 10%), accepting admissions (about 75%) and not available, the staffing
  ratios, two homes missing the newest month's return, a few late or corrected returns.
- assumption: each home's location (for nearest first) is its postcode district's main
  town centre, approximately (``DISTRICT_CENTRES``, rounded to 0.01 degree), moved by up to
  about 1.5 km; drawn from its own random stream so the other figures stay as they were.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from caremarket.care_homes.models import (
    CareHome,
    RegisteredBeds,
    VacancyReturn,
    VacancyReturnLine,
)
from caremarket.care_homes.rules import months_back
from caremarket.core.roles import Role
from caremarket.demo.accounts import demo_user
from caremarket.engine import vacancy
from caremarket.market.models import Commissioner, Zone
from caremarket.providers.models import Location, Provider

# Seed 003: February 4%, August 8%; the months between and after are an assumption.
RATE_BY_MONTH = {
    1: 0.042, 2: 0.040, 3: 0.044, 4: 0.050, 5: 0.058, 6: 0.066,
    7: 0.074, 8: 0.080, 9: 0.078, 10: 0.075, 11: 0.072, 12: 0.046,
}  # fmt: skip
SOUTH_ZONE, SOUTH_FACTOR = 6, 1.25  # seed: the southern locality about 10% when all are 8%
DEMENTIA_FACTOR = 0.375  # seed: complex dementia about 3% when all are 8%
ZONE_SPREAD = {1: 0.9, 2: 0.8, 3: 1.0, 4: 0.85, 5: 0.95, 7: 1.05, 8: 0.9}  # assumption
AT_RISK = {(2, 0): 5.0, (5, 4): 3.8, (7, 1): 5.8}  # (zone, home): factor; seed "up to 30%"

# Each zone's six homes: kind and registered beds by type (sizes varied by the seed's rng).
LAYOUT = (
    ("residential", {"general_residential": 30, "short_stay": 3}),
    ("residential", {"general_residential": 22, "dementia_residential": 12}),
    ("nursing", {"general_nursing": 34, "dementia_nursing": 16}),
    ("nursing", {"general_nursing": 40}),
    ("residential", {"general_residential": 24, "short_stay": 4}),
    ("residential", {"dementia_residential": 26}),
)
SPECIALIST = {  # one home of a kind in its zone: business critical (Devon's stratification)
    (1, 0): {"ld_residential": 10},
    (4, 2): {"ypd": 8},
    (6, 3): {"mh_nursing": 12},
    (3, 4): {"ld_residential": 8},
}
SECOND_DEMENTIA_NURSING = {4, 5}  # Exeter and East Devon have two dementia nursing homes
STREETS = ("Church Road", "Station Hill", "The Strand", "Moor Lane")
SUFFIXES = ("House", "Lodge", "Court", "Manor", "Grange", "View")
GROUPS = (
    "Devon Care Homes Group",
    "Coastline Care Homes",
    "Moorland Residential Care",
    "Riverside Nursing Homes",
)
MISSING_NOVEMBER = {(2, 5), (4, 0)}  # (zone, home): no return for the newest month
LONDON = ZoneInfo("Europe/London")


def build(*, as_of: date, moment: datetime, seed: int) -> dict[str, int]:
    devon = Commissioner.objects.filter(slug="devon").first()
    if devon is None:
        return {}
    rng = random.Random(seed * 31 + 10)
    providers = _providers()
    homes = _homes(rng, devon, providers)
    _locate([home for home, _, _ in homes], seed)
    months = months_back(vacancy.latest_month_open(as_of), 12)
    returns = _returns(rng, homes, months)
    return {
        "care homes": len(homes),
        "care home returns": returns,
        "care home months": len(months),
    }


def _providers() -> list[Provider]:
    made = []
    for name in GROUPS:
        slug = name.lower().replace(" ", "-")
        made.append(
            Provider.objects.create(
                name=name,
                slug=slug,
                is_fictitious=True,
                description="Care homes in Devon (fictitious).",
                email=f"homes@{slug}.example",
                phone=f"01392 {len(made) + 1}00{len(made) + 1}00",
            )
        )
    demo_user("devon.carehome", Role.PROVIDER, "Morwenna", "Tregear", provider=made[0])
    return made


# Assumption: approximate centres of each demo district's main town (latitude, longitude).
DISTRICT_CENTRES = {
    "EX39": (51.02, -4.21), "EX38": (50.95, -4.14), "EX22": (50.81, -4.35),
    "EX31": (51.08, -4.06), "EX32": (51.07, -4.03), "EX33": (51.11, -4.16),
    "EX34": (51.20, -4.12), "EX35": (51.23, -3.83), "EX36": (51.02, -3.83),
    "EX37": (50.99, -3.98), "EX15": (50.86, -3.39), "EX16": (50.90, -3.49),
    "EX17": (50.79, -3.65), "EX18": (50.91, -3.87), "EX1": (50.72, -3.51),
    "EX2": (50.71, -3.53), "EX3": (50.68, -3.46), "EX4": (50.73, -3.54),
    "EX5": (50.76, -3.44), "EX6": (50.68, -3.50), "EX7": (50.58, -3.47),
    "EX8": (50.62, -3.41), "EX9": (50.63, -3.32), "EX10": (50.68, -3.24),
    "EX11": (50.75, -3.28), "EX12": (50.71, -3.07), "EX13": (50.78, -3.00),
    "EX14": (50.80, -3.19), "TQ6": (50.35, -3.58), "TQ7": (50.28, -3.78),
    "TQ9": (50.43, -3.69), "TQ10": (50.43, -3.83), "TQ11": (50.48, -3.78),
    "TQ12": (50.53, -3.61), "TQ13": (50.59, -3.68), "TQ14": (50.55, -3.50),
    "PL19": (50.55, -4.14), "PL20": (50.49, -4.08), "PL21": (50.39, -3.92),
    "EX20": (50.74, -4.00), "EX21": (50.78, -4.17),
}  # fmt: skip


def _locate(homes: list[CareHome], seed: int) -> None:
    """Each home near its district's centre (an assumption; see the module docstring)."""
    rng = random.Random(seed + 10)
    for home in homes:
        lat, lon = DISTRICT_CENTRES.get(home.location.postcode.split(" ")[0], (None, None))
        if lat is None or lon is None:
            continue
        home.latitude = Decimal(f"{lat + rng.uniform(-0.012, 0.012):.5f}")
        home.longitude = Decimal(f"{lon + rng.uniform(-0.018, 0.018):.5f}")
    CareHome.objects.bulk_update(homes, ["latitude", "longitude"])


def _postcode(rng: random.Random, zone: Zone) -> str:
    districts = [a.code for a in zone.postcode_areas.all() if " " not in a.code]
    return f"{rng.choice(districts)} {rng.randint(1, 9)}{rng.choice('ABDEHJLNPRSTUW')}" + (
        rng.choice("ABDEHJLNPRSTUW")
    )


def _homes(
    rng: random.Random, devon: Commissioner, providers: list[Provider]
) -> list[tuple[CareHome, dict[str, int], tuple[int, int]]]:
    zones = list(devon.zones.prefetch_related("postcode_areas", "towns").order_by("number"))
    plan = []
    serial = 0
    for zone in zones:
        towns = [t.name.split("/")[0] for t in zone.towns.all()]
        for index, (kind, beds) in enumerate(LAYOUT):
            serial += 1
            sized = {t: max(4, n + rng.randint(-6, 10)) for t, n in beds.items()}
            sized |= SPECIALIST.get((zone.number, index), {})
            if index == 3 and zone.number in SECOND_DEMENTIA_NURSING:
                sized["dementia_nursing"] = 14
            town = towns[index % len(towns)]
            name = f"{town} {SUFFIXES[index]}"
            location = Location(
                provider=providers[serial % len(providers)],
                name=name,
                address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}",
                town=town,
                postcode=_postcode(rng, zone),
                cqc_location_id=f"1-8{serial:09d}",
            )
            plan.append((location, CareHome(kind=kind, zone=zone), sized, (zone.number, index)))
    Location.objects.bulk_create([p[0] for p in plan])
    for location, home, _, _ in plan:
        home.location = location
    CareHome.objects.bulk_create([p[1] for p in plan])
    RegisteredBeds.objects.bulk_create(
        RegisteredBeds(care_home=home, bed_type=t, beds=n)
        for _, home, beds, _ in plan
        for t, n in beds.items()
    )
    return [(home, beds, key) for _, home, beds, key in plan]


def _zone_factors(
    homes: list[tuple[CareHome, dict[str, int], tuple[int, int]]],
) -> dict[int, float]:
    """Zone multipliers with the south at 1.25 and a bed-weighted mean of 1."""
    beds_in: dict[int, int] = {}
    for _, beds, (zone, _) in homes:
        beds_in[zone] = beds_in.get(zone, 0) + sum(beds.values())
    total = sum(beds_in.values())
    others = sum(ZONE_SPREAD[z] * b for z, b in beds_in.items() if z != SOUTH_ZONE)
    scale = (total - SOUTH_FACTOR * beds_in.get(SOUTH_ZONE, 0)) / others
    return {z: SOUTH_FACTOR if z == SOUTH_ZONE else ZONE_SPREAD[z] * scale for z in beds_in}


def _home_factors(
    rng: random.Random, homes: list[tuple[CareHome, dict[str, int], tuple[int, int]]]
) -> dict[tuple[int, int], float]:
    """Each home's spread around its zone's rate (a few at risk), with a mean of 1 over the
    zone's non-dementia beds so that the zone's rate stays as set."""
    raw = {key: AT_RISK.get(key, rng.uniform(0.6, 1.3)) for _, _, key in homes}
    weights: dict[int, list[float]] = {}
    for _, beds, key in homes:
        general = sum(n for t, n in beds.items() if t not in vacancy.DEMENTIA_BED_TYPES)
        pair = weights.setdefault(key[0], [0.0, 0.0])
        pair[0] += raw[key] * general
        pair[1] += general
    return {
        key: factor * (weights[key[0]][1] / weights[key[0]][0] if weights[key[0]][0] else 1)
        for key, factor in raw.items()
    }


def _round(rng: random.Random, value: float) -> int:
    whole = int(value)
    return whole + (rng.random() < value - whole)


def _returns(
    rng: random.Random,
    homes: list[tuple[CareHome, dict[str, int], tuple[int, int]]],
    months: list[date],
) -> int:
    zone_factor = _zone_factors(homes)
    all_beds = sum(sum(b.values()) for _, b, _ in homes)
    dementia = sum(n for _, b, _ in homes for t, n in b.items() if t in vacancy.DEMENTIA_BED_TYPES)
    # Non-dementia beds carry more vacancy so that all beds together match the month's rate.
    general_factor = (all_beds - DEMENTIA_FACTOR * dementia) / (all_beds - dementia)
    home_factor = _home_factors(rng, homes)
    versions, lines = [], []
    for month in months:
        base = RATE_BY_MONTH[month.month]
        window = vacancy.return_window(month)
        for home, beds, key in homes:
            if month == months[-1] and key in MISSING_NOVEMBER:
                continue
            rows = []
            for bed_type, registered in beds.items():
                if bed_type in vacancy.DEMENTIA_BED_TYPES:
                    rate = base * DEMENTIA_FACTOR
                else:
                    rate = base * general_factor * zone_factor[key[0]] * home_factor[key]
                vacant = min(registered, _round(rng, registered * rate))
                reserved = _round(rng, vacant * 0.1)
                accepting = min(vacant - reserved, _round(rng, vacant * 0.75))
                rows.append((bed_type, registered, registered - vacant, reserved, accepting))
            late = rng.random() < 0.04
            day = (
                window.closes + timedelta(days=3)
                if late
                else window.opens + timedelta(days=rng.randint(0, 5))
            )
            total = sum(beds.values())
            nursing = sum(n for t, n in beds.items() if t in vacancy.NURSING_BED_TYPES)
            made = VacancyReturn(
                care_home=home,
                month=month,
                submitted_at=datetime.combine(day, time(10, rng.randint(0, 59)), LONDON),
                source=rng.choice(("form", "form", "api", "import")),
                nurses_employed=round(nursing / 7),
                care_staff_employed=round(total * 0.85),
                non_care_staff_employed=round(total * 0.3),
                nurses_agency=round(nursing / 25),
                care_staff_agency=round(total * 0.08),
                non_care_staff_agency=0,
            )
            versions.append(made)
            lines.append(rows)
    VacancyReturn.objects.bulk_create(versions)
    VacancyReturnLine.objects.bulk_create(
        VacancyReturnLine(
            vacancy_return=made,
            bed_type=bed_type,
            maximum_capacity=capacity,
            occupied=occupied,
            vacant_reserved=reserved,
            vacant_accepting=accepting,
        )
        for made, rows in zip(versions, lines, strict=True)
        for bed_type, capacity, occupied, reserved, accepting in rows
    )
    return len(versions) + _corrections(rng, versions)


def _corrections(rng: random.Random, versions: list[VacancyReturn]) -> int:
    """A few returns corrected a day later (version 2 supersedes version 1): one more bed
    occupied than first returned. Shows the history a correction keeps."""
    chosen = rng.sample(versions, k=min(4, len(versions)))
    made = []
    for first in chosen:
        second = VacancyReturn(
            care_home_id=first.care_home_id,
            month=first.month,
            version=2,
            supersedes=first,
            submitted_at=first.submitted_at + timedelta(days=1),
            source="form",
            **{f: getattr(first, f) for f in _WORKFORCE},
        )
        made.append(second)
    VacancyReturn.objects.bulk_create(made)
    copies = []
    for first, second in zip(chosen, made, strict=True):
        for line in first.lines.all():
            occupied = line.occupied
            if line.maximum_capacity - occupied - line.vacant_reserved - line.vacant_accepting > 0:
                occupied += 1
            copies.append(
                VacancyReturnLine(
                    vacancy_return=second,
                    bed_type=line.bed_type,
                    maximum_capacity=line.maximum_capacity,
                    occupied=occupied,
                    vacant_reserved=line.vacant_reserved,
                    vacant_accepting=line.vacant_accepting,
                )
            )
    VacancyReturnLine.objects.bulk_create(copies)
    return len(made)


_WORKFORCE = (
    "nurses_employed",
    "care_staff_employed",
    "non_care_staff_employed",
    "nurses_agency",
    "care_staff_agency",
    "non_care_staff_agency",
)
