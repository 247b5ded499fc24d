"""The demo's part: Market sufficiency: population, action plan, statement narrative (issue 13).

Called by builder.build after the market and brokerage are built; returns counts for the
build report. Deterministic for a seed and date. Written with bulk_create (a few hundred
rows): it runs in every test session's demo build.

For Devon: a population by age band and sex for the demo year and the ten after it, a
prevalence table for older people (every rate an ASSUMPTION, labelled so: POPPI's tables
were NOT FOUND), the dashboard's parameters (20 hours a worker, implied by seed 002), and a
published statement with narrative and an action plan whose actions are seed 003's and
seed 000's own. Staffordshire gets a published statement too (its residents by group and
band, seed 004, come from the rooms part). docs/demo-data.md traces each figure.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from caremarket.frameworks.models import Appointment
from caremarket.insight.models import (
    DAY_SERVICE,
    REPLACEMENT_SERVICES,
    ActionPlanItem,
    DayServiceStatus,
    Narrative,
    PopulationCount,
    PrevalenceRate,
    Sector,
    Statement,
    SufficiencyParameters,
)
from caremarket.market.models import CareGroup, Commissioner, ServiceType
from caremarket.providers.models import CapacityDeclaration

# Assumed (not ONS figures): people in Devon by band and sex in the base year, growing by
# the yearly rate beside them. Labelled as assumptions on the page (the rates) and here.
POPULATION = {
    "18-64": (210_000, 205_000, Decimal("0.000")),
    "65-69": (27_400, 25_900, Decimal("0.010")),
    "70-74": (26_800, 24_700, Decimal("0.012")),
    "75-79": (22_300, 19_600, Decimal("0.025")),
    "80-84": (15_100, 12_200, Decimal("0.030")),
    "85-89": (9_300, 6_600, Decimal("0.032")),
    "90+": (6_100, 3_200, Decimal("0.035")),
}
# Assumed rates per 100 needing home care (OP) and with a learning disability (LD).
RATES = {
    ("OP", "65-69"): Decimal("0.8"),
    ("OP", "70-74"): Decimal("1.2"),
    ("OP", "75-79"): Decimal("2.0"),
    ("OP", "80-84"): Decimal("3.5"),
    ("OP", "85-89"): Decimal("6.0"),
    ("OP", "90+"): Decimal("10.0"),
    ("LD", "18-64"): Decimal("0.46"),  # Emerson & Hatton's administrative prevalence, all ages
}
ACTIONS = [
    (
        Sector.CARE_HOMES,
        "Preparation of a Market Development Plan",
        "Care home stratification to understand business critical homes. Develop market "
        "sufficiency dashboard to include close monitoring of vacancies and gaps in provision.",
        "Developed and supported market; provider failure averted.",
        "End of September",
        "Commissioners",
        ActionPlanItem.Status.IN_PROGRESS,
    ),
    (
        Sector.HOME_CARE,
        "Reassessment of demand profiles",
        "Review placement activity and analyse trends over past 6-12 months to inform demand "
        "profiles at locality level.",
        "Demand understood resulting in an informed market development strategy and plan.",
        "Middle of September",
        "Commissioners",
        ActionPlanItem.Status.DONE,
    ),
    (
        Sector.REPLACEMENT_CARE,
        "Invitation to providers to join a list of services offering replacement care",
        "Development of list; streamlining of process.",
        "First countywide list, optimising potential and a basis for market development.",
        "Operational from 31 October",
        "Commissioners / Business Relations Team",
        ActionPlanItem.Status.NOT_STARTED,
    ),
    (
        Sector.DAY_OPPORTUNITIES,
        "Support to day opportunities",
        "Plans, 1:1 with providers.",
        "Providers open, adapt or close in a managed way.",
        "September",
        "Commissioners",
        ActionPlanItem.Status.IN_PROGRESS,
    ),
    (
        Sector.SUPPORTED_LIVING,
        "A sufficient market that supports all care groups",
        "Understand demand and supply across the county through the data platform and robust "
        "contract monitoring.",
        "Sufficient supply for people with more complex needs.",
        "Ongoing",
        "Commissioners / Procurement",
        ActionPlanItem.Status.IN_PROGRESS,
    ),
]
NARRATIVE = {
    Sector.HOME_CARE: "Unmet need by zone is shown below from the awaiting-care list. "
    "(Demo narrative, written for the demonstration.)",
    Sector.CARE_HOMES: "Vacancy rates by locality and specialism come from the homes' monthly "
    "returns. (Demo narrative.)",
    Sector.SUPPORTED_LIVING: "Rooms and available rooms by lot come from the supported living "
    "register. (Demo narrative.)",
    Sector.DAY_OPPORTUNITIES: "Day opportunities providers' status is reviewed monthly. "
    "(Demo narrative.)",
    Sector.REPLACEMENT_CARE: "Demand for replacement care (day and night sitting) is rising. "
    "(Demo narrative.)",
}


def build(*, as_of: date, moment: datetime, seed: int) -> dict[str, int]:
    counts = {"population": 0, "rates": 0, "statements": 0, "actions": 0}
    counts |= {"day_statuses": 0, "replacement_capacity": 0}
    devon = Commissioner.objects.filter(slug="devon").first()
    if devon is not None:
        counts["population"] = _population(devon, as_of.year)
        counts["rates"] = _rates(devon)
        SufficiencyParameters.objects.get_or_create(commissioner=devon)
        rng = random.Random(seed * 13 + 1)
        counts["day_statuses"] = _day_statuses(devon, as_of, moment, rng)
        counts["replacement_capacity"] = _replacement_capacity(devon, as_of, moment, rng)
    for commissioner in Commissioner.objects.filter(slug__in=["devon", "staffordshire"]):
        statement = Statement.objects.create(
            commissioner=commissioner,
            title=f"{commissioner.name}: Market Sufficiency Statement {as_of:%B %Y}",
            as_of=as_of,
            introduction="This statement is generated from the platform's records; the "
            "narrative is the commissioner's. (Demo statement.)",
            status=Statement.Status.PUBLISHED,
            published_at=moment,
        )
        Narrative.objects.bulk_create(
            Narrative(statement=statement, sector=sector, text=NARRATIVE[sector])
            for sector in Sector.values
        )
        ActionPlanItem.objects.bulk_create(
            ActionPlanItem(
                statement=statement,
                sector=sector,
                action=action,
                activities=acts,
                impact=impact,
                timescale=when,
                owner=owner,
                status=status,
                order=n,
            )
            for n, (sector, action, acts, impact, when, owner, status) in enumerate(ACTIONS)
        )
        counts["statements"] += 1
        counts["actions"] += len(ACTIONS)
    return counts


def _population(devon: Commissioner, base_year: int) -> int:
    rows = []
    for band, (female, male, growth) in POPULATION.items():
        for offset in range(11):
            factor = (1 + growth) ** offset
            for sex, count in (("female", female), ("male", male)):
                rows.append(
                    PopulationCount(
                        commissioner=devon,
                        area=devon.ons_code or "E10000008",
                        age_band=band,
                        sex=sex,
                        year=base_year + offset,
                        count=int(count * factor),
                    )
                )
    PopulationCount.objects.bulk_create(rows)
    return len(rows)


def _rates(devon: Commissioner) -> int:
    groups = {g.code: g for g in CareGroup.objects.filter(code__in={c for c, _ in RATES})}
    rows = [
        PrevalenceRate(
            commissioner=devon,
            care_group=groups[code],
            age_band=band,
            sex="all",
            per_hundred=rate,
            assumption=True,
            source="ASSUMPTION for the demo: POPPI/PANSI rate tables NOT FOUND"
            if code == "OP"
            else "Emerson & Hatton (2004) 0.46% administrative prevalence, "
            "applied to every band: an ASSUMPTION",
        )
        for (code, band), rate in RATES.items()
        if code in groups
    ]
    PrevalenceRate.objects.bulk_create(rows)
    return len(rows)


# Assumed (seed 003 reports day opportunities at risk but not how many): of Devon's day
# opportunity services, this many are recorded at risk, reduced and closed; the rest open.
DAY_STATUS_MIX = (("at_risk", 7), ("reduced", 4), ("closed", 2))


def _day_statuses(devon: Commissioner, as_of: date, moment: datetime, rng: random.Random) -> int:
    """Every Devon day opportunity service recorded open from its appointment; a few (the
    mix above, an assumption) then recorded at risk, reduced or closed in the last months."""
    services = list(
        Appointment.objects.live(as_of)
        .filter(lot__framework__commissioner=devon, lot__service_types__code=DAY_SERVICE)
        .distinct()
        .order_by("pk")
    )
    rows = [
        DayServiceStatus(
            commissioner=devon,
            appointment=a,
            status="open",
            effective_from=a.appointed_on,
            recorded_at=moment,
        )
        for a in services
    ]
    chosen = rng.sample(services, min(len(services), sum(n for _, n in DAY_STATUS_MIX)))
    for status, n in DAY_STATUS_MIX:
        for a in chosen[:n]:
            since = max(
                a.appointed_on + timedelta(days=1), as_of - timedelta(days=rng.randint(7, 120))
            )
            note = (
                "Assumed demo status: "
                + {
                    "at_risk": "staff shortage and low attendance.",
                    "reduced": "open three days a week.",
                    "closed": "provider closed the service.",
                }[status]
            )
            rows.append(
                DayServiceStatus(
                    commissioner=devon,
                    appointment=a,
                    status=status,
                    effective_from=min(since, as_of),
                    note=note,
                    recorded_at=moment,
                )
            )
        chosen = chosen[n:]
    return len(DayServiceStatus.objects.bulk_create(rows))


def _replacement_capacity(
    devon: Commissioner, as_of: date, moment: datetime, rng: random.Random
) -> int:
    """Assumed: each replacement care provider declares day-sitting hours and nights a week
    in each zone it covers (no seed gives the list's capacity)."""
    services = dict(
        ServiceType.objects.filter(code__in=REPLACEMENT_SERVICES).values_list("code", "pk")
    )
    rows = []
    for a in (
        Appointment.objects.live(as_of)
        .filter(
            lot__framework__commissioner=devon, lot__service_types__code__in=REPLACEMENT_SERVICES
        )
        .distinct()
        .prefetch_related("zones")
        .order_by("pk")
    ):
        for zone in a.zones.all():
            for code, low, high in (
                ("replacement-care-day", 4, 20),
                ("replacement-care-night", 1, 4),
            ):
                rows.append(
                    CapacityDeclaration(
                        provider_id=a.provider_id,
                        zone=zone,
                        service_type_id=services[code],
                        hours_per_week=Decimal(rng.randint(low, high)),
                        valid_from=as_of - timedelta(days=30),
                        declared_at=moment,
                    )
                )
    return len(CapacityDeclaration.objects.bulk_create(rows))
