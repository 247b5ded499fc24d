"""The directory as Open Referral UK 3.0 (HSDS 3.0 UK profile) documents.

An ORUK *service* here is one provider's offer of one service type (for example "Example Care:
Regulated personal care"); its *service areas* are the zones it is appointed in; it is
classified by two taxonomies of our own, service types and care groups. ORUK identifiers
must be UUIDs, so ours are derived (uuid5) from stable keys: the same record always has the
same id, across rebuilds of the database.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from caremarket.core.errors import NotFound
from caremarket.directory import selectors
from caremarket.market.models import CareGroup, ServiceType, Zone
from caremarket.providers.models import Location, Provider

NAMESPACE = uuid.UUID("6f1c7a52-5b0e-4f55-9d59-0d3c2f8a1e10")
HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"

TAXONOMIES = {
    "service-type": ("Service types", "What kind of adult social care the service is."),
    "care-group": ("Care groups", "Who the service supports."),
}


def oid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


@dataclass(frozen=True)
class ServiceKey:
    provider: Provider
    service_type: ServiceType

    @property
    def id(self) -> str:
        return oid("service", self.provider.slug, self.service_type.code)


def taxonomy_terms() -> list[dict[str, Any]]:
    terms = [
        _term("service-type", st.code, st.name, f"Unit: {st.get_unit_display()}")
        for st in ServiceType.objects.all()
    ]
    terms += [
        _term("care-group", cg.code, cg.name, cg.clc_primary_support_reason)
        for cg in CareGroup.objects.all()
    ]
    return terms


def taxonomies() -> list[dict[str, Any]]:
    return [
        {"id": oid("taxonomy", key), "name": name, "description": description, "version": "1"}
        for key, (name, description) in TAXONOMIES.items()
    ]


def _term(taxonomy: str, code: str, name: str, description: str) -> dict[str, Any]:
    return {
        "id": oid("term", taxonomy, code),
        "name": name,
        "description": description or name,
        "taxonomy": TAXONOMIES[taxonomy][0],
        "taxonomy_id": oid("taxonomy", taxonomy),
        "term": code,
    }


def services(
    today: date,
    *,
    search: str = "",
    term_id: str = "",
    taxonomy_id: str = "",
    organization_id: str = "",
    zones: list[Zone] | None = None,
) -> list[ServiceKey]:
    """ORUK's filters that mean something here; the others (ages, times, days) are accepted
    and ignored, as the validator expects of a feed that does not hold them."""
    providers: QuerySet[Provider] = selectors.search(
        today, name=search, zones=zones
    ).prefetch_related("service_types", "care_groups", "locations")
    keys = [ServiceKey(p, st) for p in providers for st in p.service_types.all()]
    if organization_id:
        keys = [k for k in keys if oid("organization", k.provider.slug) == organization_id]
    if term_id:
        keys = [k for k in keys if term_id in {a["taxonomy_term_id"] for a in _attributes(k)}]
    if taxonomy_id:
        keys = [
            k
            for k in keys
            if taxonomy_id in {a["taxonomy_term"]["taxonomy_id"] for a in _attributes(k)}
        ]
    return keys


def services_at_locations(keys: list[ServiceKey]) -> list[dict[str, Any]]:
    """One entry per service and place it is delivered from, with the service's summary."""
    return [
        {**_at_location(k, loc), "service": service_summary(k)}
        for k in keys
        for loc in k.provider.locations.all()
    ]


def by_id(items: list[dict[str, Any]], item_id: str, what: str) -> dict[str, Any]:
    for item in items:
        if item["id"] == item_id:
            return item
    raise NotFound(f"No {what} with that id.")


def organizations(today: date) -> list[dict[str, Any]]:
    return [organization(p) for p in selectors.search(today)]


def service_by_id(today: date, service_id: str) -> ServiceKey:
    for key in services(today):
        if key.id == service_id:
            return key
    raise NotFound("No service with that id.")


def page(items: list[Any], page_number: int, per_page: int) -> dict[str, Any]:
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    page_number = min(max(page_number, 1), pages)
    contents = items[(page_number - 1) * per_page : page_number * per_page]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number == pages,
        "empty": total == 0,
        "contents": contents,
    }


def organization(provider: Provider) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": oid("organization", provider.slug),
        "name": provider.display_name,
        "description": provider.description
        or f"{provider.display_name} provides adult social care.",
    }
    if provider.email:
        doc["email"] = provider.email
    if provider.website:
        doc["website"] = provider.website
    if provider.companies_house_number:
        doc["organization_identifiers"] = [
            {
                "id": oid("org-identifier", provider.slug, "companies-house"),
                "organization_id": doc["id"],
                "identifier_scheme": "GB-COH",
                "identifier_type": "Company number",
                "identifier": provider.companies_house_number,
            }
        ]
    return doc


def service_summary(key: ServiceKey) -> dict[str, Any]:
    p, st = key.provider, key.service_type
    doc: dict[str, Any] = {
        "id": key.id,
        "organization_id": oid("organization", p.slug),
        "name": f"{p.display_name}: {st.name}",
        "description": p.description or f"{st.name} from {p.display_name}.",
        "status": "active",
        "organization": organization(p),
    }
    if p.email:
        doc["email"] = p.email
    if p.website:
        doc["url"] = p.website
    return doc


def service_full(key: ServiceKey, today: date) -> dict[str, Any]:
    doc = service_summary(key)
    profile = selectors.profile(key.provider.slug, today)
    zones = [z for zs in profile.zones_by_commissioner.values() for z in zs]
    doc["service_areas"] = [_area(key, z) for z in zones]
    doc["attributes"] = _attributes(key)
    doc["service_at_locations"] = [_at_location(key, loc) for loc in key.provider.locations.all()]
    return doc


def _area(key: ServiceKey, zone: Zone) -> dict[str, Any]:
    return {
        "id": oid("service-area", key.id, zone.pk),
        "service_id": key.id,
        "name": f"{zone.commissioner.name} {zone.label}",
        "extent": ", ".join(a.code for a in zone.postcode_areas.all()),
        "extent_type": "postcode districts",
    }


def _attributes(key: ServiceKey) -> list[dict[str, Any]]:
    terms = [
        _term(
            "service-type",
            key.service_type.code,
            key.service_type.name,
            f"Unit: {key.service_type.get_unit_display()}",
        )
    ]
    terms += [
        _term("care-group", g.code, g.name, g.clc_primary_support_reason)
        for g in key.provider.care_groups.all()
    ]
    return [
        {
            "id": oid("attribute", key.id, t["id"]),
            "link_id": key.id,
            "link_type": "service",
            "taxonomy_term_id": t["id"],
            "taxonomy_term": t,
        }
        for t in terms
    ]


def _at_location(key: ServiceKey, location: Location) -> dict[str, Any]:
    location_id = oid("location", location.pk)
    loc: dict[str, Any] = {"id": location_id, "location_type": "physical", "name": location.name}
    if location.cqc_location_id:
        loc["external_identifier"] = location.cqc_location_id
        loc["external_identifier_type"] = "CQC location ID"
    if location.address and location.postcode:
        loc["addresses"] = [
            {
                "id": oid("address", location.pk),
                "location_id": location_id,
                "address_1": location.address,
                "city": location.town or location.address,
                "state_province": "England",
                "postal_code": location.postcode,
                "country": "GB",
                "address_type": "physical",
            }
        ]
    return {
        "id": oid("service-at-location", key.id, location.pk),
        "service_id": key.id,
        "location_id": location_id,
        "location": loc,
    }
