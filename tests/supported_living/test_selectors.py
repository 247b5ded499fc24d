"""Reads of supported living (supported_living.selectors): scoping, vacancy search, the
voids register and the residents census."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.supported_living import rules, selectors
from caremarket.supported_living.models import ResidentCount, VoidPolicy
from tests.supported_living import factories as sl

pytestmark = pytest.mark.django_db


def _criteria(w: sl.World, **fields: object) -> selectors.VacancyCriteria:
    return selectors.VacancyCriteria(commissioner_id=w.commissioner.pk, **fields)  # type: ignore[arg-type]


def test_a_provider_sees_only_its_own_rooms_and_a_council_only_its_own() -> None:
    w, other = sl.world(rooms=2), sl.world(rooms=1)
    assert set(selectors.rooms_for(w.provider_user)) == set(w.rooms)
    assert set(selectors.rooms_for(w.broker)) == set(w.rooms)
    assert not selectors.rooms_for(other.broker).filter(pk__in=[r.pk for r in w.rooms]).exists()


def test_search_filters_by_band_group_accessibility_and_compatibility() -> None:
    w = sl.world(rooms=1)
    now = clock.now()
    assert [
        v.room for v in selectors.vacancies(_criteria(w, band="medium", group="2"), now)
    ] == w.rooms
    w.scheme.serves_medium = False
    w.scheme.pets_allowed = False
    w.scheme.gender = rules.WOMEN_ONLY
    w.scheme.save()
    assert selectors.vacancies(_criteria(w, band="medium"), now) == []
    assert selectors.vacancies(_criteria(w, group="3c"), now) == []
    assert selectors.vacancies(_criteria(w, needs=("wheelchair_accessible",)), now) == []
    assert selectors.vacancies(_criteria(w, has_pets=True), now) == []
    assert selectors.vacancies(_criteria(w, gender="male"), now) == []
    assert len(selectors.vacancies(_criteria(w, gender="female"), now)) == 1


def test_search_near_a_postcode_is_nearest_first_within_the_distance() -> None:
    w = sl.world(rooms=1)
    district = w.property.postcode.split(" ")[0]
    far = sl.property_(
        w.scheme,
        postcode=f"{district} 9ZZ",
        latitude=Decimal("52.90000"),
        longitude=Decimal("-2.10000"),
    )
    far_room = sl.room(far)
    lat, lon = selectors.location_of(w.commissioner.pk, w.property.postcode)
    found = selectors.vacancies(_criteria(w, near=selectors.Near(lat, lon, 20)), clock.now())
    assert [v.room for v in found] == [w.rooms[0], far_room]
    assert found[0].distance_km == 0 and 10 < found[1].distance_km < 12
    near_only = selectors.vacancies(_criteria(w, near=selectors.Near(lat, lon, 5)), clock.now())
    assert [v.room for v in near_only] == [w.rooms[0]]


def test_the_database_orders_by_the_same_distance_as_the_rule_and_stops_at_the_limit() -> None:
    w = sl.world(rooms=0)
    spots = [("52.81000", "-2.12000"), ("52.95000", "-2.00000"), ("52.70000", "-2.30000")]
    rooms = [
        sl.room(sl.property_(w.scheme, latitude=Decimal(lat), longitude=Decimal(lon)))
        for lat, lon in spots
    ]
    here = selectors.Near(52.8, -2.1, 30)
    expected = sorted(
        rooms,
        key=lambda r: rules.distance_km(
            here.latitude, here.longitude, float(r.property.latitude), float(r.property.longitude)
        ),
    )
    found = selectors.vacancies(_criteria(w, near=here), clock.now())
    assert [v.room for v in found] == expected
    assert found[0].distance_km < found[1].distance_km < found[2].distance_km
    assert [v.room for v in selectors.vacancies(_criteria(w, near=here), clock.now(), 2)] == (
        expected[:2]
    )


def test_a_postcode_with_no_known_property_nearby_says_search_by_zone() -> None:
    w = sl.world(rooms=1)
    with pytest.raises(Invalid, match="search by zone"):
        selectors.location_of(w.commissioner.pk, "ZZ9 9ZZ")
    with pytest.raises(Invalid) as caught:
        selectors.location_of(w.commissioner.pk, "not a postcode")
    assert "postcode" in caught.value.errors


def test_occupied_and_held_rooms_are_not_offered_but_a_lapsed_hold_is() -> None:
    w = sl.world(rooms=3)
    now = clock.now()
    occupied, held, lapsed = w.rooms
    occupied.status, occupied.void_since = rules.OCCUPIED, None
    occupied.save()
    held.status, held.held_until = rules.HELD, now + timedelta(hours=1)
    held.save()
    lapsed.status, lapsed.held_until = rules.HELD, now - timedelta(minutes=1)
    lapsed.save()
    assert [v.room for v in selectors.vacancies(_criteria(w), now)] == [lapsed]


def test_the_voids_register_prices_paid_voids_and_flags_long_ones() -> None:
    w = sl.world(rooms=2)
    VoidPolicy.objects.create(commissioner=w.commissioner, default_weekly_cost=Decimal("70"))
    w.property.council_pays_voids = True
    w.property.save()
    long_void = w.rooms[0]
    long_void.void_since = clock.today() - timedelta(days=100)
    long_void.save()
    rows = {r.room.pk: r for r in selectors.voids_register(w.broker, clock.now())}
    assert rows[long_void.pk].days == 100 and rows[long_void.pk].long
    assert rows[long_void.pk].cost == Decimal("1000.00")
    assert rows[w.rooms[1].pk].days == 10 and not rows[w.rooms[1].pk].long


def test_residents_by_group_shows_the_latest_census() -> None:
    w = sl.world(rooms=1)
    groups = sl.groups(w.commissioner)
    for on, n in ((clock.today() - timedelta(days=400), 5), (clock.today(), 7)):
        ResidentCount.objects.create(
            commissioner=w.commissioner,
            group=groups["2"],
            level="high",
            residents=n,
            counted_on=on,
        )
    (row,) = selectors.residents_by_group(w.broker)
    assert (row.group, row.high, row.total) == ("Group 2", 7, 7)


def test_lot_summary_counts_rooms_by_status() -> None:
    w = sl.world(rooms=3)
    w.rooms[0].status, w.rooms[0].void_since = rules.OCCUPIED, None
    w.rooms[0].save()
    w.rooms[1].last_confirmed_at = clock.now() - timedelta(days=30)
    w.rooms[1].save()
    (summary,) = selectors.lot_summaries(w.broker, clock.now())
    assert (summary.schemes, summary.properties, summary.rooms) == (1, 1, 3)
    assert (summary.occupied, summary.available, summary.stale) == (1, 2, 1)
