"""Route 1, framework first: offers to every eligible provider at once, award by the rule.

Devon's Supporting Independence offers individualised support to every provider appointed in
the person's zone who can meet the needs and has a price in force, and the person chooses.
Living Well at Home has lead providers in zones 1-3 and 8; in zones 4-7, which the council
coordinates, it falls back to offers and awards by weighted score (quality 60, price 40),
as soon as an acceptance arrives.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from caremarket.brokerage import awarding
from caremarket.brokerage.models import Notification, Offer, ServiceAgreement
from caremarket.brokerage.services import awards
from caremarket.core.errors import CaremarketError
from caremarket.engine.lifecycle import State
from caremarket.frameworks.models import Appointment, Price
from tests.brokerage.support import (
    accept,
    account,
    care_group,
    framework,
    framework_offers,
    raise_referral,
    specialisms,
    zone,
)

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")


def _eligible_by_the_rules(referral, needs: set[int]) -> dict[int, Decimal]:  # type: ignore[no-untyped-def]
    """Provider -> price, worked out from the published rules rather than the code: live
    on the lot in the zone on the start date, supports the person's care group, meets every
    need, has a zone price then."""
    start, z = referral.start_date, referral.zone
    found = {}
    for a in Appointment.objects.filter(lot=referral.lot, zones=z).select_related("provider"):
        if a.status != Appointment.Status.ACTIVE or a.appointed_on > start:
            continue
        if a.ends_on is not None and a.ends_on < start:
            continue
        if not needs <= set(a.provider.specialisms.values_list("pk", flat=True)):
            continue
        if not a.provider.care_groups.filter(pk=referral.person.care_group_id).exists():
            continue

        price = (
            Price.objects.filter(appointment=a, zone=z, unit="hour", effective_from__lte=start)
            .order_by("-effective_from")
            .first()
        )
        if price is not None:
            found[a.provider_id] = price.amount
    return found


def test_offers_go_to_every_eligible_provider_and_only_to_them(clock) -> None:  # type: ignore[no-untyped-def]
    """Zone, lot, needs, a live appointment and a price in force on the start date: each one
    rules providers out. Three appointments in the zone are made ineligible one way each
    (suspended; ended before the start; a price only from after the start) and must get no
    offer; every other eligible provider gets one, at its zone price."""
    z = zone("devon", 5)
    lot = framework("supporting-independence").lots.get(number=2)
    start = clock.today() + timedelta(days=7)
    in_zone = list(
        Appointment.objects.filter(lot=lot, zones=z, status=Appointment.Status.ACTIVE)
        .filter(appointed_on__lte=start)
        .order_by("pk")
    )
    assert len(in_zone) > 6
    suspended, ended, unpriced = in_zone[:3]
    Appointment.objects.filter(pk=suspended.pk).update(status=Appointment.Status.SUSPENDED)
    Appointment.objects.filter(pk=ended.pk).update(ends_on=start - timedelta(days=1))
    Price.objects.filter(appointment=unpriced, zone=z).delete()
    Price.objects.create(
        appointment=unpriced, zone=z, unit="hour", amount="30", effective_from=start + timedelta(1)
    )

    referral = raise_referral("devon", 5, "individualised-support", group="LD", start=start)

    sent = {o.provider_id: o for o in framework_offers(referral)}
    expected = _eligible_by_the_rules(referral, set())
    assert referral.route == "framework_first" and referral.state == State.OFFERED
    assert set(sent) == set(expected)
    assert not {suspended.provider_id, ended.provider_id, unpriced.provider_id} & set(sent)
    for provider_id, offer in sent.items():
        assert offer.appointment.lot_id == lot.pk
        assert offer.unit == "hour" and offer.unit_price == expected[provider_id]
        assert offer.deadline == clock.moment + timedelta(hours=72)  # SI's planned window
        assert offer.status == Offer.Status.OPEN and offer.round == 1


def test_offers_go_only_to_providers_who_meet_every_need(clock) -> None:  # type: ignore[no-untyped-def]
    """A need only some providers can meet (mental health support) narrows the offers to
    them; an urgent referral gets the framework's short window."""
    referral = raise_referral(
        "devon",
        5,
        "individualised-support",
        group="MH",
        needs=["mental-health"],
        urgency="hospital_discharge",
    )
    need = specialisms("mental-health")[0]
    sent = framework_offers(referral)
    everyone = _eligible_by_the_rules(referral, set())
    able = _eligible_by_the_rules(referral, {need.pk})
    assert len(able) < len(everyone)  # the need really does rule some out
    assert {o.provider_id for o in sent} == set(able)
    assert all(need in o.provider.specialisms.all() for o in sent)
    assert all(o.deadline == clock.moment + timedelta(hours=8) for o in sent)


