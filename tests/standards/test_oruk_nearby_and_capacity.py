"""ORUK's ``postcode`` and ``proximity`` on /service_at_locations, over the platform's own
geography (zones of postcode districts and the zones bordering them), and HSDS 3.1
``service_capacity`` on services with supported living rooms or care home beds. Responses
are validated against the shared ORUK 3.0 compiled schemas (shared/standards/oruk-3.0) and
HSDS 3.1's service_capacity shape."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema
import pytest
from django.test import override_settings

from caremarket.care_homes.models import VacancyReturnLine
from caremarket.directory import oruk
from caremarket.directory.api.oruk import proximity
from caremarket.supported_living.models import Room

pytestmark = pytest.mark.django_db
BASE = "/api/oruk"
SHARED = Path("/work/shared/standards/oruk-3.0/schema/compiled")
VENDORED = Path(__file__).resolve().parent / "oruk-3.0"
# HSDS 3.1 schema/service_capacity.json and unit.json (openreferral/specification): the
# fields, types and required lists, as published.
UNIT = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string"},
        "scheme": {"type": "string"},
        "identifier": {"type": "string"},
    },
    "required": ["id", "name"],
}
SERVICE_CAPACITY = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "service_id": {"type": "string", "format": "uuid"},
        "unit": UNIT,
        "unit_id": {"type": "string", "format": "uuid"},
        "available": {"type": "number"},
        "maximum": {"type": "number"},
        "description": {"type": "string"},
        "updated": {"type": "string", "format": "date-time"},
    },
    "required": ["id", "unit", "available", "updated"],
}
CHECKER = jsonschema.FormatChecker()


@functools.cache
def _schema(name: str) -> dict:
    path = SHARED / name if (SHARED / name).exists() else VENDORED / name
    schema = json.loads(path.read_text())
    schema.pop("$schema", None)
    return schema


@functools.cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    """Checked and compiled once (``jsonschema.validate`` re-checks the schema itself on
    every call, which was most of this file's time)."""
    schema = _schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _ids(client, **query) -> set[str]:  # type: ignore[no-untyped-def]
    body = client.get(f"{BASE}/service_at_locations", {"per_page": 500, **query}).json()
    for item in body["contents"]:
        _validator("service_at_location.json").validate(item)
    return {item["id"] for item in body["contents"]}


def test_proximity_reads_orukss_format_metres_as_a_number() -> None:
    assert proximity("5000") == 5000 and proximity(" 2.5 ") == 2.5
    assert proximity("abc") is None and proximity("-3") is None and proximity("nan") is None
    assert proximity("9" * 400) == 1_000_000  # bounded, never an overflow


@override_settings(ORUK_NEIGHBOUR_ZONE_METRES=10_000)
def test_proximity_widens_a_postcode_search_to_the_bordering_zones(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(None)
    everywhere = _ids(client)
    covering = _ids(client, postcode="EX39 1AB")  # Bideford: Devon's zone covering it
    near = _ids(client, postcode="EX39 1AB", proximity="100")
    far = _ids(client, postcode="EX39 1AB", proximity="25000")
    assert covering and near == covering  # 100 m: the postcode's own zones
    assert covering < far <= everywhere  # 25 km: the bordering zones' services as well
    assert _ids(client, postcode="EX39 1AB", proximity="not a number") == covering
    assert _ids(client, proximity="25000") == everywhere  # no postcode: nothing to measure from


def _service(client, key: oruk.ServiceKey) -> dict:  # type: ignore[no-untyped-def]
    answer = client.get(f"{BASE}/services/{key.id}")
    assert answer.status_code == 200
    body = answer.json()
    _validator("service.json").validate(body)
    return body


def _key(provider_id: int, code: str) -> oruk.ServiceKey:
    from caremarket.core import clock

    return next(
        k
        for k in oruk.services(clock.today())
        if k.provider.pk == provider_id and k.service_type.code == code
    )


def test_supported_living_rooms_are_published_as_hsds_service_capacity(client_for) -> None:  # type: ignore[no-untyped-def]
    room = Room.objects.filter(property__scheme__care_provider__isnull=False).first()
    provider_id = room.property.scheme.care_provider_id
    key = _key(provider_id, "supported-living")
    body = _service(client_for(None), key)
    (capacity,) = body["capacities"]
    jsonschema.validate(capacity, SERVICE_CAPACITY, format_checker=CHECKER)
    rooms = Room.objects.filter(property__scheme__care_provider_id=provider_id)
    assert capacity["maximum"] == rooms.count()
    assert capacity["unit"]["name"] == "Room" and capacity["service_id"] == key.id
    # one room taken: one fewer available
    before = capacity["available"]
    free = rooms.filter(status="vacant").first()
    if free is not None:
        free.status, free.void_since = "occupied", None
        free.save()
        again = _service(client_for(None), key)["capacities"][0]
        assert again["available"] == before - 1


def test_care_home_beds_are_published_on_residential_and_nursing_services(client_for) -> None:  # type: ignore[no-untyped-def]
    """The demo's care home groups are on no framework, so not in the directory: one home
    moves to a provider the directory lists, which offers residential and nursing care."""
    from caremarket.core import clock
    from caremarket.market.models import ServiceType

    line = (
        VacancyReturnLine.objects.filter(vacancy_return__superseded_by__isnull=True)
        .order_by("-vacancy_return__month")
        .select_related("vacancy_return__care_home__location")
        .first()
    )
    home = line.vacancy_return.care_home
    listed_provider = oruk.services(clock.today())[0].provider
    home.location.provider = listed_provider
    home.location.save()
    listed_provider.service_types.add(*ServiceType.objects.filter(code__endswith="-care"))
    code = {"residential": "residential-care", "nursing": "nursing-care"}[home.kind]
    key = _key(listed_provider.pk, code)
    body = _service(client_for(None), key)
    (capacity,) = body["capacities"]
    jsonschema.validate(capacity, SERVICE_CAPACITY, format_checker=CHECKER)
    lines = VacancyReturnLine.objects.filter(
        vacancy_return__superseded_by__isnull=True,
        vacancy_return__month=line.vacancy_return.month,
        vacancy_return__care_home=home,
    )
    assert capacity["unit"]["name"] == "Bed"
    assert capacity["maximum"] == sum(x.maximum_capacity for x in lines)
    assert capacity["available"] == sum(x.vacant_accepting for x in lines)
    listed = client_for(None).get(f"{BASE}/services", {"per_page": 500}).json()["contents"]
    assert key.id in {s["id"] for s in listed if "capacities" in s}
    for service in listed:
        _validator("service.json").validate(service)


def test_a_service_without_rooms_or_beds_carries_no_capacities(client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for(None).get(f"{BASE}/services", {"per_page": 500}).json()
    home_care = [s for s in body["contents"] if "Regulated personal care" in s["name"]]
    assert home_care and not any("capacities" in s for s in home_care)
