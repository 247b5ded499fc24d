from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from caremarket.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_openapi_document_describes_every_endpoint(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(None).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for expected in (
        "/api/v1/zones/",
        "/api/v1/zones/lookup/",
        "/api/v1/frameworks/",
        "/api/v1/prices/",
        "/api/v1/directory/",
        "/api/oruk/services",
    ):
        assert expected in paths


def test_the_api_docs_need_nothing_from_a_cdn(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(None).get("/api/docs/").content.decode()
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page
    assert "<script" not in page.split("</main>")[0].split("<main")[-1]  # no JavaScript needed


def test_token_authentication_for_provider_systems(user) -> None:  # type: ignore[no-untyped-def]
    provider_user: User = user("provider.devon")
    token = Token.objects.create(user=provider_user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    rows = client.get("/api/v1/prices/").json()
    assert rows and {r["provider_id"] for r in rows} == {provider_user.provider_id}
    assert Client(HTTP_AUTHORIZATION="Token nonsense").get("/api/v1/prices/").status_code == 401


def test_postcode_lookup_api(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("devon.broker")
    ok = client.get("/api/v1/zones/lookup/", {"postcode": "ex39 1ab"})
    assert ok.status_code == 200
    assert ok.json()["postcode"] == "EX39 1AB" and ok.json()["zone"]["number"] == 1
    bad = client.get("/api/v1/zones/lookup/", {"postcode": "nonsense"})
    assert bad.status_code == 400 and "Enter a real postcode" in bad.json()["detail"]
    elsewhere = client.get("/api/v1/zones/lookup/", {"postcode": "PO30 1UD"})
    assert elsewhere.status_code == 400 and "not in any zone" in elsewhere.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"lot": "x"}, "lot"), ({"on": "yesterday"}, "on"), ({"zone": "-1"}, "zone")],
)
def test_bad_query_parameters_get_a_400_naming_the_field(client_for, query, field) -> None:  # type: ignore[no-untyped-def]
    response = client_for("devon.broker").get("/api/v1/prices/", query)
    assert response.status_code == 400 and field in response.json()


def test_prices_on_a_past_date(client_for) -> None:  # type: ignore[no-untyped-def]
    rows = client_for("devon.broker").get("/api/v1/prices/", {"on": "2000-01-01"}).json()
    assert rows == []


def test_framework_api_gives_terms_windows_and_bands(client_for) -> None:  # type: ignore[no-untyped-def]
    data = client_for("staffs.broker").get("/api/v1/frameworks/").json()
    framework = data["results"][0]
    assert framework["route_to_market"] == "call_off"
    assert framework["latest_possible_end"] == "2032-02-28"
    assert {b["level"] for b in framework["bands"]} == {"low", "medium", "high", "very_high"}
    assert {w["state"] for w in framework["entry_windows"]} == {"closed", "open"}


def test_public_directory_api_needs_no_sign_in_and_shows_no_prices(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(None).get(
        "/api/v1/directory/", {"postcode": "PO30 5XX", "service_type": "personal-care"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 2
    assert "price" not in response.content.decode().lower()
    unknown = client_for(None).get("/api/v1/directory/", {"service_type": "teleportation"})
    assert unknown.status_code == 400 and "Unknown service type" in str(
        unknown.json()["service_type"]
    )
