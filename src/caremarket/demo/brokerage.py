"""The demo's brokerage: weeks of referrals replayed through the services, so that every
state and route is on show, and Devon's awaiting-care list totals exactly the seed's table.

Devon's awaiting-care list is seed 002's "unmet need by zone, mid October" (Zone 1: 86 hours,
12 people ... Zone 8: 60 hours, 8 people; 2,000 hours and 205 people in all). Nothing else in
the Devon demo is left waiting, so its totals are the seed's. Everything else (how many
referrals, their hours, who answers) is an assumption, listed in docs/demo-data.md.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from caremarket.brokerage.models import Notification, Offer, Referral
from caremarket.brokerage.services import agreements, awards, competitions, offers, worker
from caremarket.core import clock
from caremarket.demo.replay import Replay, day
from caremarket.frameworks.models import Framework, Lot
from caremarket.market.models import Commissioner
from caremarket.supported_living.models import Scheme

# Seed 002, Living Well at Home: unmet need by zone at mid October (hours, people).
UNMET_BY_ZONE = {
    1: ("86", 12),
    2: ("139", 14),
    3: ("228", 21),
    4: ("361", 43),
    5: ("426", 34),
    6: ("558", 63),
    7: ("142", 10),
    8: ("60", 8),
}
INTERIM = {
    "hospital_discharge": ["in_hospital", "short_term_care_home"],
    "crisis": ["short_term_care_home", "other_care"],
    "planned": ["family_care", "other_care", "family_care"],
}
NEXT_ACTIONS = [
    "Re-offer when providers next declare capacity",
    "Ask the lead provider at Thursday's capacity call",
    "Review the package with the practitioner: could fewer calls work?",
    "Widen to the neighbouring zone",
    "Try a guaranteed-hours block provider",
]


def build(now: datetime, seed: int) -> dict[str, int]:
    rng = random.Random(seed + 7)
    devon = Replay(rng, now, Commissioner.objects.get(slug="devon"))
    _devon_awaiting(devon)
    _devon_supporting_independence(devon)
    _devon_living_well(devon)
    _devon_replacement_and_spot(devon)
    _isle_of_wight(Replay(rng, now, Commissioner.objects.get(slug="isle-of-wight")))
    _staffordshire(Replay(rng, now, Commissioner.objects.get(slug="staffordshire")))
    _capacity(rng, now)
    _tick(now)
    # History's emails were "sent" at the time; do not replay them to the console now.
    Notification.objects.filter(sent_at__isnull=True).update(sent_at=now)
    return {"referrals": Referral.objects.count(), "offers": Offer.objects.count()}


def _capacity(rng: random.Random, now: datetime) -> None:
    """Spare hours declared this morning by home care providers in Devon and on the Isle of
    Wight (an assumption: about half of what Devon's waiting list needs, in 3 to 20 hour
    pieces, so placing it well matters), and one of Devon's guaranteed-hours blocks (seed 002:
    "a Guaranteed Hours programme ... through which commissioners commit to a defined volume
    of hours") with hours still unused."""
    from caremarket.frameworks.models import Appointment, GuaranteedBlock, PanelMember
    from caremarket.market.models import ServiceType
    from caremarket.providers.models import CapacityDeclaration

    care = ServiceType.objects.get(code="personal-care")
    declared_at = now - timedelta(hours=3)
    rows = []
    pairs = {
        (a.provider_id, z.pk)
        for a in Appointment.objects.filter(
            lot__service_types=care,
            lot__framework__route_to_market__in=["framework_first", "prime_provider"],
        ).prefetch_related("zones")
        for z in a.zones.all()
    }
    pairs |= {
        (m.provider_id, z.pk)
        for m in PanelMember.objects.prefetch_related("zones")
        for z in m.zones.all()
    }
    for provider_id, zone_id in sorted(pairs):
        if rng.random() < 0.55:
            hours = Decimal(rng.choice([3, 4, 5, 6, 7.5, 8, 10, 12, 14, 16, 20]))
            rows.append(
                CapacityDeclaration(
                    provider_id=provider_id,
                    zone_id=zone_id,
                    service_type=care,
                    hours_per_week=hours,
                    valid_from=day(now),
                    declared_at=declared_at,
                )
            )
    CapacityDeclaration.objects.bulk_create(rows)
    lwah = Framework.objects.get(slug="living-well-at-home")
    zone6 = lwah.commissioner.zones.get(number=6)
    holder = Appointment.objects.filter(lot__framework=lwah, zones=zone6).order_by("pk").first()
    GuaranteedBlock.objects.create(
        framework=lwah,
        provider=holder.provider,
        zone=zone6,
        service_type=care,
        hours_per_week=Decimal("40"),
        starts=day(now) - timedelta(days=120),
        ends=day(now) + timedelta(days=245),
    )


