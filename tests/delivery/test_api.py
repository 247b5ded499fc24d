"""Visits over the API: one or a batch, idempotent, a provider's own people only, clear 4xx."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from caremarket.delivery.models import Visit
from caremarket.delivery.services import planning
from tests.delivery import factories as d

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)


@pytest.fixture
def a():  # type: ignore[no-untyped-def]
    made = d.agreement(start=MONDAY)
    d.daily_pattern(made)
    d.rule(made.commissioner)
    planning.plan(made.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    return made


def _client(a) -> Client:  # type: ignore[no-untyped-def]
    token = Token.objects.create(user=d.provider_user(a.provider))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def _visit(a, vid: str, start: str = "08:00", end: str = "09:00") -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "visit_id": vid,
        "person_ref": a.person.reference,
        "carer_ref": "CW9",
        "check_in": f"{MONDAY}T{start}:00+01:00",
        "check_out": f"{MONDAY}T{end}:00+01:00",
        "method": "app_gps",
    }


def _post(client: Client, path: str, body: object):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body), content_type="application/json")


def test_one_visit_then_the_same_again(a) -> None:  # type: ignore[no-untyped-def]
    client = _client(a)
    body = {**_visit(a, "API-1"), "commissioner": a.commissioner_id}
    first = _post(client, "/api/v1/delivery/visits/", body)
    assert first.status_code == 201 and first.json() == {"received": 1, "written": 1}
    again = _post(client, "/api/v1/delivery/visits/", body)
    assert again.status_code == 201 and again.json()["written"] == 0
    listed = client.get("/api/v1/delivery/visits/").json()
    assert [v["external_id"] for v in listed["results"]] == ["API-1"]


def test_a_batch_is_all_or_nothing(a) -> None:  # type: ignore[no-untyped-def]
    client = _client(a)
    good, bad = _visit(a, "B-1"), _visit(a, "B-2", start="09:00", end="08:30")
    response = _post(
        client,
        "/api/v1/delivery/visits/batch/",
        {"commissioner": a.commissioner_id, "visits": [good, bad]},
    )
    assert response.status_code == 400
    assert "before check_in" in json.dumps(response.json())
    assert not Visit.objects.exists()
    ok = _post(
        client,
        "/api/v1/delivery/visits/batch/",
        {"commissioner": a.commissioner_id, "visits": [good]},
    )
    assert ok.status_code == 201 and Visit.objects.count() == 1


def test_another_providers_person_is_refused(a) -> None:  # type: ignore[no-untyped-def]
    other = d.agreement(commissioner=a.commissioner)
    body = {**_visit(other, "X-1"), "commissioner": a.commissioner_id}
    response = _post(_client(a), "/api/v1/delivery/visits/", body)
    assert (
        response.status_code == 400
        and "no agreement with your organisation" in response.content.decode()
    )
    assert not Visit.objects.exists()


def test_council_staff_cannot_send_visits(a) -> None:  # type: ignore[no-untyped-def]
    token = Token.objects.create(user=d.finance(a.commissioner))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = {**_visit(a, "C-1"), "commissioner": a.commissioner_id}
    assert _post(client, "/api/v1/delivery/visits/", body).status_code == 403
