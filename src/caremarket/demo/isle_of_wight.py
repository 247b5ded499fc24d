"""Isle of Wight Council: home care from 2021 to 2029 through lead providers per locality.

From seed 001: a prime-provider model linked to each locality; three lead providers; each must
subcontract at least 30% of the work referred to it to other local providers; the council pays
a fixed unit price, £19.28 an hour, set by an annual fee review; 8 years from 1 February 2021
with up to 2 more at the council's discretion. The lead providers' real names are in the seed;
the demo uses fictitious ones.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caremarket.demo.factory import Factory
from caremarket.demo.names import NameMaker
from caremarket.frameworks.models import CommissionerRate, ExtensionOption, Framework, Lot
from caremarket.market.models import Commissioner

LEADS = ("Wight Shores Home Care", "Solent Care Collective", "Undercliff Care Partners")
SUBCONTRACTORS_PER_LEAD = 4  # assumption: "other local providers"


def build(iow: Commissioner, f: Factory, names: NameMaker) -> dict[str, object]:
    localities = list(iow.zones.order_by("number"))
    start = date(2021, 2, 1)
    framework = Framework.objects.create(
        commissioner=iow,
        name="Home care 2021 to 2029",
        slug="home-care-2021",
        reference="IWC-HC-2021",
        description="Outcome-focused home care through a lead provider in each locality. Each "
        "lead subcontracts at least 30% of the work referred to it to other local providers. "
        "Paid at a fixed hourly price for care delivered and evidenced.",
        kind=Framework.Kind.PRIME_PROVIDER,
        start_date=start,
        end_date=date(2029, 1, 31),
        route_to_market=Framework.Route.PRIME_PROVIDER,
        award_rule=Framework.AwardRule.FIRST_TO_ACCEPT,
        pricing_model=Framework.PricingModel.FIXED_RATE,
        offer_window_hours=24,
        urgent_offer_window_hours=4,
        award_before_window_closes=True,
        min_subcontract_share=Decimal("30"),
    )
    ExtensionOption.objects.create(framework=framework, sequence=1, months=24)
    CommissionerRate.objects.create(
        framework=framework,
        unit="hour",
        amount=Decimal("19.28"),
        effective_from=start,
        basis="Annual fee review: evidenced cost pressures, CPI and the National Living Wage.",
    )
    lot = Lot.objects.create(
        framework=framework,
        number=1,
        name="Home care",
        description="Care and support in people's own homes.",
    )
    lot.service_types.set([f.ref.service_types["personal-care"]])
    lot.care_groups.set([f.ref.care_groups[c] for c in ("OP", "OPMH", "PD", "LD", "MH")])
    lot.zones.set(localities)
    leads = []
    for name, locality in zip(LEADS, localities, strict=True):
        lead = f.provider(
            names.reserve(name),
            services=["personal-care"],
            care_groups=["OP", "OPMH", "PD"],
            specialisms=["double-handed", "end-of-life"],
            town=locality.towns.first().name,
            postcode_district=locality.postcode_areas.order_by("code").first().code,
            regulated=True,
            description=f"Lead provider for the {locality.name} locality (fictitious).",
        )
        prime = f.appoint(lead, lot, [locality], appointed_on=start, prime_zones=[locality])
        leads.append(prime)
        for _ in range(SUBCONTRACTORS_PER_LEAD):
            sub = f.provider(
                names.make("home"),
                services=["personal-care"],
                care_groups=sorted({"OP", f.rng.choice(["PD", "OPMH", "LD"])}),
                specialisms=[s for s in ("double-handed", "dementia") if f.rng.random() < 0.3],
                town=locality.towns.first().name,
                postcode_district=locality.postcode_areas.order_by("code").first().code,
                regulated=True,
            )
            f.panel(prime, sub, [locality], start)
    return {"framework": framework, "leads": leads}
