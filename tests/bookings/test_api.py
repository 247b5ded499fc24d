"""The rooms and bookings API: a provider updates a room; a broker holds; the provider
confirms; bad input is a 4xx naming the field (bookings.api, supported_living.api)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.supported_living import factories as sl

pytestmark = pytest.mark.django_db


def _as(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_hold_and_confirm_over_the_api() -> None:
    w = sl.world(rooms=1)
    referral = w.referral()
    broker = _as(w.broker)
    found = broker.get(f"/api/v1/bookings/vacancies/?referral={referral.pk}&group=2")
    assert [v["room"] for v in found.json()] == [w.rooms[0].pk]
    held = broker.post("/api/v1/bookings/holds/", {"referral": referral.pk, "room": w.rooms[0].pk})
    assert held.status_code == 201 and held.json()["state"] == "held"
    again = broker.post("/api/v1/bookings/holds/", {"referral": referral.pk, "room": w.rooms[0].pk})
    assert again.status_code == 409
    pk = held.json()["id"]
    provider = _as(w.provider_user)
    bad = provider.post(f"/api/v1/bookings/holds/{pk}/confirm/", {"move_in_date": "2001-01-01"})
    assert bad.status_code == 400 and bad.json()["field"] == "move_in_date"
    ok = provider.post(
        f"/api/v1/bookings/holds/{pk}/confirm/", {"move_in_date": sl.today_plus(3).isoformat()}
    )
    assert ok.status_code == 200 and ok.json()["state"] == "confirmed"
    assert ok.json()["weekly_rate"] == "525.00"  # 21 hours at £25.00


def test_a_provider_updates_a_room_over_the_api_and_not_someone_elses() -> None:
    w = sl.world(rooms=1)
    mine = _as(w.provider_user).post(
        f"/api/v1/supported-living/rooms/{w.rooms[0].pk}/status/", {"status": "occupied"}
    )
    assert mine.status_code == 200 and mine.json()["status"] == "occupied"
    theirs = _as(w.other_provider_user()).post(
        f"/api/v1/supported-living/rooms/{w.rooms[0].pk}/status/", {"status": "vacant"}
    )
    assert theirs.status_code == 404
    council = _as(w.broker).post(
        f"/api/v1/supported-living/rooms/{w.rooms[0].pk}/status/", {"status": "vacant"}
    )
    assert council.status_code == 403


def test_the_openapi_document_names_the_room_endpoints() -> None:
    schema = APIClient().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/bookings/holds/",
        "/api/v1/bookings/holds/{id}/confirm/",
        "/api/v1/bookings/vacancies/",
        "/api/v1/supported-living/rooms/{id}/status/",
    ):
        assert path in paths