def _tick(at: datetime) -> None:

    with clock.frozen_at(at):
        worker.expire_and_move()


def _devon_awaiting(r: Replay) -> None:
    for zone, (total, people) in UNMET_BY_ZONE.items():
        for hours in r.zone_hours(Decimal(total), people):
            waited = r.rng.choice([1, 2, 3, 5, 8, 12, 15, 21, 28, 35, 42, 56])
            urgency = r.rng.choices(list(INTERIM), weights=[30, 15, 55])[0]
            needs = tuple(
                n
                for n, p in (("double-handed", 0.15), ("end-of-life", 0.06), ("dementia", 0.1))
                if r.rng.random() < p
            )
            raised = r.at(waited + 3, hour=r.rng.randint(8, 16))
            referral = r.raise_(
                raised,
                zone,
                "personal-care",
                hours=str(hours),
                urgency=urgency,
                needs=needs,
                group=r.rng.choice(["OP", "OP", "OPMH", "PD"]),
                start_in=2 if urgency != "planned" else 3,
            )
            if referral.state == "offered":
                if referral.route == "prime_provider":
                    lead = referral.offers.get()
                    with clock.frozen_at(raised + timedelta(hours=2)):
                        offers.decline(
                            lead.pk,
                            provider=lead.provider,
                            by=None,
                            reason="no_capacity",
                            detail="No carers free on those runs this month.",
                        )
                else:
                    r.answer(referral, raised + timedelta(hours=1), decline=r.rng.randint(1, 4))
                    _tick(max(o.deadline for o in referral.offers.all()) + timedelta(minutes=5))
            referral.refresh_from_db()
            referral.interim_arrangement = r.rng.choice(INTERIM[urgency])
            referral.next_action = r.rng.choice(NEXT_ACTIONS)
            if r.rng.random() < 0.08:
                referral.escalated_at = r.at(r.rng.randint(0, waited))
                referral.next_action = "Escalated to the locality commissioning lead"
            referral.save()


def _award_weighted(r: Replay, referral: Referral, when: datetime) -> None:
    with clock.frozen_at(when):
        awards.confirm(referral.pk, by=r.broker)


def _devon_supporting_independence(r: Replay) -> None:
    # Out now: offers open, a few answers in.
    for zone, service, hours, sessions in (
        (4, "individualised-support", "6", None),
        (2, "individualised-support", "10.5", None),
        (5, "group-day-opportunity", None, 2),
    ):
        referral = r.raise_(
            r.at(1, hour=9),
            zone,
            service,
            hours=hours,
            sessions=sessions,
            group=r.rng.choice(["LD", "AUT", "MH"]),
            start_in=14,
            pattern=False,
        )
        r.answer(referral, r.at(0.5), accept=1, decline=1)
    # Window closed with acceptances: the person chooses, then the broker confirms.
    for zone in (3, 6):
        referral = r.raise_(
            r.at(5),
            zone,
            "individualised-support",
            hours="8",
            group="LD",
            start_in=21,
            pattern=False,
        )
        r.answer(referral, r.at(4), accept=2, decline=1)
    # Placed over the last weeks, each by the person's choice.
    placed = []
    for weeks_ago, zone, hours in ((8, 1, "12"), (6, 4, "7.5"), (5, 7, "15"), (3, 5, "4")):
        raised = r.at(weeks_ago * 7)
        referral = r.raise_(
            raised,
            zone,
            "individualised-support",
            hours=hours,
            group=r.rng.choice(["LD", "MH", "PD"]),
            start_in=10,
            pattern=False,
        )
        accepted = r.answer(referral, raised + timedelta(hours=20), accept=2)
        with clock.frozen_at(raised + timedelta(days=4)):
            awards.confirm(
                referral.pk,
                by=r.broker,
                chosen_offer=accepted[-1].pk,
                note="Chosen at the person's review meeting.",
            )
        placed.append(referral)
    agreement = placed[0].award.agreement
    with clock.frozen_at(r.at(0)):
        agreements.vary(
            agreement.pk,
            by=r.broker,
            effective_from=day(r.now) + timedelta(days=7),
            units_per_week=Decimal("14"),
            reason="Review: two more hours for college.",
        )
        agreements.end(
            placed[1].award.agreement.pk,
            by=r.broker,
            end_date=day(r.now) - timedelta(days=3),
            reason="needs_met",
        )
    cancelled = r.raise_(
        r.at(9), 8, "individualised-support", hours="5", group="LD", start_in=10, pattern=False
    )
    from caremarket.brokerage.services import referrals as referral_services

    with clock.frozen_at(r.at(8)):
        referral_services.cancel(cancelled, by=r.broker, reason="The family arranged support.")