def test_offers_go_only_to_providers_who_support_the_persons_care_group(clock) -> None:  # type: ignore[no-untyped-def]
    """The docstring of ``eligible_appointments`` and the issue both say offers go to
    providers who support the person's care group; a provider registered only for, say,
    older people should not be offered an autistic adult's support."""
    referral = raise_referral("devon", 5, "individualised-support", group="AUT")
    autism = care_group("AUT")
    sent = framework_offers(referral)
    assert sent
    wrong = [o.provider.display_name for o in sent if autism not in o.provider.care_groups.all()]
    assert not wrong, f"offered to providers who do not support autism: {wrong}"


def test_a_care_group_no_lot_buys_can_only_be_bought_spot(clock) -> None:  # type: ignore[no-untyped-def]
    """Living Well at Home buys personal care for OP, OPMH, PD, LD and MH only: an autistic
    adult's home care has no framework, so it is raised on the spot route, unsourced, and
    its timeline says why."""
    referral = raise_referral("devon", 4, "personal-care", group="AUT")
    assert referral.route == "spot" and referral.framework is None
    assert referral.state == State.SUBMITTED and not referral.offers.exists()
    note = referral.events.get().note
    assert note.startswith("No framework of Devon County Council buys regulated personal care")


def test_needs_nobody_can_meet_go_straight_to_awaiting_care(clock) -> None:  # type: ignore[no-untyped-def]
    """When no provider in the zone can meet every need, nothing is sent: the referral joins
    the awaiting-care list at once, with what to do next."""
    every_need = ["complex-behaviour", "dementia", "double-handed", "end-of-life", "mental-health"]
    referral = raise_referral("devon", 4, "personal-care", needs=every_need)
    assert referral.route == "framework_first"
    assert not referral.offers.exists()
    referral.refresh_from_db()
    assert referral.state == State.AWAITING_CARE
    assert referral.awaiting_since == clock.today()
    assert "widen to a neighbouring zone, escalate, or buy spot" in referral.next_action


@pytest.mark.parametrize(
    ("zone_number", "route", "lead"),
    [
        (1, "prime_provider", "Northern Devon Care Partnership"),
        (2, "prime_provider", "Northern Devon Care Partnership"),
        (3, "prime_provider", "Northern Devon Care Partnership"),
        (4, "framework_first", None),
        (5, "framework_first", None),
        (6, "framework_first", None),
        (7, "framework_first", None),
        (8, "prime_provider", "Dartmoor Care Alliance"),
    ],
)
def test_living_well_at_home_routes_by_zone(clock, zone_number: int, route: str, lead) -> None:  # type: ignore[no-untyped-def]
    """Zones with a lead provider refer to it; zones the council coordinates (4-7) fall back
    to offers to every provider appointed there, and the referral's timeline says so."""
    referral = raise_referral("devon", zone_number, "personal-care")
    assert referral.framework.slug == "living-well-at-home"
    assert referral.route == route
    note = referral.events.get(to_state=State.SUBMITTED).note
    if lead:
        (offer,) = referral.offers.all()
        assert offer.kind == Offer.Kind.LEAD and lead in offer.provider.name
        assert lead in note
    else:
        assert f"The council coordinates Zone {zone_number}" in note
        assert referral.offers.filter(kind=Offer.Kind.FRAMEWORK).count() >= 2


