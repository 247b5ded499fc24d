"""Staffordshire County Council: the Supported Living Flexible Framework.

From seed 004: one lot for Group 1 (specialist mental health) and three geographical lots for
Groups 2 and 3; 5 years plus up to 3; re-opening at the council's discretion; banded weekly
rates (low, medium, high, very high) from typical hours and a sustainable hourly rate;
call-off contracts by competition for a scheme or an individual; Group 2 block call-offs across
schemes up to a maximum; applications August to October 2023, appointment March 2024.
The band hours and rates, the block maximum, the weights and the re-opening window are
assumptions, listed in docs/demo-data.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from caremarket.demo.factory import Factory
from caremarket.demo.geography import STAFFORDSHIRE_GEOGRAPHIC_LOTS
from caremarket.demo.names import NameMaker
from caremarket.frameworks.models import Band, EntryWindow, ExtensionOption, Framework, Lot
from caremarket.market.models import Commissioner

# Assumption: typical weekly hours per band, and a sustainable hourly rate reviewed each April.
BAND_HOURS = {
    "low": Decimal("10"),
    "medium": Decimal("21"),
    "high": Decimal("42"),
    "very_high": Decimal("84"),
}
HOURLY_RATES = (
    (date(2024, 3, 1), Decimal("23.40")),
    (date(2025, 4, 1), Decimal("24.60")),
    (date(2026, 4, 1), Decimal("25.70")),
)
GROUP1_PROVIDERS = 5  # seed 004, table 1
GEOGRAPHIC_PROVIDERS = 32  # assumption, within the seed's 13 (Group 2) + 45 (Group 3) range


def build(staffs: Commissioner, f: Factory, names: NameMaker, as_of: date) -> dict[str, object]:
    zones = {z.number: z for z in staffs.zones.all()}
    start = date(2024, 3, 1)
    framework = Framework.objects.create(
        commissioner=staffs,
        name="Supported Living Flexible Framework",
        slug="supported-living",
        reference="SCC-SLFF",
        description="Supported living care commissioned by outcomes at banded weekly rates. "
        "Appointed providers bid for call-off contracts for a scheme or an individual.",
        kind=Framework.Kind.FLEXIBLE_FRAMEWORK,
        start_date=start,
        end_date=date(2029, 2, 28),
        route_to_market=Framework.Route.CALL_OFF,
        award_rule=Framework.AwardRule.WEIGHTED,
        quality_weight=Decimal("60"),
        price_weight=Decimal("40"),
        pricing_model=Framework.PricingModel.BANDED_WEEKLY_RATE,
        offer_window_hours=240,
        urgent_offer_window_hours=72,
        reopening_allowed=True,
        bids_capped_at_band_rate=True,
        max_schemes_per_block=5,
    )
    ExtensionOption.objects.create(framework=framework, sequence=1, months=36)
    EntryWindow.objects.create(
        framework=framework,
        opens=date(2023, 8, 1),
        closes=date(2023, 10, 31),
        contracts_commence=start,
    )
    # Assumption: a re-opening running now, so the demo shows an open window.
    EntryWindow.objects.create(
        framework=framework,
        opens=as_of - timedelta(days=14),
        closes=as_of + timedelta(days=42),
        contracts_commence=as_of + timedelta(days=120),
    )
    for effective_from, rate in HOURLY_RATES:
        for level, hours in BAND_HOURS.items():
            Band.objects.create(
                framework=framework,
                level=level,
                typical_hours_per_week=hours,
                hourly_rate=rate,
                effective_from=effective_from,
            )
    supported_living = f.ref.service_types["supported-living"]
    mh = Lot.objects.create(
        framework=framework,
        number=1,
        name="Group 1: specialist mental health",
        description="Supported living with specialist mental health support.",
    )
    mh.service_types.set([supported_living])
    mh.care_groups.set([f.ref.care_groups["MH"]])
    mh.zones.set(zones.values())
    geographic = []
    for number, (area, zone_numbers) in enumerate(STAFFORDSHIRE_GEOGRAPHIC_LOTS.items(), start=2):
        lot = Lot.objects.create(
            framework=framework,
            number=number,
            name=f"Groups 2 and 3: {area}",
            description=f"Schemes in the {area.lower()} of the county.",
        )
        lot.service_types.set([supported_living])
        lot.care_groups.set([f.ref.care_groups[c] for c in ("LD", "AUT", "PD", "MH")])
        lot.zones.set([zones[n] for n in zone_numbers])
        geographic.append(lot)
    providers = []
    for i in range(GROUP1_PROVIDERS):
        home = zones[f.rng.randint(1, 8)]
        provider = f.provider(
            names.make("living"),
            services=["supported-living"],
            care_groups=["MH"],
            specialisms=["mental-health"] + (["complex-behaviour"] if i % 2 else []),
            town=home.towns.first().name,
            postcode_district=home.postcode_areas.order_by("code").first().code,
            regulated=True,
        )
        f.appoint(provider, mh, list(zones.values()), appointed_on=start)
        providers.append(provider)
    for _ in range(GEOGRAPHIC_PROVIDERS):
        lots = f.rng.sample(geographic, f.rng.choice([1, 1, 1, 2, 3]))
        home = zones[f.rng.choice(list(lots[0].zones.values_list("number", flat=True)))]
        provider = f.provider(
            names.make("living"),
            services=["supported-living"],
            care_groups=sorted(f.rng.sample(["LD", "AUT", "PD", "MH"], 2)),
            specialisms=[s for s in ("complex-behaviour", "mental-health") if f.rng.random() < 0.3],
            town=home.towns.first().name,
            postcode_district=home.postcode_areas.order_by("code").first().code,
            regulated=True,
        )
        for lot in lots:
            f.appoint(provider, lot, list(lot.zones.all()), appointed_on=start)
        providers.append(provider)
    return {"framework": framework, "lots": [mh, *geographic], "providers": providers}
