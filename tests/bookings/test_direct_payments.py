"""Self-directed support: a direct payment at the band rate (bookings.services.releases)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from caremarket.bookings.models import Booking, DirectPayment
from caremarket.bookings.services import holds, releases
from caremarket.core.errors import Conflict, Invalid
from caremarket.supported_living import rules as room_rules
from tests.supported_living import factories as sl

pytestmark = pytest.mark.django_db


def test_a_room_outside_the_call_off_is_a_direct_payment_at_the_band_rate() -> None:
    w = sl.world(rooms=1)
    referral = w.referral("low")
    payment = releases.record_direct_payment(
        referral.pk, by=w.broker, where="Elm Court, a scheme in Derby", start_date=sl.today_plus(5)
    )
    assert payment.weekly_amount == Decimal("250.00")  # 10 hours at £25.00
    referral.refresh_from_db()
    assert referral.state == "cancelled"
    assert "direct payment of £250.00" in referral.events.last().note


def test_a_listed_room_chosen_with_a_direct_payment_becomes_occupied() -> None:
    w = sl.world(rooms=1)
    releases.record_direct_payment(
        w.referral().pk,
        by=w.broker,
        where="Here",
        start_date=sl.today_plus(1),
        room_id=w.rooms[0].pk,
    )
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].status == room_rules.OCCUPIED


def test_a_referral_with_a_hold_cannot_also_have_a_direct_payment() -> None:
    w = sl.world(rooms=1)
    referral = w.referral()
    holds.hold(referral.pk, w.rooms[0].pk, by=w.broker)
    with pytest.raises(Conflict, match="already has a room"):
        releases.record_direct_payment(
            referral.pk, by=w.broker, where="Elsewhere", start_date=sl.today_plus(1)
        )
    assert not DirectPayment.objects.filter(referral=referral).exists()


def test_bad_input_names_every_field_and_changes_nothing() -> None:
    w = sl.world(rooms=1)
    referral = w.referral()
    with pytest.raises(Invalid) as caught:
        releases.record_direct_payment(
            referral.pk, by=w.broker, where=" ", start_date=sl.today_plus(-3)
        )
    assert {"where", "start_date"} <= set(caught.value.errors)
    referral.refresh_from_db()
    assert referral.state == "submitted"


def test_withdrawing_a_hold_frees_the_room() -> None:
    w = sl.world(rooms=1)
    booking = holds.hold(w.referral().pk, w.rooms[0].pk, by=w.broker)
    releases.withdraw(booking.pk, by=w.broker, reason="Family found another home")
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].status == room_rules.VACANT
    assert Booking.objects.get(pk=booking.pk).state == "withdrawn"


def test_the_worker_writes_down_lapsed_holds(clock_at) -> None:  # type: ignore[no-untyped-def]
    w = sl.world(rooms=1, hold_hours=1)
    booking = holds.hold(w.referral().pk, w.rooms[0].pk, by=w.broker)
    clock_at(sl.later(2))
    assert releases.expire_lapsed() >= 1
    booking.refresh_from_db()
    w.rooms[0].refresh_from_db()
    assert booking.state == "expired" and w.rooms[0].status == room_rules.VACANT
