"""The Open Referral UK validator's sequence, replayed (shared/reference/external-checks.md
A1): discovery at ``/``, its version parsed as the validator parses it, then each list's
first, middle and last page, then every ``{id}`` harvested from the lists, each response
validated against ORUK's own schemas (tests/standards/oruk.py)."""

from __future__ import annotations

import re

import jsonschema
import pytest

from tests.standards.oruk import response_schema

pytestmark = pytest.mark.django_db
BASE = "/api/oruk"
PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page"}
LISTS = {
    "/services": "/services/{id}",
    "/service_at_locations": "/service_at_locations/{id}",
    "/taxonomies": "/taxonomies/{id}",
    "/taxonomy_terms": "/taxonomy_terms/{id}",
}


def validator_version(document: dict) -> float:
    """OpenApiDiscoveryService: drop "HSDS-UK-" and every v/V, then parse a float."""
    return float(re.sub("[vV]", "", str(document["version"]).replace("HSDS-UK-", "")))


def _nulls(value: object, where: str = "") -> list[str]:
    if value is None:
        return [where]
    if isinstance(value, dict):
        return [n for k, v in value.items() for n in _nulls(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [n for i, v in enumerate(value) for n in _nulls(v, f"{where}[{i}]")]
    return []


def _get(client, path: str, **query) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(BASE + path, query)
    assert response.status_code == 200, (path, query, response.content[:200])
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert not _nulls(body), f"{path}: optional fields must be omitted, not null: {_nulls(body)}"
    return body


def _pages(client, path: str, per_page: int | None) -> list[dict]:  # type: ignore[no-untyped-def]
    extra = {"per_page": per_page} if per_page else {}
    first = _get(client, path, page=1, **extra)
    last = first["total_pages"]
    wanted = sorted({1, last, *([last // 2] if last > 2 else [])})
    return [first] + [_get(client, path, page=n, **extra) for n in wanted[1:]]


def test_discovery_answers_a_version_the_validator_parses(client_for) -> None:  # type: ignore[no-untyped-def]
    meta = _get(client_for(None), "/")
    jsonschema.validate(meta, response_schema("/"))
    assert validator_version(meta) == 3.0
    assert meta["profile"] and meta["openapi_url"].startswith("http")


@pytest.mark.parametrize("per_page", [None, 2])  # the validator's own (no per_page), and many pages
def test_every_list_page_and_harvested_id_matches_orukss_schemas(client_for, per_page) -> None:  # type: ignore[no-untyped-def]
    client = client_for(None)
    for list_path, item_path in LISTS.items():
        pages = _pages(client, list_path, per_page)
        assert pages[0]["contents"], f"{list_path} is empty: the validator would only warn"
        for body in pages:
            jsonschema.validate(body, response_schema(list_path))
            assert PAGE_FIELDS | {"empty", "contents"} <= set(body)
            assert body["size"] == len(body["contents"])
        assert pages[-1]["last_page"] and pages[-1]["page_number"] == pages[0]["total_pages"]
        if per_page is None:
            continue
        for item in [i for body in pages for i in body["contents"]]:
            one = _get(client, item_path.replace("{id}", item["id"]))
            jsonschema.validate(one, response_schema(item_path))
            assert one["id"] == item["id"]


def test_organizations_list_and_detail(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(None)
    body = _get(client, "/organizations", page=1)
    assert PAGE_FIELDS | {"empty"} <= set(body) and body["contents"]
    one = _get(client, f"/organizations/{body['contents'][0]['id']}")
    assert one["name"] == body["contents"][0]["name"]


def test_every_oruk_query_parameter_is_accepted(client_for) -> None:  # type: ignore[no-untyped-def]
    unsupported = {
        "minimum_age": "18", "maximum_age": "65", "start_time": "09:00", "end_time": "17:00",
        "day": "MO", "minimal": "true", "full": "false", "modified_after": "2026-01-01",
        "format": "json", "proximity": "5", "postcode": "EX39 1AB", "top_only": "1",
    }  # fmt: skip
    client = client_for(None)
    near = _get(client, "/service_at_locations", **unsupported)
    assert near["contents"], "Bideford's zone has services"
    nowhere = _get(client, "/service_at_locations", postcode="not a postcode")
    assert nowhere["empty"] and nowhere["total_pages"] == 1 and nowhere["last_page"]
    assert _get(client, "/services", page=10**6)["last_page"]  # past the end: the last page
    assert client.get(BASE + "/services", {"page": "abc"}).status_code == 400
