"""The booking walk through the pages (bookings.views): a broker searches and holds, the
provider confirms; the person's details reach the provider only then."""

from __future__ import annotations

import pytest
from django.test import Client

from caremarket.bookings.models import Booking
from caremarket.brokerage.models import PersonalDataAccess
from tests.supported_living import factories as sl

pytestmark = pytest.mark.django_db


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_search_hold_confirm_end_to_end() -> None:
    w = sl.world(rooms=2)
    referral = w.referral("medium")
    broker = _as(w.broker)
    page = broker.get(f"/bookings/referrals/{referral.pk}/rooms/?group=2&zone=")
    assert page.status_code == 200 and str(w.rooms[0].name) in page.content.decode()
    csv = broker.get(f"/bookings/referrals/{referral.pk}/rooms/?group=2&format=csv")
    assert csv["Content-Type"].startswith("text/csv") and w.scheme.name in csv.content.decode()
    check = broker.get(f"/bookings/referrals/{referral.pk}/rooms/?group=2&hold={w.rooms[0].pk}")
    assert "Hold this room" in check.content.decode()
    held = broker.post(
        f"/bookings/referrals/{referral.pk}/rooms/", {"room": w.rooms[0].pk, "group": "2"}
    )
    booking = Booking.objects.get(referral=referral)
    assert held.status_code == 302 and held["Location"] == f"/bookings/{booking.pk}/"

    provider = _as(w.provider_user)
    before = provider.get(f"/bookings/holds/{booking.pk}/").content.decode()
    assert referral.reference in before and referral.person.family_name not in before
    assert not PersonalDataAccess.objects.filter(person=referral.person).exists()
    move_in = sl.today_plus(10)
    done = provider.post(
        f"/bookings/holds/{booking.pk}/",
        {
            "action": "confirm",
            "move_in_date_0": move_in.day,
            "move_in_date_1": move_in.month,
            "move_in_date_2": move_in.year,
        },
    )
    assert done.status_code == 302
    after = provider.get(f"/bookings/holds/{booking.pk}/").content.decode()
    assert referral.person.family_name in after
    assert PersonalDataAccess.objects.filter(person=referral.person).exists()


def test_a_provider_declining_without_a_reason_sees_the_error_summary() -> None:
    w = sl.world(rooms=1)
    referral = w.referral()
    _as(w.broker).post(f"/bookings/referrals/{referral.pk}/rooms/", {"room": w.rooms[0].pk})
    booking = Booking.objects.get(referral=referral)
    page = _as(w.provider_user).post(
        f"/bookings/holds/{booking.pk}/", {"action": "decline", "reason": ""}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body and "Say why" in body
    booking.refresh_from_db()
    assert booking.state == "held"


def test_holding_an_occupied_room_shows_why_and_holds_nothing() -> None:
    w = sl.world(rooms=1)
    w.rooms[0].status, w.rooms[0].void_since = "occupied", None
    w.rooms[0].save()
    referral = w.referral()
    page = _as(w.broker).post(
        f"/bookings/referrals/{referral.pk}/rooms/", {"room": w.rooms[0].pk}, follow=True
    )
    assert "This room is occupied" in page.content.decode()
    assert not Booking.objects.filter(referral=referral).exists()


def test_provider_updates_a_room_on_my_rooms() -> None:
    w = sl.world(rooms=1)
    provider = _as(w.provider_user)
    assert w.rooms[0].name in provider.get("/supported-living/my-rooms/").content.decode()
    page = provider.post(
        f"/supported-living/my-rooms/{w.rooms[0].pk}/", {"status": "unavailable", "reason": ""}
    )
    assert "Say why the room is unavailable" in page.content.decode()
    provider.post(
        f"/supported-living/my-rooms/{w.rooms[0].pk}/",
        {"status": "unavailable", "reason": "New kitchen"},
    )
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].unavailable_reason == "New kitchen"


def test_the_commissioners_pages_and_their_csv() -> None:
    w = sl.world(rooms=1)
    council = _as(w.broker)
    for path in ("/supported-living/", "/supported-living/voids/", "/supported-living/properties/"):
        assert council.get(path).status_code == 200
    csv = council.get("/supported-living/voids/?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("Room,Scheme,Zone,Status,Void since,Days void")
    assert w.scheme.name in csv
