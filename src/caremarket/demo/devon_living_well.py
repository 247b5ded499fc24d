"""Devon's Living Well at Home: regulated personal care bought through prime providers.

From seed 002: a prime provider manages a subcontracted market in zones 1-3, another in zone
8, and the council with the NHS coordinates zones 4-7 directly, with awards weighted 60%
quality and 40% price. The primes' panels and the coordinated providers are assumptions
(docs/demo-data.md). Kept apart from ``devon.py`` because it is the one Devon framework with
primes and panels, the shape the brokerage demo's prime-provider referrals rely on.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caremarket.demo.devon_providers import RURAL_UPLIFT, appoint_with_prices, district
from caremarket.demo.factory import Factory
from caremarket.demo.names import NameMaker
from caremarket.frameworks.models import ExtensionOption, Framework, Lot
from caremarket.market.models import Commissioner, Zone

LWAH_COORDINATED_PROVIDERS = 30  # assumption: providers DCC coordinates in zones 4-7


def living_well_at_home(
    devon: Commissioner, zones: dict[int, Zone], f: Factory, names: NameMaker, year: int
) -> Framework:
    start = date(year - 3, 8, 1)
    framework = Framework.objects.create(
        commissioner=devon,
        name="Living Well at Home",
        slug="living-well-at-home",
        reference="DCC-LWAH",
        description="Regulated personal care. Prime providers manage a subcontracted market in "
        "zones 1-3 and zone 8; the council and the NHS coordinate zones 4-7 directly.",
        kind=Framework.Kind.PRIME_PROVIDER,
        start_date=start,
        end_date=date(year + 2, 7, 31),
        route_to_market=Framework.Route.PRIME_PROVIDER,
        award_rule=Framework.AwardRule.WEIGHTED,
        quality_weight=Decimal("60"),
        price_weight=Decimal("40"),
        pricing_model=Framework.PricingModel.PROVIDER_ZONE_PRICE,
        offer_window_hours=24,
        urgent_offer_window_hours=4,
        award_before_window_closes=True,
        min_subcontract_share=Decimal("30"),
    )
    ExtensionOption.objects.create(framework=framework, sequence=1, months=24)
    lot = Lot.objects.create(
        framework=framework,
        number=1,
        name="Regulated personal care",
        description="Home care: personal care and support at home.",
    )
    lot.service_types.set([f.ref.service_types["personal-care"]])
    lot.care_groups.set([f.ref.care_groups[c] for c in ("OP", "OPMH", "PD", "LD", "MH")])
    lot.zones.set(zones.values())

    north = f.provider(
        names.reserve("Northern Devon Care Partnership"),
        services=["personal-care"],
        care_groups=["OP", "OPMH", "PD", "MH"],
        specialisms=["double-handed", "end-of-life"],
        town="Barnstaple",
        postcode_district="EX31",
        regulated=True,
        description="Prime provider for zones 1 to 3 (fictitious).",
    )
    moor = f.provider(
        names.reserve("Dartmoor Care Alliance"),
        services=["personal-care"],
        care_groups=["OP", "OPMH", "PD"],
        specialisms=["double-handed", "dementia"],
        town="Okehampton",
        postcode_district="EX20",
        regulated=True,
        description="Prime provider for zone 8 (fictitious).",
    )
    north_zones = [zones[1], zones[2], zones[3]]
    primes = [
        (
            f.appoint(
                north,
                lot,
                north_zones,
                appointed_on=start,
                prime_zones=north_zones,
                quality=Decimal("82.50"),
            ),
            north_zones,
            8,
        ),
        (
            f.appoint(
                moor,
                lot,
                [zones[8]],
                appointed_on=start,
                prime_zones=[zones[8]],
                quality=Decimal("78.00"),
            ),
            [zones[8]],
            4,
        ),
    ]
    for prime, prime_zones, panel_size in primes:
        for zone in prime_zones:
            f.price(
                prime, zone, "hour", f.money(23.5, 26) + RURAL_UPLIFT.get(zone.number, 0), start
            )
        for _ in range(panel_size):
            home = f.rng.choice(prime_zones)
            sub = f.provider(
                names.make("home"),
                services=["personal-care"],
                care_groups=["OP", "PD"],
                specialisms=[
                    s for s in ("double-handed", "end-of-life", "dementia") if f.rng.random() < 0.3
                ],
                town=home.towns.first().name,
                postcode_district=district(home),
                regulated=True,
            )
            f.panel(
                prime, sub, f.rng.sample(prime_zones, f.rng.randint(1, len(prime_zones))), start
            )
    coordinated = [zones[n] for n in (4, 5, 6, 7)]
    for _ in range(LWAH_COORDINATED_PROVIDERS):
        chosen = f.rng.sample(coordinated, f.rng.randint(1, 3))
        home = chosen[0]
        provider = f.provider(
            names.make("home"),
            services=["personal-care"],
            care_groups=sorted({"OP", *f.rng.sample(["OPMH", "PD", "LD", "MH"], 2)}),
            specialisms=[
                s
                for s in ("double-handed", "end-of-life", "dementia", "mental-health")
                if f.rng.random() < 0.3
            ],
            town=home.towns.first().name,
            postcode_district=district(home),
            regulated=True,
        )
        appoint_with_prices(
            f,
            provider,
            lot,
            chosen,
            [start, date(year - 1, 11, 11)],
            unit="hour",
            low=21.5,
            high=27.5,
            year=year,
        )
    return framework
