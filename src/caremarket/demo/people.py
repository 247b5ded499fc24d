"""Fictitious people for the demo's referrals: names, dates of birth and addresses that look
real and are not. Postcodes are drawn from the zone's own districts and checked against the
zone mapping, so every person lands in the zone the generator meant."""

from __future__ import annotations

import random
from datetime import date

from caremarket.brokerage.services.referrals import PersonInput
from caremarket.market.models import CareGroup, Zone
from caremarket.market.selectors import PostcodeNotCovered, zone_for_postcode

GIVEN = [
    "Alice",
    "Arthur",
    "Beryl",
    "Brian",
    "Carol",
    "Colin",
    "Dorothy",
    "Dennis",
    "Edith",
    "Eric",
    "Frances",
    "Frank",
    "Gwen",
    "Harold",
    "Irene",
    "Ivor",
    "Joan",
    "John",
    "Kath",
    "Keith",
    "Lily",
    "Leonard",
    "Margaret",
    "Malcolm",
    "Nora",
    "Norman",
    "Olive",
    "Peter",
    "Rita",
    "Roy",
    "Sylvia",
    "Stanley",
    "Tom",
    "Vera",
    "Walter",
    "Amir",
    "Chloe",
    "Daniel",
    "Ellie",
    "Jay",
    "Kai",
    "Leah",
    "Mohammed",
    "Priya",
    "Ryan",
    "Sophie",
    "Zara",
]
FAMILY = [
    "Ashworth",
    "Bennett",
    "Chambers",
    "Dart",
    "Endacott",
    "Ford",
    "Gill",
    "Harris",
    "Isaac",
    "Jewell",
    "Kingdon",
    "Luscombe",
    "Mudge",
    "Northcott",
    "Osborne",
    "Pengelly",
    "Quick",
    "Rowe",
    "Stevens",
    "Tucker",
    "Uglow",
    "Vosper",
    "Westaway",
    "Yeo",
    "Coombes",
    "Hext",
    "Lang",
    "Snell",
    "Widdicombe",
    "Bolt",
]
STREETS = [
    "Fore Street",
    "Mill Lane",
    "Church Road",
    "Station Road",
    "Orchard Close",
    "Meadow View",
    "Quay Road",
    "Park Avenue",
    "Chapel Street",
    "Moor View",
]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def birth_date(rng: random.Random, care_group: str, today: date) -> date:
    low, high = (67, 98) if care_group in ("OP", "OPMH") else (19, 64)
    return date(today.year - rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28))


def postcode_in(rng: random.Random, zone: Zone) -> str:
    areas = [a.code for a in zone.postcode_areas.all()]
    for _ in range(50):
        area = rng.choice(areas)
        sector = area.split(" ")[1] if " " in area else str(rng.randint(1, 9))
        code = f"{area.split(' ')[0]} {sector}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
        try:
            if zone_for_postcode(zone.commissioner, code)[1].pk == zone.pk:
                return code
        except PostcodeNotCovered:
            continue
    raise RuntimeError(f"no postcode found for {zone}")


def person(rng: random.Random, zone: Zone, care_group: CareGroup, today: date) -> PersonInput:
    town = rng.choice(list(zone.towns.all())).name
    return PersonInput(
        given_name=rng.choice(GIVEN),
        family_name=rng.choice(FAMILY),
        date_of_birth=birth_date(rng, care_group.code, today),
        address=f"{rng.randint(1, 140)} {rng.choice(STREETS)}, {town}",
        postcode=postcode_in(rng, zone),
        care_group=care_group,
        unpaid_carer=rng.random() < 0.4,
        phone=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
    )
