from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from caremarket.providers.models import Provider

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parent.parent / "standards" / "oruk-3.0"


def test_search_by_postcode_finds_providers_in_that_zone(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(None).get("/directory/", {"postcode": "ex39 1ab"}).content.decode()
    assert "Devon County Council Zone 1: Bideford, Torrington and Holsworthy" in page
    assert "provider" in page and "(fictitious)" in page


def test_search_filters_by_service_type_and_care_group(client_for) -> None:  # type: ignore[no-untyped-def]
    from caremarket.market.models import CareGroup, ServiceType

    personal_care = ServiceType.objects.get(code="personal-care")
    mh = CareGroup.objects.get(code="MH")
    client = client_for(None)
    everyone = (
        client.get("/directory/", {"postcode": "EX4 1AA"}).context["pages"].page.paginator.count
    )
    narrowed = client.get(
        "/directory/",
        {"postcode": "EX4 1AA", "service_type": personal_care.pk, "care_group": mh.pk},
    ).context
    count = narrowed["pages"].page.paginator.count
    assert 0 < count < everyone
    for result in narrowed["results"]:
        provider = result["provider"]
        assert personal_care in provider.service_types.all() and mh in provider.care_groups.all()


def test_a_malformed_postcode_gets_a_message(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(None).get("/directory/", {"postcode": "banana"}).content.decode()
    assert "There is a problem" in page and "Enter a real postcode" in page
    uncovered = client_for(None).get("/directory/", {"postcode": "M1 1AE"}).content.decode()
    assert "No commissioner on caremarket covers M1 1AE" in uncovered


def test_results_are_paginated_and_export_as_csv(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(None)
    first = client.get("/directory/").context["pages"]
    assert first.page.paginator.count > 200 and len(first.page.object_list) == 20
    assert client.get("/directory/", {"page": "999"}).status_code == 200  # clamped, not a 404
    csv = client.get("/directory/", {"postcode": "EX39 1AB", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0] == "Provider,Services,Supports"


def test_a_provider_page_shows_zones_lots_cqc_ids_and_care_groups_but_no_prices(client_for) -> None:  # type: ignore[no-untyped-def]
    provider = Provider.objects.get(name="Harbour Homecare Group")
    page = client_for(None).get(f"/directory/{provider.slug}/").content.decode()
    assert "Living Well at Home" in page and "Supported Living Flexible Framework" in page
    assert "Zone 4: Exeter" in page and "Locality 1: West and Central" in page
    assert provider.locations.first().cqc_location_id in page
    assert "Mental health" in page
    assert "£" not in page


def _validate(instance: object, schema_file: str) -> None:
    schema = json.loads((SCHEMAS / schema_file).read_text())
    jsonschema.validate(instance, schema)


def test_open_referral_uk_services_validate_against_the_standard(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(None)
    page = client.get("/api/oruk/services", {"per_page": 20}).json()
    assert page["total_items"] > 200 and page["size"] == 20 and page["first_page"] is True
    for service in page["contents"]:
        _validate(service, "service_list.json")
    full = client.get(f"/api/oruk/services/{page['contents'][0]['id']}").json()
    _validate(full, "service.json")
    assert full["service_areas"] and full["attributes"]
    _validate(full["organization"], "organization.json")


def test_open_referral_uk_taxonomies_validate(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(None)
    for term in client.get("/api/oruk/taxonomy_terms").json()["contents"]:
        _validate(term, "taxonomy_term.json")
    for taxonomy in client.get("/api/oruk/taxonomies").json()["contents"]:
        _validate(taxonomy, "taxonomy.json")
    assert client.get("/api/oruk/").json()["version"] == "3.0"


def test_oruk_ids_are_stable_uuids(client_for) -> None:  # type: ignore[no-untyped-def]
    first = client_for(None).get("/api/oruk/services", {"per_page": 5}).json()["contents"]
    again = client_for(None).get("/api/oruk/services", {"per_page": 5}).json()["contents"]
    assert [s["id"] for s in first] == [s["id"] for s in again]
    term = client_for(None).get("/api/oruk/taxonomy_terms").json()["contents"][0]["id"]
    filtered = client_for(None).get("/api/oruk/services", {"taxonomy_term_id": term}).json()
    assert filtered["total_items"] > 0
