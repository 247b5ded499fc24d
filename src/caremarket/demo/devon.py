"""Devon County Council: Supporting Independence, Living Well at Home, replacement care.

From the seeds: 8 zones and their towns; Supporting Independence is an open framework of two
lots (group based; individualised) with annual spring entry points and contracts from
October, providers choosing zones and a price per zone; 105 day-opportunity providers on
Lot 1 (seed 003); people supported by care group (seed 000); Living Well at Home with a prime
for zones 1-3, the council coordinating zones 4-7 and a prime for zone 8 (seed 002); a
replacement care list opened by invitation in August (seed 003). Everything else (names,
prices, quality scores, how many providers on Lot 2) is an assumption, listed in
docs/demo-data.md.

Living Well at Home, with its primes and their panels, is in ``devon_living_well.py``; how a
Devon provider is appointed and priced zone by zone, shared by all three, in
``devon_providers.py``.
"""

from __future__ import annotations

from datetime import date

from caremarket.demo.devon_living_well import living_well_at_home
from caremarket.demo.devon_providers import appoint_with_prices, district
from caremarket.demo.factory import Factory
from caremarket.demo.names import NameMaker
from caremarket.frameworks.models import EntryWindow, ExtensionOption, Framework, Lot
from caremarket.market.models import Commissioner, Zone

# Seed 000, 21 Aug 2019: people in group-based care by care group, used as weights.
GROUP_CARE_MIX = {"OP": 369, "OPMH": 2, "PD": 85, "LD": 200, "MH": 12, "AUT": 8}
# Seed 000, 21 Aug 2019: people with support in their own homes by care group.
INDIVIDUAL_CARE_MIX = {"OP": 352, "OPMH": 28, "PD": 231, "LD": 1180, "MH": 255, "AUT": 145}

SI_LOT1_PROVIDERS = 105  # seed 003, 3.6.2
SI_LOT2_PROVIDERS = 90  # assumption
REPLACEMENT_CARE_PROVIDERS = 20  # assumption


def contract_year(as_of: date) -> int:
    """The year of the October that began the current contract year."""
    return as_of.year if as_of.month >= 10 else as_of.year - 1


def build(devon: Commissioner, f: Factory, names: NameMaker, as_of: date) -> dict[str, object]:
    zones = {z.number: z for z in devon.zones.all()}
    year = contract_year(as_of)
    si = _supporting_independence(devon, zones, f, names, year)
    lwah = living_well_at_home(devon, zones, f, names, year)
    replacement = _replacement_care(devon, zones, f, names, year)
    return {"si": si, "lwah": lwah, "replacement": replacement}


def _pick_zones(f: Factory, zones: dict[int, Zone], most: int) -> list[Zone]:
    """Adjacent zones, as a provider working from one base would choose."""
    first = f.rng.randint(1, 8)
    count = f.rng.randint(1, most)
    return [zones[(first - 1 + i) % 8 + 1] for i in range(count)]


def _weighted_groups(f: Factory, mix: dict[str, int], count: int) -> list[str]:
    codes = list(mix)
    chosen = set(f.rng.choices(codes, weights=list(mix.values()), k=count))
    return sorted(chosen)


