"""Ending a tenancy (bookings.services.tenancies): the person moves out on a date, the room
is vacant from it, the service agreement ends on it; guard rails change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caremarket.bookings import rules
from caremarket.bookings.models import Booking
from caremarket.bookings.services import holds, tenancies
from caremarket.brokerage.models import Notification, ServiceAgreement
from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.supported_living import rules as room_rules
from caremarket.supported_living.models import RoomStatusChange
from tests.supported_living import factories as sl

pytestmark = pytest.mark.django_db

MOVED_AWAY = ServiceAgreement.EndReason.MOVED_AWAY


def _moved_in(w: sl.World, clock_at) -> Booking:  # type: ignore[no-untyped-def]
    """A confirmed booking whose person moved in two days ago (the clock moves on)."""
    booking = holds.hold(w.referral().pk, w.rooms[0].pk, by=w.broker)
    holds.confirm(booking.pk, by=w.provider_user, move_in_date=clock.today())
    clock_at(sl.later(24 * 30))
    return Booking.objects.get(pk=booking.pk)


def test_the_room_is_vacant_from_the_move_out_date_and_the_agreement_ends(clock_at) -> None:
    w = sl.world(rooms=1)
    booking = _moved_in(w, clock_at)
    out = clock.today() - timedelta(days=3)
    ended = tenancies.end_tenancy(
        booking.pk, by=w.provider_user, moved_out_on=out, reason=MOVED_AWAY, note="To family"
    )
    assert ended.state == rules.ENDED and ended.moved_out_on == out
    assert ended.end_reason == MOVED_AWAY and "To family" in ended.note
    room = w.rooms[0]
    room.refresh_from_db()
    assert room.status == room_rules.VACANT and room.void_since == out
    assert RoomStatusChange.objects.filter(room=room, status="vacant", effective_from=out).exists()
    agreement = ServiceAgreement.objects.get(award=booking.award)
    assert agreement.end_date == out and agreement.end_reason == MOVED_AWAY
    assert Notification.objects.filter(to=w.broker.email, subject__startswith="Tenancy ended")


def test_saying_it_twice_changes_nothing_and_another_date_conflicts(clock_at) -> None:
    w = sl.world(rooms=1)
    booking = _moved_in(w, clock_at)
    out = clock.today()
    tenancies.end_tenancy(booking.pk, by=w.broker, moved_out_on=out, reason=MOVED_AWAY)
    changes = RoomStatusChange.objects.count()
    again = tenancies.end_tenancy(booking.pk, by=w.broker, moved_out_on=out, reason=MOVED_AWAY)
    assert again.moved_out_on == out and RoomStatusChange.objects.count() == changes
    with pytest.raises(Conflict, match="already ended"):
        tenancies.end_tenancy(
            booking.pk, by=w.broker, moved_out_on=out - timedelta(days=1), reason=MOVED_AWAY
        )


@pytest.mark.parametrize(
    ("days", "reason", "field", "message"),
    [
        (1, MOVED_AWAY, "moved_out_on", "cannot be in the future"),
        (-31, MOVED_AWAY, "moved_out_on", "before the move-in date"),
        (0, "bored", "reason", "Choose why"),
    ],
)
def test_a_bad_date_or_reason_is_refused_naming_the_field_and_changes_nothing(
    clock_at,  # type: ignore[no-untyped-def]
    days: int,
    reason: str,
    field: str,
    message: str,
) -> None:
    w = sl.world(rooms=1)
    booking = _moved_in(w, clock_at)
    with pytest.raises(Invalid) as caught:
        tenancies.end_tenancy(
            booking.pk,
            by=w.provider_user,
            moved_out_on=clock.today() + timedelta(days=days),
            reason=reason,
        )
    assert message in caught.value.errors[field]
    booking.refresh_from_db()
    w.rooms[0].refresh_from_db()
    assert booking.state == rules.CONFIRMED and w.rooms[0].status == room_rules.OCCUPIED
    assert ServiceAgreement.objects.get(award=booking.award).end_date is None


def test_only_a_confirmed_booking_by_its_provider_or_council(clock_at) -> None:  # type: ignore[no-untyped-def]
    w = sl.world(rooms=2)
    held = holds.hold(w.referral().pk, w.rooms[1].pk, by=w.broker)
    with pytest.raises(Conflict, match="Only a confirmed booking"):
        tenancies.end_tenancy(held.pk, by=w.broker, moved_out_on=clock.today(), reason=MOVED_AWAY)
    booking = _moved_in(w, clock_at)
    stranger, other_council = w.other_provider_user(), sl.world(rooms=0).broker
    for who in (stranger, other_council):
        with pytest.raises(NotFound):
            tenancies.end_tenancy(booking.pk, by=who, moved_out_on=clock.today(), reason=MOVED_AWAY)
    booking.refresh_from_db()
    assert booking.state == rules.CONFIRMED


def test_the_provider_ends_it_on_its_page_and_the_council_through_the_api(  # type: ignore[no-untyped-def]
    clock_at, client
) -> None:
    w = sl.world(rooms=2)
    booking = _moved_in(w, clock_at)
    client.force_login(w.provider_user)
    page = client.get(f"/bookings/holds/{booking.pk}/")
    assert "End the tenancy" in page.content.decode()
    today = clock.today()
    bad = client.post(
        f"/bookings/holds/{booking.pk}/",
        {
            "action": "end",
            "moved_out_on_0": "1",
            "moved_out_on_1": "1",
            "moved_out_on_2": "2099",
            "reason": MOVED_AWAY,
        },
    )
    assert bad.status_code == 200 and "cannot be in the future" in bad.content.decode()
    done = client.post(
        f"/bookings/holds/{booking.pk}/",
        {
            "action": "end",
            "moved_out_on_0": str(today.day),
            "moved_out_on_1": str(today.month),
            "moved_out_on_2": str(today.year),
            "reason": MOVED_AWAY,
        },
    )
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.state == rules.ENDED and booking.moved_out_on == today

    second = holds.hold(w.referral().pk, w.rooms[1].pk, by=w.broker)
    holds.confirm(second.pk, by=w.provider_user, move_in_date=clock.today())
    client.force_login(w.broker)
    answer = client.post(
        f"/api/v1/bookings/{second.pk}/end/",
        {"moved_out_on": today.isoformat(), "reason": "died"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "ended" and answer.json()["moved_out_on"] == today.isoformat()


def test_a_tenanted_room_is_not_set_vacant_by_hand_only_by_ending_the_tenancy(  # type: ignore[no-untyped-def]
    clock_at, client
) -> None:
    w = sl.world(rooms=1)
    booking = _moved_in(w, clock_at)
    room = w.rooms[0]
    said = f"{booking.referral.reference} lives in this room: end the tenancy from its booking"
    changes = RoomStatusChange.objects.filter(room=room).count()
    client.force_login(w.provider_user)
    page = client.post(f"/supported-living/my-rooms/{room.pk}/", {"status": room_rules.VACANT})
    assert page.status_code == 200 and said in page.content.decode()
    status_url = f"/api/v1/supported-living/rooms/{room.pk}/status/"
    unavailable = {"status": room_rules.UNAVAILABLE, "reason": "Repairs"}
    answer = client.post(status_url, unavailable, content_type="application/json")
    assert answer.status_code == 400 and said in answer.json()["status"]
    room.refresh_from_db()
    booking.refresh_from_db()
    assert room.status == room_rules.OCCUPIED and room.void_since is None
    assert RoomStatusChange.objects.filter(room=room).count() == changes
    assert booking.state == rules.CONFIRMED
    assert ServiceAgreement.objects.get(award=booking.award).end_date is None

    tenancies.end_tenancy(
        booking.pk, by=w.provider_user, moved_out_on=clock.today(), reason=MOVED_AWAY
    )
    answer = client.post(status_url, unavailable, content_type="application/json")
    assert answer.status_code == 200, answer.content
    room.refresh_from_db()
    assert room.status == room_rules.UNAVAILABLE and room.unavailable_reason == "Repairs"