def _devon_living_well(r: Replay) -> None:
    # Council-coordinated zones 4-7: weighted 60/40, award as soon as acceptances arrive.
    for zone in (4, 6):
        referral = r.raise_(
            r.at(0.1, hour=8),
            zone,
            "personal-care",
            hours="10.5",
            urgency="hospital_discharge",
            start_in=1,
        )
        r.answer(referral, r.at(0.05, hour=9), accept=2, decline=1)
    for weeks_ago, zone, hours in ((7, 5, "14"), (4, 4, "21"), (2, 7, "7")):
        raised = r.at(weeks_ago * 7)
        referral = r.raise_(raised, zone, "personal-care", hours=hours, start_in=3)
        r.answer(referral, raised + timedelta(hours=3), accept=3, decline=1)
        _award_weighted(r, referral, raised + timedelta(hours=5))
    handed = Referral.objects.filter(
        commissioner=r.commissioner,
        zone__number=4,
        route="framework_first",
        state="awarded",
        service_type__code="personal-care",
    ).first()
    with clock.frozen_at(r.at(0.2)):
        agreements.end(
            handed.award.agreement.pk,
            by=r.broker,
            end_date=day(r.now),
            reason="handed_back",
            resource=True,
        )

    # Prime zones 1-3 and 8: the lead delivers, or subcontracts from its panel.
    for weeks_ago, zone, hours, sub in (
        (9, 1, "10", False),
        (7, 2, "14", True),
        (5, 3, "7", False),
        (4, 8, "12", False),
        (3, 2, "21", True),
        (1, 1, "9", False),
    ):
        raised = r.at(weeks_ago * 7)
        referral = r.raise_(raised, zone, "personal-care", hours=hours, start_in=4)
        _lead_places(r, referral, raised + timedelta(hours=4), subcontract=sub)
    waiting = r.raise_(r.at(0.2, hour=9), 3, "personal-care", hours="8", start_in=3)
    del waiting  # still with the lead, to answer
    placing = r.raise_(r.at(0.3), 2, "personal-care", hours="6", start_in=4)
    lead = placing.offers.get()
    with clock.frozen_at(r.at(0.25)):
        member = offers.panel_for(lead, clock.today())[0]
        offers.lead_subcontracts(lead.pk, provider=lead.provider, member=member, by=None)


def _lead_places(r: Replay, referral: Referral, when: datetime, *, subcontract: bool) -> None:
    lead = referral.offers.get(kind=Offer.Kind.LEAD)
    with clock.frozen_at(when):
        panel = offers.panel_for(lead, clock.today())
        needs = set(referral.needs.values_list("pk", flat=True))
        able = [m for m in panel if needs <= set(m.specialisms.values_list("pk", flat=True))]
        if subcontract and able:
            sub = offers.lead_subcontracts(lead.pk, provider=lead.provider, member=able[0], by=None)
            offers.subcontractor_confirms(sub.pk, provider=able[0], by=None)
        else:
            offers.lead_delivers(lead.pk, provider=lead.provider, by=None)