def _score(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def test_weighted_award_ranks_by_the_published_numbers(clock) -> None:  # type: ignore[no-untyped-def]
    """Zone 4 (council-coordinated): three providers accept. The ranking shows, for each,
    price score = lowest price / its price x 100, quality = its appointment's score, total =
    60% quality + 40% price, each to two places; the broker awards at once (this framework
    allows it) to the highest total; the others are told, and the agreement is written."""
    referral = raise_referral("devon", 4, "personal-care", hours="12.5")
    sent = [o for o in framework_offers(referral) if o.appointment.quality_score is not None]
    assert len(sent) >= 3
    takers = sent[:3]
    for offer in takers:
        clock.advance(minutes=5)
        accept(offer)

    lowest = min(o.unit_price for o in takers)
    expected = {}
    for o in takers:
        price = _score(lowest / o.unit_price * 100)
        quality = _score(o.appointment.quality_score)
        expected[o.pk] = (price, quality, _score((quality * 60 + price * 40) / 100))
    ranked = awarding.ranking(referral)
    assert ranked is not None
    assert {
        r.candidate.key: (r.price_score, r.quality_score, r.total) for r in ranked.ranked
    } == expected
    assert [r.rank for r in ranked.ranked] == [1, 2, 3]
    assert [r.total for r in ranked.ranked] == sorted(
        (e[2] for e in expected.values()), reverse=True
    )

    ok, why = awarding.ready_to_award(referral, clock.moment)
    assert ok, why  # other offers are still open, and that is allowed here
    award = awards.confirm(referral.pk, by=account("devon.broker"))

    winner = ranked.winner.candidate.key
    assert award.offer_id == winner and award.rule == "weighted"
    assert award.reason.startswith("Highest weighted score among 3 acceptances")
    assert str(expected[winner][2]) in award.reason
    assert [(s["offer"], s["rank"], s["total"]) for s in award.scores] == [
        (r.candidate.key, r.rank, str(r.total)) for r in ranked.ranked
    ]
    statuses = {o.pk: o.status for o in referral.offers.all()}
    assert statuses.pop(winner) == Offer.Status.AWARDED
    assert {statuses.pop(o.pk) for o in takers if o.pk != winner} == {Offer.Status.NOT_SELECTED}
    assert set(statuses.values()) <= {Offer.Status.WITHDRAWN}
    referral.refresh_from_db()
    assert referral.state == State.AWARDED
    agreement = ServiceAgreement.objects.get(award=award)
    (terms,) = agreement.variations.all()
    price = award.unit_price
    assert terms.units_per_week == Decimal("12.5") and terms.unit_price == price
    assert terms.weekly_cost == _score(Decimal("12.5") * price)
    losers = [o.provider.email for o in takers if o.pk != winner]
    assert Notification.objects.filter(
        to__in=losers, subject=f"{referral.reference} was placed elsewhere"
    ).count() == len(losers)


def test_person_choice_waits_for_the_window_then_awards_to_whom_the_person_chose(clock) -> None:  # type: ignore[no-untyped-def]
    """Supporting Independence: the person chooses among those who accepted, and only once
    the offer window has closed. Until then the broker is told when it closes; after it,
    an award without the person's choice is refused; with it, the chosen provider wins even
    if it ranks lower on price, and the award says the person chose."""
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    first, second = framework_offers(referral)[:2]
    accept(first)
    clock.advance(minutes=10)
    accept(second)
    broker = account("devon.broker")

    with pytest.raises(CaremarketError, match="this framework awards when the window closes"):
        awards.confirm(referral.pk, by=broker, chosen_offer=second.pk)
    clock.advance(hours=72)
    with pytest.raises(CaremarketError, match="Record which provider the person chose"):
        awards.confirm(referral.pk, by=broker)
    award = awards.confirm(referral.pk, by=broker, chosen_offer=second.pk, note="Knows the team.")

    assert award.offer_id == second.pk and award.rule == "person_choice"
    assert award.reason.startswith(f"The person chose {second.provider.display_name}")
    assert award.reason.endswith("Broker's note: Knows the team.")
    assert Offer.objects.get(pk=first.pk).status == Offer.Status.NOT_SELECTED
    assert Offer.objects.get(pk=second.pk).status == Offer.Status.AWARDED
    assert award.agreement.delivering_provider_id == second.provider_id


def test_a_choice_that_is_not_an_acceptance_is_refused(clock) -> None:  # type: ignore[no-untyped-def]
    """The person can only choose among providers who accepted."""
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    accepted, silent = framework_offers(referral)[:2]
    accept(accepted)
    clock.advance(hours=73)
    with pytest.raises(CaremarketError, match="Record which of the acceptances the person chose"):
        awards.confirm(referral.pk, by=account("devon.broker"), chosen_offer=silent.pk)
    referral.refresh_from_db()
    assert referral.state == State.OFFERED
