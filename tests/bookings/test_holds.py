"""Holding a room, and the provider's answer (bookings.services.holds)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.bookings import rules
from caremarket.bookings.models import Booking
from caremarket.bookings.services import holds
from caremarket.brokerage.models import Competition, Notification, ServiceAgreement
from caremarket.brokerage.services import competitions
from caremarket.core import clock
from caremarket.core.errors import Conflict, DeadlinePassed, Invalid, NotFound
from caremarket.supported_living import rules as room_rules
from tests.supported_living import factories as sl

pytestmark = pytest.mark.django_db


def test_hold_then_confirm_makes_the_award_agreement_and_occupies_the_room() -> None:
    w = sl.world()
    referral = w.referral("high")
    booking = holds.hold(referral.pk, w.rooms[0].pk, by=w.broker, group="2")
    assert booking.state == rules.HELD
    assert booking.expires_at - booking.held_at == timedelta(hours=48)
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].status == room_rules.HELD

    move_in = sl.today_plus(7)
    confirmed = holds.confirm(booking.pk, by=w.provider_user, move_in_date=move_in)
    assert confirmed.state == rules.CONFIRMED
    assert confirmed.weekly_rate == Decimal("1050.00")  # 42 hours at £25.00
    agreement = ServiceAgreement.objects.get(award__referral=referral)
    assert agreement.start_date == move_in
    assert agreement.provider == w.provider
    assert list(agreement.schemes.all()) == [w.scheme]
    assert agreement.variations.get().weekly_cost == Decimal("1050.00")
    referral.refresh_from_db()
    assert referral.state == "awarded"
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].status == room_rules.OCCUPIED and w.rooms[0].void_since is None


def test_a_hold_on_an_occupied_room_is_refused_and_changes_nothing() -> None:
    w = sl.world()
    w.rooms[0].status, w.rooms[0].void_since = room_rules.OCCUPIED, None
    w.rooms[0].save()
    referral = w.referral()
    with pytest.raises(Invalid, match="occupied"):
        holds.hold(referral.pk, w.rooms[0].pk, by=w.broker)
    assert not Booking.objects.filter(referral=referral).exists()


def test_a_room_in_another_councils_scheme_is_not_found() -> None:
    w, other = sl.world(), sl.world()
    with pytest.raises(NotFound):
        holds.hold(w.referral().pk, other.rooms[0].pk, by=w.broker)
    assert not Booking.objects.filter(room=other.rooms[0]).exists()


def test_a_second_hold_on_the_same_room_or_for_the_same_referral_conflicts() -> None:
    w = sl.world()
    first, second = w.referral(), w.referral()
    holds.hold(first.pk, w.rooms[0].pk, by=w.broker)
    with pytest.raises(Conflict, match="no longer available"):
        holds.hold(second.pk, w.rooms[0].pk, by=w.broker)
    with pytest.raises(Conflict, match="already has a room"):
        holds.hold(first.pk, w.rooms[1].pk, by=w.broker)
    assert Booking.objects.filter(referral__in=[first, second]).count() == 1


def test_a_hold_runs_out_without_a_worker_and_the_room_can_be_held_again(clock_at) -> None:
    w = sl.world(hold_hours=2)
    first, second = w.referral(), w.referral()
    booking = holds.hold(first.pk, w.rooms[0].pk, by=w.broker)
    clock_at(sl.later(3))
    assert booking.effective_state(clock.now()) == rules.EXPIRED
    with pytest.raises(DeadlinePassed, match="ran out"):
        holds.confirm(booking.pk, by=w.provider_user, move_in_date=sl.today_plus(3))
    again = holds.hold(second.pk, w.rooms[0].pk, by=w.broker)
    booking.refresh_from_db()
    assert booking.state == rules.EXPIRED and again.state == rules.HELD


def test_decline_frees_the_room_and_keeps_the_void_start() -> None:
    w = sl.world()
    void_since = w.rooms[0].void_since
    booking = holds.hold(w.referral().pk, w.rooms[0].pk, by=w.broker)
    with pytest.raises(Invalid, match="Say why"):
        holds.decline(booking.pk, by=w.provider_user, reason=" ")
    holds.decline(booking.pk, by=w.provider_user, reason="Not compatible with housemates")
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].status == room_rules.VACANT and w.rooms[0].void_since == void_since


def test_another_provider_cannot_answer_a_hold() -> None:
    w = sl.world()
    booking = holds.hold(w.referral().pk, w.rooms[0].pk, by=w.broker)
    with pytest.raises(NotFound):
        holds.confirm(booking.pk, by=w.other_provider_user(), move_in_date=sl.today_plus(1))
    booking.refresh_from_db()
    assert booking.state == rules.HELD


@pytest.mark.parametrize("days", [-1, 91])
def test_a_move_in_outside_the_window_is_refused(days: int) -> None:
    w = sl.world()
    booking = holds.hold(w.referral().pk, w.rooms[0].pk, by=w.broker)
    with pytest.raises(Invalid) as caught:
        holds.confirm(booking.pk, by=w.provider_user, move_in_date=sl.today_plus(days))
    assert "move_in_date" in caught.value.errors
    booking.refresh_from_db()
    assert booking.state == rules.HELD
    assert not ServiceAgreement.objects.filter(award__referral=booking.referral).exists()


def _call_off(w: sl.World, referral):  # type: ignore[no-untyped-def]
    return competitions.open_competition(
        by=w.broker,
        lot=w.lot,
        title="A home for one person",
        deadline=clock.now() + timedelta(days=2),
        referral=referral,
    )


def test_confirming_a_booking_withdraws_the_referrals_open_call_off_with_the_reason() -> None:
    w = sl.world()
    referral = w.referral()
    competition = _call_off(w, referral)
    booking = holds.hold(referral.pk, w.rooms[0].pk, by=w.broker)
    holds.confirm(booking.pk, by=w.provider_user, move_in_date=sl.today_plus(3))
    competition.refresh_from_db()
    assert competition.status == Competition.Status.CANCELLED
    assert referral.reference in competition.withdrawn_reason
    assert "booking was confirmed" in competition.withdrawn_reason
    told = Notification.objects.filter(subject__startswith=f"{competition.reference} withdrawn")
    assert told.filter(to=w.provider_user.email).exists()
    referral.refresh_from_db()
    assert referral.state == "awarded"  # not sent back to awaiting care by the withdrawal
