"""Providers keep rooms up to date (supported_living.services)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caremarket.core import clock
from caremarket.core.errors import Invalid, NotFound
from caremarket.supported_living import rules, services
from caremarket.supported_living.models import RoomStatusChange
from tests import factories as f
from tests.supported_living import factories as sl

pytestmark = pytest.mark.django_db


def test_a_provider_marks_a_room_occupied_then_vacant_again_with_history() -> None:
    w = sl.world(rooms=1)
    room = w.rooms[0]
    services.set_status(room.pk, by=w.provider_user, status=rules.OCCUPIED)
    room.refresh_from_db()
    assert room.status == rules.OCCUPIED and room.void_since is None
    services.set_status(room.pk, by=w.provider_user, status=rules.VACANT)
    room.refresh_from_db()
    assert room.status == rules.VACANT and room.void_since == clock.today()
    history = list(RoomStatusChange.objects.filter(room=room).values_list("status", flat=True))
    assert history == [rules.OCCUPIED, rules.VACANT]


def test_unavailable_needs_a_reason_and_nothing_changes_without_one() -> None:
    w = sl.world(rooms=1)
    before = w.rooms[0].last_confirmed_at
    with pytest.raises(Invalid) as caught:
        services.set_status(w.rooms[0].pk, by=w.provider_user, status=rules.UNAVAILABLE)
    assert "reason" in caught.value.errors
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].status == rules.VACANT and w.rooms[0].last_confirmed_at == before
    services.set_status(
        w.rooms[0].pk, by=w.provider_user, status=rules.UNAVAILABLE, reason="Repairs"
    )
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].unavailable_reason == "Repairs"


def test_a_room_in_someone_elses_scheme_is_not_found() -> None:
    w = sl.world(rooms=1)
    with pytest.raises(NotFound):
        services.set_status(w.rooms[0].pk, by=w.other_provider_user(), status=rules.OCCUPIED)
    with pytest.raises(NotFound):
        services.set_status(w.rooms[0].pk, by=w.broker, status=rules.OCCUPIED)
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].status == rules.VACANT


def test_a_void_start_date_in_the_future_is_refused() -> None:
    w = sl.world(rooms=1)
    with pytest.raises(Invalid) as caught:
        services.set_status(
            w.rooms[0].pk,
            by=w.provider_user,
            status=rules.VACANT,
            void_since=clock.today() + timedelta(days=1),
        )
    assert "void_since" in caught.value.errors


def test_confirming_a_stale_vacancy_makes_it_fresh() -> None:
    w = sl.world(rooms=1)
    w.rooms[0].last_confirmed_at = clock.now() - timedelta(days=20)
    w.rooms[0].save()
    assert w.rooms[0].is_stale(clock.now())
    assert services.confirm_unchanged([w.rooms[0].pk], by=w.provider_user) == 1
    w.rooms[0].refresh_from_db()
    assert not w.rooms[0].is_stale(clock.now())


def test_a_property_takes_its_zone_from_its_postcode_and_gets_vacant_rooms() -> None:
    w = sl.world(rooms=0)
    other_zone = f.zone(w.commissioner)
    district = other_zone.postcode_areas.get().code
    landlord = w.property.landlord
    made = services.add_property(
        w.scheme,
        landlord=landlord,
        name="Oak House",
        address="1 Oak Road",
        postcode=f"{district.lower()}3ef",
        rooms=3,
        step_free=True,
    )
    assert made.zone == other_zone and made.postcode == f"{district} 3EF"
    assert made.room_set.filter(status=rules.VACANT).count() == 3
    with pytest.raises(Invalid) as caught:
        services.add_property(
            w.scheme, landlord=landlord, name="", address="", postcode="nonsense", rooms=0
        )
    assert {"name", "rooms", "postcode"} <= set(caught.value.errors)
