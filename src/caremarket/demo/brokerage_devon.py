"""Devon's brokerage history: the awaiting-care list from the seed, and every route on show.

The awaiting-care list totals seed 002's "unmet need by zone, mid October" exactly
(``UNMET_BY_ZONE``); around it, Supporting Independence (the person chooses), Living Well at
Home (weighted awards in the zones the council coordinates, prime providers elsewhere), the
replacement care list, one spot purchase after the framework failed and one waiting for the
commissioner's approval. Kept apart from ``brokerage.py`` because Devon is the demo's main
story and its figures are checked against the seed; the order of the calls below is part of
the seed (one random stream).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from caremarket.brokerage import routing, spot
from caremarket.brokerage.models import Referral, SpotApproval
from caremarket.brokerage.services import agreements, awards, offers, spot_purchases
from caremarket.brokerage.services import referrals as referral_services
from caremarket.core import clock
from caremarket.demo.replay import Replay, day, tick
from caremarket.providers.models import Provider

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


def build(r: Replay) -> None:
    _awaiting(r)
    _supporting_independence(r)
    _living_well(r)
    _replacement_and_spot(r)
    _spot_waiting_for_approval(r)


def _awaiting(r: Replay) -> None:
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
                    tick(max(o.deadline for o in referral.offers.all()) + timedelta(minutes=5))
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


def _supporting_independence(r: Replay) -> None:
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
    with clock.frozen_at(r.at(8)):
        referral_services.cancel(cancelled, by=r.broker, reason="The family arranged support.")


def _living_well(r: Replay) -> None:
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
        r.lead_places(referral, raised + timedelta(hours=4), subcontract=sub)
    waiting = r.raise_(r.at(0.2, hour=9), 3, "personal-care", hours="8", start_in=3)
    del waiting  # still with the lead, to answer
    placing = r.raise_(r.at(0.3), 2, "personal-care", hours="6", start_in=4)
    lead = placing.offers.get()
    with clock.frozen_at(r.at(0.25)):
        member = routing.panel_for(lead, clock.today())[0]
        offers.lead_subcontracts(lead.pk, provider=lead.provider, member=member, by=None)


def _replacement_and_spot(r: Replay) -> None:
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
        tick(max(o.deadline for o in complex_case.offers.all()) + timedelta(minutes=1))
    specialist = (
        Provider.objects.filter(specialisms__code="complex-behaviour")
        .filter(specialisms__code="mental-health")
        .order_by("name")
        .first()
    )
    # Registered for individualised support (a spot purchase must be), not on Devon's lot.
    specialist.service_types.add(complex_case.service_type)
    with clock.frozen_at(r.at(25)):
        awards.spot_purchase(
            complex_case.pk,
            by=r.broker,
            provider=specialist,
            unit_price=Decimal("31.50"),
            reason="No framework provider in zone 8 or its neighbours offered "
            "mental health and complex behaviour support; agreed for 12 weeks.",
        )


def _spot_waiting_for_approval(r: Replay) -> None:
    """One spot purchase above the price band, asked for by devon.broker and waiting for a
    second person (devon.commissioner) on /brokerage/spot-approvals/. On a referral already on
    the awaiting-care list (so its totals still match the seed), chosen and priced without
    the random stream, so nothing after it moves."""
    waiting = (
        Referral.objects.filter(
            commissioner=r.commissioner,
            state="awaiting_care",
            service_type__code="personal-care",
            zone__number=8,
        )
        .order_by("pk")
        .first()
    )
    assert waiting is not None, "the awaiting-care list has zone 8 home care"
    provider = (
        Provider.objects.filter(service_types=waiting.service_type, offers__referral=waiting)
        .order_by("name")
        .first()
        or Provider.objects.filter(service_types=waiting.service_type).order_by("name").first()
    )
    with clock.frozen_at(r.at(0.2)):
        high = spot.quote(waiting, Decimal("1"), waiting.start_date).band_high
        # £36.00 an hour sits above the band (£32.34 in zone 8 today); should the framework's
        # prices rise past it, £4 above the band's top instead.
        price = Decimal("36.00") if high is None or high < 36 else high + Decimal("4.00")
        asked = spot_purchases.buy(
            waiting.pk,
            by=r.broker,
            provider=provider,
            unit_price=price,
            reason="No framework provider in zone 8 could staff these calls at the "
            "framework price; this provider can start next week with agency carers.",
        )
    assert isinstance(asked, SpotApproval), "above the band, it waits for approval"
