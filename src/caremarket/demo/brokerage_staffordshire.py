"""Staffordshire's brokerage history: supported living schemes and sealed-bid call-offs.

Staffordshire buys supported living by call-off: a competition for a scheme (its rooms) or for
one person, sealed bids scored by the published weights after the deadline. The demo shows one
competition at each stage (bids coming in, closed and part scored, awarded). The schemes, bids
and scores are assumptions (docs/demo-data.md). Kept apart from ``brokerage.py`` because
competitions are a different route from offers, with their own services and data.
"""

from __future__ import annotations

from decimal import Decimal

from caremarket.brokerage import routing
from caremarket.brokerage.models import Referral
from caremarket.brokerage.services import competitions
from caremarket.core import clock
from caremarket.demo.replay import Replay
from caremarket.frameworks.models import Framework, Lot
from caremarket.supported_living.models import Scheme

SCHEMES = {  # lot number -> [(name, zone number, rooms)]
    1: [("Hillcrest House", 3, 6), ("Trent View", 7, 5)],
    2: [("Kiln Lane", 1, 8), ("Moorland Court", 2, 6), ("Castle Mews", 3, 10)],
    3: [("Chase Gardens", 4, 7), ("Penk Close", 5, 4), ("Cathedral Walk", 6, 9)],
    4: [("Burton Wharf", 7, 12), ("Anker House", 8, 6), ("Fradley Row", 6, 5)],
}


def build(r: Replay) -> None:
    framework = Framework.objects.get(commissioner=r.commissioner)
    lots = {lot.number: lot for lot in framework.lots.all()}
    schemes = {
        name: Scheme.objects.create(
            commissioner=r.commissioner,
            name=name,
            zone=r.zones[zone],
            lot=lots[lot],
            rooms=rooms,
            address=f"{r.rng.randint(1, 60)} {name}",
            housing_provider=r.rng.choice(
                ["Stafford Homes Trust", "Midland Living Housing", "Keystone Registered Provider"]
            ),
        )
        for lot, rows in SCHEMES.items()
        for name, zone, rooms in rows
    }
    _competition(
        r,
        lots[2],
        [schemes["Kiln Lane"], schemes["Moorland Court"]],
        opened=40,
        closes=26,
        bids=3,
        scored=3,
        award=True,
        title="Block call-off: North schemes",
    )
    _competition(
        r,
        lots[3],
        [schemes["Chase Gardens"]],
        opened=20,
        closes=2,
        bids=3,
        scored=1,
        award=False,
        title="Chase Gardens care and support",
    )
    _competition(
        r,
        lots[4],
        [schemes["Burton Wharf"]],
        opened=3,
        closes=-11,
        bids=2,
        scored=0,
        award=False,
        title="Burton Wharf care and support",
    )
    person_open = r.raise_(
        r.at(2),
        3,
        "supported-living",
        band="high",
        group="MH",
        needs=("mental-health",),
        start_in=30,
        pattern=False,
    )
    _competition(
        r,
        lots[1],
        [],
        referral=person_open,
        opened=1.5,
        closes=-5,
        bids=1,
        scored=0,
        award=False,
        title="Specialist mental health support, Stafford",
    )
    person_done = r.raise_(
        r.at(35), 7, "supported-living", band="medium", group="LD", start_in=40, pattern=False
    )
    _competition(
        r,
        lots[4],
        [],
        referral=person_done,
        opened=34,
        closes=20,
        bids=2,
        scored=2,
        award=True,
        title="Supported living, Burton upon Trent",
    )
    r.raise_(
        r.at(0.3), 1, "supported-living", band="low", group="AUT", start_in=45, pattern=False
    )  # waiting for the broker to invite bids


def _competition(
    r: Replay,
    lot: Lot,
    schemes: list[Scheme],
    *,
    opened: float,
    closes: float,
    bids: int,
    scored: int,
    award: bool,
    title: str,
    referral: Referral | None = None,
) -> None:
    with clock.frozen_at(r.at(opened)):
        competition = competitions.open_competition(
            by=r.broker,
            lot=lot,
            title=title,
            deadline=r.at(closes, hour=17),
            schemes=schemes,
            referral=referral,
            band=None
            if referral
            else lot.framework.bands.filter(level="high").order_by("-effective_from").first(),
            contract_weeks=104,
        )
    cap = routing.cap_for(competition)
    bidders = list(lot.appointments.select_related("provider").order_by("provider__name"))
    r.rng.shuffle(bidders)
    harbour_or_demo = [a for a in bidders if a.provider.users.exists()]
    bidders = (harbour_or_demo + [a for a in bidders if a not in harbour_or_demo])[:bids]
    for i, appointment in enumerate(bidders):
        price = (cap or Decimal("900")) * Decimal(str(r.rng.uniform(0.86, 0.99)))
        with clock.frozen_at(r.at(opened - 0.5 - i * 0.3)):
            competitions.submit_bid(
                competition.pk,
                provider=appointment.provider,
                by=appointment.provider.users.first() or r.broker,
                weekly_price=price.quantize(Decimal("0.01")),
                answers={q["key"]: BID_ANSWERS[q["key"]] for q in competition.questions},
            )
    if scored:
        with clock.frozen_at(r.at(closes - 1) if closes > 1 else r.now):
            for bid in competition.bids.order_by("pk")[:scored]:
                competitions.evaluate(
                    bid.pk,
                    by=r.broker,
                    scores={
                        q["key"]: Decimal(r.rng.randint(55, 90)) for q in competition.questions
                    },
                )
    if award:
        with clock.frozen_at(r.at(closes - 2)):
            competitions.award_competition(competition.pk, by=r.broker)


BID_ANSWERS = {
    "outcomes": "Each person has a keyworker who agrees three outcomes with them in the first "
    "month and reviews them every quarter with their circle of support.",
    "staffing": "A stable local team with an on-call senior; we pay the Real Living Wage and "
    "train every worker in positive behaviour support.",
    "transition": "Introductions over four weeks, shadow shifts with the current team, and a "
    "named manager on site for the first fortnight.",
}
