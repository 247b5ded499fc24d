"""Awaiting care and spot purchase: what a broker does when the framework has not placed
someone's care.

A referral on the awaiting-care list has an interim arrangement, a next action, can be
escalated, and can be offered again with neighbouring zones added (only neighbours). Spot
purchase, off-framework, is only for a referral the framework could not place (or that no
framework buys), and only with the reason recorded.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from caremarket.brokerage import selectors
from caremarket.brokerage.models import Offer, Referral
from caremarket.brokerage.services import awards, offers, referrals, sourcing
from caremarket.core.errors import CaremarketError
from caremarket.engine.lifecycle import State
from caremarket.frameworks.models import Appointment
from caremarket.market.models import ServiceType
from caremarket.providers.models import Provider
from tests.brokerage.support import (
    account,
    framework_offers,
    raise_referral,
    snapshot,
    zone,
)

pytestmark = pytest.mark.django_db


def _everyone_declines(referral: Referral) -> None:
    for offer in framework_offers(referral):
        offers.decline(offer.pk, provider=offer.provider, by=None, reason="no_capacity")
    referral.refresh_from_db()
    assert referral.state == State.AWAITING_CARE


def _spot_provider(service: str = "personal-care") -> Provider:
    """A provider registered for the service (a spot purchase refuses any other): the demo
    registers nobody for residential care, so the first provider is registered for it."""
    found = Provider.objects.filter(service_types__code=service).order_by("pk").first()
    if found is None:
        found = Provider.objects.order_by("pk").first()
        assert found is not None
        found.service_types.add(ServiceType.objects.get(code=service))
    return found


def test_a_referral_nobody_takes_waits_with_its_interim_arrangement(clock) -> None:  # type: ignore[no-untyped-def]
    """Everyone declines: the referral is on the list, counted in its zone's hours and
    people; the broker records what the person has meanwhile and the next action, and the
    days waiting grow with the calendar."""
    referral = raise_referral(
        "devon", 4, "personal-care", hours="9.5", urgency="hospital_discharge"
    )
    broker = account("devon.broker")
    _, before = selectors.awaiting_care(broker, clock.moment, zone=4)
    _everyone_declines(referral)
    rows, after = selectors.awaiting_care(broker, clock.moment, zone=4)
    assert referral in rows
    assert after[0].hours - (before[0].hours if before else 0) == Decimal("9.5")
    assert after[0].referrals - (before[0].referrals if before else 0) == 1

    with pytest.raises(CaremarketError, match="Choose what the person has meanwhile"):
        referrals.record_waiting(referral, by=broker, interim="somewhere", next_action="x")
    referrals.record_waiting(
        referral, by=broker, interim="in_hospital", next_action="Call the ward on Monday"
    )
    referral.refresh_from_db()
    assert referral.interim_arrangement == "in_hospital"
    assert referral.next_action == "Call the ward on Monday"
    clock.advance(days=3)
    assert selectors.days_waiting(referral, clock.today()) == 3


def test_escalating_needs_a_note_and_is_recorded(clock) -> None:  # type: ignore[no-untyped-def]
    referral = raise_referral("devon", 4, "personal-care")
    _everyone_declines(referral)
    broker = account("devon.broker")
    with pytest.raises(CaremarketError, match="Say why, and to whom, you are escalating"):
        referrals.escalate(referral, by=broker, note="  ")
    referrals.escalate(referral, by=broker, note="To the head of brokerage: no capacity")
    referral.refresh_from_db()
    assert referral.escalated_at == clock.moment
    assert referral.next_action == "Escalated: To the head of brokerage: no capacity"


def test_widening_asks_providers_in_neighbouring_zones_only(clock) -> None:  # type: ignore[no-untyped-def]
    """Zone 4 (Exeter) borders 3, 5, 6 and 8. Widening to a zone that is not next to it, or
    to another council's, is refused; widening to zone 5 sends a second round to every
    eligible provider in 4 and 5, at each provider's price, and the earlier round's open
    offers are withdrawn."""
    referral = raise_referral("devon", 4, "personal-care")
    home = zone("devon", 4)
    assert sorted(home.neighbours.values_list("number", flat=True)) == [3, 5, 6, 8]
    broker = account("devon.broker")
    first_round = {o.provider_id for o in framework_offers(referral)}
    before = snapshot()
    for far in (zone("devon", 7), zone("iow", 1)):
        with pytest.raises(CaremarketError, match="only widen to zones next to the person's own"):
            sourcing.send_offers(referral, by=broker, widen_to=[far])
    assert snapshot() == before
    assert not referral.widened_to.exists()

    sent = sourcing.send_offers(referral, by=broker, widen_to=[zone("devon", 5)])

    second = referral.offers.filter(round=2)
    assert sent == second.count()
    in_five_only = set(
        Appointment.objects.filter(
            lot=referral.lot, zones__number=5, zones__commissioner=home.commissioner
        )
        .exclude(zones=home)
        .values_list("provider_id", flat=True)
    )
    second_round = set(second.values_list("provider_id", flat=True))
    assert first_round <= second_round
    assert second_round - first_round and second_round - first_round <= in_five_only
    assert set(referral.offers.filter(round=1).values_list("status", flat=True)) == {
        Offer.Status.WITHDRAWN
    }
    assert list(referral.widened_to.values_list("number", flat=True)) == [5]


def test_spot_purchase_waits_for_the_framework_to_fail(clock) -> None:  # type: ignore[no-untyped-def]
    """While offers are out, spot purchase is refused; once everyone has declined, it is
    allowed, but only with a reason, which the referral and the award both keep."""
    referral = raise_referral("devon", 4, "personal-care", hours="6")
    broker = account("devon.broker")
    provider = _spot_provider("personal-care")
    before = snapshot()
    with pytest.raises(CaremarketError, match="must be on the awaiting-care list first"):
        awards.spot_purchase(
            referral.pk, by=broker, provider=provider, unit_price=Decimal("31"), reason="Quick"
        )
    assert snapshot() == before
    _everyone_declines(referral)
    with pytest.raises(CaremarketError, match="Record why this care is bought off-framework"):
        awards.spot_purchase(
            referral.pk, by=broker, provider=provider, unit_price=Decimal("31"), reason=" "
        )

    award = awards.spot_purchase(
        referral.pk,
        by=broker,
        provider=provider,
        unit_price=Decimal("31.005"),
        reason="Nobody on the framework could staff it; 12 weeks agreed.",
    )

    referral.refresh_from_db()
    assert referral.state == State.AWARDED and referral.route == "spot"
    assert referral.spot_reason == "Nobody on the framework could staff it; 12 weeks agreed."
    assert award.rule == "spot" and award.route == "spot" and award.offer is None
    assert award.reason == (
        f"Spot purchase from {provider}: Nobody on the framework could staff it; 12 weeks agreed."
    )
    assert award.unit_price == Decimal("31.01")  # money rounded once, half up, to the penny
    terms = award.agreement.variations.get()
    assert (terms.units_per_week, terms.weekly_cost) == (Decimal("6"), Decimal("186.06"))


def test_care_no_framework_buys_is_spot_from_the_start(clock) -> None:  # type: ignore[no-untyped-def]
    """Devon has no framework for residential care: the referral is on the spot route from
    the start and can be bought spot at once, with a reason, by the bed-week."""
    referral = raise_referral("devon", 4, "residential-care", hours=None, sessions=1)
    assert referral.route == "spot" and referral.state == State.SUBMITTED
    award = awards.spot_purchase(
        referral.pk,
        by=account("devon.broker"),
        provider=_spot_provider("residential-care"),
        unit_price=Decimal("1150"),
        reason="No framework buys residential care here.",
    )
    assert award.unit == "bed_week"
    assert award.agreement.variations.get().weekly_cost == Decimal("1150.00")


def test_spot_purchase_is_allowed_as_soon_as_every_offer_has_expired(clock) -> None:  # type: ignore[no-untyped-def]
    """Deadlines hold without a worker: once every offer has expired the referral is on the
    awaiting-care list (and its page shows the spot action), so a spot purchase must work."""
    referral = raise_referral("devon", 4, "personal-care")
    clock.advance(hours=24, minutes=1)
    broker = account("devon.broker")
    waiting, _ = selectors.awaiting_care(broker, clock.moment)
    assert referral in waiting
    award = awards.spot_purchase(
        referral.pk, by=broker, provider=_spot_provider(), unit_price=Decimal("30"), reason="None"
    )
    assert award.referral_id == referral.pk


def test_only_a_referral_still_waiting_can_be_escalated_or_re_offered(clock) -> None:  # type: ignore[no-untyped-def]
    referral = raise_referral("devon", 4, "personal-care")
    first = framework_offers(referral)[0]
    offers.accept(first.pk, provider=first.provider, by=None)
    broker = account("devon.broker")
    awards.confirm(referral.pk, by=broker)
    before = snapshot()
    with pytest.raises(CaremarketError, match="Only a referral still waiting can be escalated"):
        referrals.escalate(referral, by=broker, note="late")
    with pytest.raises(CaremarketError, match="is awarded"):
        sourcing.send_offers(referral, by=broker)
    assert snapshot() == before
    clock.advance(days=1)
    assert referral not in selectors.awaiting_care(broker, clock.moment)[0]


def test_a_cancelled_referral_withdraws_its_offers(clock) -> None:  # type: ignore[no-untyped-def]
    referral = raise_referral("devon", 4, "personal-care")
    broker = account("devon.broker")
    with pytest.raises(CaremarketError, match="Say why the referral is cancelled"):
        referrals.cancel(referral, by=broker, reason="")
    referrals.cancel(referral, by=broker, reason="Moved in with family")
    referral.refresh_from_db()
    assert referral.state == State.CANCELLED
    assert set(referral.offers.values_list("status", flat=True)) == {Offer.Status.WITHDRAWN}
    first = framework_offers(referral)[0]
    with pytest.raises(CaremarketError, match="was cancelled"):
        offers.accept(first.pk, provider=first.provider, by=None)