def _devon_replacement_and_spot(r: Replay) -> None:
    night = r.raise_(
        r.at(0.3), 4, "replacement-care-night", sessions=2, group="OPMH", start_in=10, pattern=False
    )
    r.answer(night, r.at(0.2), decline=1)
    day_sitting = r.raise_(
        r.at(20), 5, "replacement-care-day", hours="6", group="OP", start_in=7, pattern=False
    )
    r.answer(day_sitting, r.at(19.9), accept=1)
    with clock.frozen_at(r.at(19.8)):
        awards.confirm(day_sitting.pk, by=r.broker)
    # Nobody on the framework could take it; after it waited, the broker bought spot.
    complex_case = r.raise_(
        r.at(30),
        8,
        "individualised-support",
        hours="20",
        group="MH",
        needs=("mental-health", "complex-behaviour"),
        start_in=5,
        pattern=False,
    )
    complex_case.refresh_from_db()
    if complex_case.state == "offered":
        _tick(max(o.deadline for o in complex_case.offers.all()) + timedelta(minutes=1))
    from caremarket.providers.models import Provider

    specialist = (
        Provider.objects.filter(specialisms__code="complex-behaviour")
        .filter(specialisms__code="mental-health")
        .order_by("name")
        .first()
    )
    with clock.frozen_at(r.at(25)):
        awards.spot_purchase(
            complex_case.pk,
            by=r.broker,
            provider=specialist,
            unit_price=Decimal("31.50"),
            reason="No framework provider in zone 8 or its neighbours offered "
            "mental health and complex behaviour support; agreed for 12 weeks.",
        )


def _isle_of_wight(r: Replay) -> None:
    # Each lead's subcontracted share over the last 12 weeks: 40%, about a third, and 15%
    # (below the contract's 30%, which the subcontracting page flags).
    plans = {  # zone -> [(hours a week, placed with a subcontractor?)]
        1: [(10, True), (8, False), (12, True), (7, False), (6, False)],  # 51%
        2: [(8, True), (8, False), (8, False), (8, False), (8, True), (8, False)],  # 33%
        3: [(10, False), (9, False), (6, True), (12, False), (8, False), (10, False)],  # 11%
    }
    for zone, pattern in plans.items():
        for i, (hours, sub) in enumerate(pattern):
            raised = r.at(80 - i * 14 - zone)
            referral = r.raise_(raised, zone, "personal-care", hours=str(hours), start_in=3)
            _lead_places(r, referral, raised + timedelta(hours=3), subcontract=sub)
    r.raise_(
        r.at(0.1, hour=9), 1, "personal-care", hours="9", urgency="hospital_discharge", start_in=1
    )
    placing = r.raise_(r.at(0.5), 2, "personal-care", hours="5", start_in=3)
    lead = placing.offers.get()
    with clock.frozen_at(r.at(0.4)):
        member = offers.panel_for(lead, clock.today())[0]
        offers.lead_subcontracts(lead.pk, provider=lead.provider, member=member, by=None)
    declined = r.raise_(
        r.at(6), 3, "personal-care", hours="18", needs=("double-handed",), start_in=3
    )
    lead = declined.offers.get()
    with clock.frozen_at(r.at(5.9)):
        offers.decline(
            lead.pk,
            provider=lead.provider,
            by=None,
            reason="no_capacity",
            detail="No double-handed runs in Ventnor until the new year.",
        )
    declined.refresh_from_db()
    declined.interim_arrangement, declined.next_action = "family_care", "Escalate to the lead"
    declined.save()


SCHEMES = {  # lot number -> [(name, zone number, rooms)]
    1: [("Hillcrest House", 3, 6), ("Trent View", 7, 5)],
    2: [("Kiln Lane", 1, 8), ("Moorland Court", 2, 6), ("Castle Mews", 3, 10)],
    3: [("Chase Gardens", 4, 7), ("Penk Close", 5, 4), ("Cathedral Walk", 6, 9)],
    4: [("Burton Wharf", 7, 12), ("Anker House", 8, 6), ("Fradley Row", 6, 5)],
}


def _staffordshire(r: Replay) -> None:
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
    cap = competitions.cap_for(competition)
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