def _supporting_independence(
    devon: Commissioner, zones: dict[int, Zone], f: Factory, names: NameMaker, year: int
) -> Framework:
    start = date(year - 3, 10, 1)
    framework = Framework.objects.create(
        commissioner=devon,
        name="Supporting Independence",
        slug="supporting-independence",
        reference="DCC-SI",
        description="Unregulated care and support for all care groups, in two lots over the 8 "
        "zones. Providers choose their zones and set a price per zone. All new business is "
        "offered to framework providers first.",
        kind=Framework.Kind.OPEN_FRAMEWORK,
        start_date=start,
        end_date=date(year + 2, 9, 30),
        route_to_market=Framework.Route.FRAMEWORK_FIRST,
        award_rule=Framework.AwardRule.PERSON_CHOICE,
        pricing_model=Framework.PricingModel.PROVIDER_ZONE_PRICE,
        offer_window_hours=72,
        urgent_offer_window_hours=8,
        reopening_allowed=True,
    )
    for seq in (1, 2):
        ExtensionOption.objects.create(framework=framework, sequence=seq, months=12)
    windows = [
        EntryWindow.objects.create(
            framework=framework,
            opens=date(y, 3, 1),
            closes=date(y, 5, 31),
            contracts_commence=date(y, 10, 1),
        )
        for y in range(year - 2, year + 3)
    ]
    entry_dates = [start] + [w.contracts_commence for w in windows if w.opens.year <= year]
    all_groups = list(f.ref.care_groups)
    lot1 = Lot.objects.create(
        framework=framework,
        number=1,
        name="Group based care and support",
        description="Day opportunities, including building-based day care.",
    )
    lot1.service_types.set([f.ref.service_types["group-day-opportunity"]])
    lot2 = Lot.objects.create(
        framework=framework,
        number=2,
        name="Individualised care and support",
        description="Care through the front door: support that is not regulated personal care.",
    )
    lot2.service_types.set([f.ref.service_types["individualised-support"]])
    for lot in (lot1, lot2):
        lot.care_groups.set([f.ref.care_groups[c] for c in all_groups])
        lot.zones.set(zones.values())

    lot1_providers = []
    for _ in range(SI_LOT1_PROVIDERS):
        groups = _weighted_groups(f, GROUP_CARE_MIX, 3)
        town_zone = zones[f.rng.randint(1, 8)]
        provider = f.provider(
            names.make("day"),
            services=["group-day-opportunity"],
            care_groups=groups,
            town=town_zone.towns.first().name,
            postcode_district=district(town_zone),
        )
        lot1_providers.append(provider)
        appoint_with_prices(
            f,
            provider,
            lot1,
            _pick_zones(f, zones, 3),
            entry_dates,
            unit="session",
            low=34,
            high=62,
            year=year,
        )
    # A quarter of Lot 2 are Lot 1 providers extending into individualised support.
    crossover = f.rng.sample(lot1_providers, SI_LOT2_PROVIDERS // 4)
    for provider in crossover:
        provider.service_types.add(f.ref.service_types["individualised-support"])
    for i in range(SI_LOT2_PROVIDERS):
        if i < len(crossover):
            provider = crossover[i]
        else:
            groups = _weighted_groups(f, INDIVIDUAL_CARE_MIX, 3)
            specialisms = [
                s for s in ("mental-health", "complex-behaviour") if f.rng.random() < 0.2
            ]
            town_zone = zones[f.rng.randint(1, 8)]
            provider = f.provider(
                names.make("support"),
                services=["individualised-support"],
                care_groups=groups,
                specialisms=specialisms,
                town=town_zone.towns.first().name,
                postcode_district=district(town_zone),
            )
        appoint_with_prices(
            f,
            provider,
            lot2,
            _pick_zones(f, zones, 4),
            entry_dates,
            unit="hour",
            low=19.5,
            high=26.5,
            year=year,
        )
    return framework


def _replacement_care(
    devon: Commissioner, zones: dict[int, Zone], f: Factory, names: NameMaker, year: int
) -> Framework:
    start = date(year - 2, 10, 31)
    framework = Framework.objects.create(
        commissioner=devon,
        name="Replacement care list",
        slug="replacement-care",
        reference="DCC-RC",
        description="Day and night sitting so that unpaid carers can take a break. Providers "
        "join by invitation each August; the list is operational from 31 October.",
        kind=Framework.Kind.APPROVED_LIST,
        start_date=start,
        end_date=date(year + 3, 10, 30),
        route_to_market=Framework.Route.FRAMEWORK_FIRST,
        award_rule=Framework.AwardRule.FIRST_TO_ACCEPT,
        pricing_model=Framework.PricingModel.PROVIDER_ZONE_PRICE,
        offer_window_hours=48,
        urgent_offer_window_hours=6,
        award_before_window_closes=True,
        reopening_allowed=True,
    )
    for y in range(year - 2, year + 2):
        EntryWindow.objects.create(
            framework=framework,
            opens=date(y, 8, 1),
            closes=date(y, 8, 31),
            contracts_commence=date(y, 10, 31),
        )
    lot = Lot.objects.create(framework=framework, number=1, name="Day and night sitting")
    lot.service_types.set(
        [f.ref.service_types["replacement-care-day"], f.ref.service_types["replacement-care-night"]]
    )
    lot.care_groups.set(f.ref.care_groups.values())
    lot.zones.set(zones.values())
    for _ in range(REPLACEMENT_CARE_PROVIDERS):
        chosen = _pick_zones(f, zones, 3)
        provider = f.provider(
            names.make("sitting"),
            services=["replacement-care-day", "replacement-care-night"],
            care_groups=sorted(f.rng.sample(["OP", "OPMH", "PD", "LD"], 2)),
            town=chosen[0].towns.first().name,
            postcode_district=district(chosen[0]),
        )
        appointment = f.appoint(provider, lot, chosen, appointed_on=start)
        day, night = f.money(19, 25), f.money(105, 160)
        for zone in chosen:
            f.price(appointment, zone, "hour", day, start)
            f.price(appointment, zone, "night", night, start)
    return framework
