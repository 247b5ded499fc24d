"""The demo's part: Staffordshire's supported living properties and rooms, holds
and bookings (issue 10).

Called by builder.build after the market and brokerage are built; returns counts for the
build report. Deterministic for a seed and date. Everything is written with bulk_create
except the one hold, which goes through the real service.

From seed 004: Staffordshire's groups (1, 2, 3a, 3b, 3c, 4) and table 1, residents by group
and band. Assumptions (docs/demo-data.md): which schemes serve which groups and bands, the
landlords, the split of each scheme's rooms into properties, room statuses and void dates,
approximate town-centre locations for each district (for distance searches), which
properties have a void agreement, the £120 weekly cost of a void and the 48-hour hold.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from caremarket.accounts.models import User
from caremarket.bookings.models import HoldPolicy
from caremarket.bookings.services import holds
from caremarket.brokerage.models import Referral, ServiceAgreement
from caremarket.core import clock
from caremarket.frameworks.models import Appointment, Framework
from caremarket.market.models import Commissioner
from caremarket.supported_living import rules
from caremarket.supported_living.models import (
    Landlord,
    Property,
    ResidentCount,
    Room,
    RoomStatusChange,
    Scheme,
    SupportGroup,
    VoidPolicy,
)

# Seed 004, paragraphs 7-8 (names shortened).
GROUPS = (
    ("1", "Group 1: specialist mental health", True),
    ("2", "Group 2: schemes commissioned by the council or NHS", True),
    ("3a", "Group 3a: local schemes, medium to very high needs", True),
    ("3b", "Group 3b: local schemes, separation of housing and care to assure", True),
    ("3c", "Group 3c: local schemes, low needs", True),
    ("4", "Group 4: living outside the county (out of the framework's scope)", False),
)
# Seed 004, table 1: residents by group and complexity (very high, high, medium, low).
RESIDENTS = {
    "1": (1, 4, 11, 2),
    "2": (11, 82, 105, 3),
    "3a": (1, 11, 7, 0),
    "3b": (2, 24, 111, 40),
    "3c": (0, 0, 0, 26),
    "4": (7, 13, 58, 7),
}
LEVELS = ("very_high", "high", "medium", "low")
CENSUS_ON = date(2023, 8, 1)  # assumption: the plan's table, before applications opened
# Assumption: approximate town-centre locations of each district's main town.
CENTRES = {
    1: (53.012, -2.227),
    2: (53.105, -2.023),
    3: (52.806, -2.117),
    4: (52.691, -2.031),
    5: (52.724, -2.116),
    6: (52.683, -1.826),
    7: (52.807, -1.643),
    8: (52.634, -1.695),
}
LANDLORDS = (
    "Stafford Homes Trust",
    "Midland Living Housing",
    "Keystone Registered Provider",
    "Trent Valley Housing Association",
    "Moorlands Community Homes",
)
# Assumption: more schemes per geographic lot beside brokerage's own (lot -> [(name, zone)]).
MORE_SCHEMES = {
    1: [("Weston Road", 3), ("Brook House", 7)],
    2: [("Ladderedge", 2), ("Silverdale Court", 1), ("Westbridge", 3)],
    3: [("Hednesford Row", 4), ("Pye Green Lodge", 4), ("Beacon Walk", 6)],
    4: [("Horninglow Gardens", 7), ("Glascote Place", 8), ("Uttoxeter Mews", 7)],
}
VOID_WEEKLY_COST = Decimal("120.00")  # assumption: rent and service charge underwritten
NOTES = ("", "", "", "Quiet house: suits someone who likes a calm home.", "No overnight guests.")
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def build(*, as_of: date, moment: datetime, seed: int) -> dict[str, int]:
    rng = random.Random(seed + 10)
    staffs = Commissioner.objects.get(slug="staffordshire")
    framework = Framework.objects.get(commissioner=staffs, slug="supported-living")
    lots = {lot.number: lot for lot in framework.lots.all()}
    groups = _groups(staffs)
    census = _census(staffs, groups, lots[1])
    VoidPolicy.objects.create(
        commissioner=staffs,
        default_weekly_cost=VOID_WEEKLY_COST,
        basis="Demo assumption: the rent and service charge the council underwrites.",
    )
    HoldPolicy.objects.create(framework=framework, hold_hours=48)
    landlords = Landlord.objects.bulk_create(Landlord(name=n) for n in LANDLORDS)
    schemes = _schemes(staffs, framework, lots, groups, rng)
    properties = _properties(schemes, landlords, rng)
    rooms = _rooms(properties, moment, rng)
    held = _holds(staffs, moment)
    return {
        "support groups": len(groups),
        "resident counts": census,
        "supported living schemes": len(schemes),
        "properties": len(properties),
        "rooms": rooms,
        "room holds": held,
    }


def _groups(staffs: Commissioner) -> dict[str, SupportGroup]:
    made = SupportGroup.objects.bulk_create(
        SupportGroup(commissioner=staffs, code=c, name=n, in_framework=f, sequence=i)
        for i, (c, n, f) in enumerate(GROUPS)
    )
    return {g.code: g for g in made}


def _census(staffs: Commissioner, groups: dict[str, SupportGroup], mental_health_lot) -> int:  # type: ignore[no-untyped-def]
    rows = [
        ResidentCount(
            commissioner=staffs,
            group=groups[code],
            lot=mental_health_lot if code == "1" else None,
            level=level,
            residents=n,
            counted_on=CENSUS_ON,
            source="Seed 004, table 1 (Staffordshire's commissioning plan)",
        )
        for code, counts in RESIDENTS.items()
        for level, n in zip(LEVELS, counts, strict=True)
    ]
    return len(ResidentCount.objects.bulk_create(rows))


def _schemes(staffs, framework, lots, groups, rng) -> list[Scheme]:  # type: ignore[no-untyped-def]
    """Brokerage's schemes plus a few more, each with a care provider on its lot: the winner
    of its call-off where there was one, else a provider appointed to the lot
    (Staffordshire's demo provider first, so that provider.staffs has rooms to manage)."""
    staffs_provider = User.objects.get(username="provider.staffs").provider_id
    zones = {z.number: z for z in staffs.zones.all()}
    existing = {s.name for s in Scheme.objects.filter(commissioner=staffs)}
    Scheme.objects.bulk_create(
        Scheme(
            commissioner=staffs,
            name=name,
            zone=zones[zone],
            lot=lots[lot],
            rooms=rng.randint(4, 9),
            address=f"{rng.randint(1, 60)} {name}",
        )
        for lot, rows in MORE_SCHEMES.items()
        for name, zone in rows
        if name not in existing
    )
    won = {
        s.pk: a.provider_id
        for a in ServiceAgreement.objects.filter(commissioner=staffs).prefetch_related("schemes")
        for s in a.schemes.all()
    }
    appointed: dict[int, list[int]] = {}
    for lot_id, provider_id in Appointment.objects.filter(
        lot__framework=framework, status=Appointment.Status.ACTIVE
    ).values_list("lot_id", "provider_id"):
        appointed.setdefault(lot_id, []).append(provider_id)
    schemes = list(Scheme.objects.filter(commissioner=staffs).order_by("pk"))
    through = []
    for i, scheme in enumerate(schemes):
        choices = sorted(appointed.get(scheme.lot_id, []))
        mine = staffs_provider in choices and i % 2 == 0
        scheme.care_provider_id = won.get(scheme.pk) or (
            staffs_provider if mine else rng.choice(choices)
        )
        codes = ["1"] if scheme.lot.number == 1 else rng.sample(["2", "3a", "3b", "3c"], 2)
        if mine:
            codes = sorted(set(codes) | {"3c"}) if scheme.lot.number != 1 else codes
        scheme.serves_low = "3c" in codes or scheme.lot.number == 1 or rng.random() < 0.3
        scheme.serves_very_high = "2" in codes or rng.random() < 0.3
        scheme.pets_allowed = rng.random() < 0.5
        scheme.smoking_allowed = rng.random() < 0.3
        scheme.gender = rng.choice([rules.ANY_GENDER] * 6 + [rules.WOMEN_ONLY, rules.MEN_ONLY])
        scheme.compatibility_notes = rng.choice(NOTES)
        through += [Scheme.groups.through(scheme=scheme, supportgroup=groups[c]) for c in codes]
    Scheme.objects.bulk_update(
        schemes,
        [
            "care_provider",
            "serves_low",
            "serves_very_high",
            "pets_allowed",
            "smoking_allowed",
            "gender",
            "compatibility_notes",
        ],
    )
    Scheme.groups.through.objects.bulk_create(through)
    return schemes


def _properties(schemes: list[Scheme], landlords: list[Landlord], rng) -> list[Property]:  # type: ignore[no-untyped-def]
    """Each scheme's rooms in one to three properties near its district's main town."""
    districts = {
        z.pk: sorted(z.postcode_areas.values_list("code", flat=True))
        for z in {s.zone for s in schemes}
    }
    made = []
    for scheme in schemes:
        parts = min(scheme.rooms, rng.choice([1, 1, 2, 3]))
        lat, lon = CENTRES[scheme.zone.number]
        for n in range(parts):
            district = rng.choice(districts[scheme.zone_id])
            flats = rng.random() < 0.35
            made.append(
                Property(
                    scheme=scheme,
                    landlord=rng.choice(landlords),
                    name=f"{scheme.name} {'flats' if flats else 'house'} {n + 1}",
                    address=f"{rng.randint(1, 90)} {scheme.name}",
                    postcode=f"{district} {rng.randint(1, 9)}{rng.choice(LETTERS)}"
                    f"{rng.choice(LETTERS)}",
                    zone=scheme.zone,
                    kind=rules.SELF_CONTAINED if flats else rules.SHARED,
                    step_free=flats or rng.random() < 0.4,
                    wheelchair_accessible=rng.random() < 0.3,
                    ground_floor_bedroom=rng.random() < 0.5,
                    adapted_bathroom=rng.random() < 0.3,
                    latitude=Decimal(f"{lat + rng.uniform(-0.04, 0.04):.5f}"),
                    longitude=Decimal(f"{lon + rng.uniform(-0.06, 0.06):.5f}"),
                    council_pays_voids=rng.random() < 0.35,
                )
            )
    return Property.objects.bulk_create(made)


def _rooms(properties: list[Property], moment: datetime, rng) -> int:  # type: ignore[no-untyped-def]
    """Most rooms occupied; some vacant (a few long voids, a few stale), a few unavailable."""
    today = clock.local(moment).date()
    per_scheme: dict[int, list[Property]] = {}
    for prop in properties:
        per_scheme.setdefault(prop.scheme_id, []).append(prop)
    rooms = []
    for props in per_scheme.values():
        total = props[0].scheme.rooms
        for i in range(total):
            prop = props[i % len(props)]
            roll = rng.random()
            room = Room(property=prop, name=f"Room {i + 1}", last_confirmed_at=moment)
            if roll < 0.22 or i == 0:
                room.status = rules.VACANT
                room.void_since = today - timedelta(days=rng.choice([3, 12, 30, 60, 95, 140]))
                if rng.random() < 0.3:  # not confirmed for 15 to 40 days: stale
                    room.last_confirmed_at = moment - timedelta(days=rng.randint(15, 40))
                else:
                    room.last_confirmed_at = moment - timedelta(days=rng.randint(0, 10))
            elif roll < 0.27:
                room.status = rules.UNAVAILABLE
                room.void_since = today - timedelta(days=rng.randint(10, 120))
                room.unavailable_reason = rng.choice(
                    ["Repairs to the bathroom", "Adaptations being fitted", "Fire door works"]
                )
            else:
                room.status = rules.OCCUPIED
                room.last_confirmed_at = moment - timedelta(days=rng.randint(0, 30))
            rooms.append(room)
    made = Room.objects.bulk_create(rooms)
    RoomStatusChange.objects.bulk_create(
        RoomStatusChange(
            room=r,
            status=r.status,
            effective_from=r.void_since or today - timedelta(days=200),
            reason=r.unavailable_reason,
            at=r.last_confirmed_at,
        )
        for r in made
    )
    return len(made)


def _holds(staffs: Commissioner, moment: datetime) -> int:
    """One hold through the real service, made five hours ago: the open mental health
    referral, in a group 1 room. The other open referral is left for the README's walk."""
    broker = User.objects.get(username="staffs.broker")
    referral = (
        Referral.objects.filter(
            commissioner=staffs, service_type__code="supported-living", band__level="high"
        )
        .filter(state__in=["submitted", "offered", "awaiting_care"])
        .order_by("pk")
        .first()
    )
    if referral is None:
        return 0
    room = (
        Room.objects.available(moment)
        .filter(
            property__scheme__commissioner=staffs,
            property__scheme__groups__code="1",
            property__scheme__serves_high=True,
        )
        .order_by("pk")
        .first()
    )
    if room is None:
        return 0
    with clock.frozen_at(moment - timedelta(hours=5)):
        holds.hold(referral.pk, room.pk, by=broker, group="1", note="Demo hold")
    return 1
