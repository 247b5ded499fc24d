"""Vacancies and capacity in the Open Referral UK feed, in HSDS 3.1's ``service_capacity``
shape (issue 15): ``{id, service_id, unit {id, name}, available, maximum, description,
updated}`` in a service's ``capacities``.

- A provider's *Supported living care* service carries its supported living rooms
  (``supported_living.selectors.published_room_capacity``): available = free to hold now.
- Its *Residential care* and *Nursing care* services carry the beds of its residential and
  nursing homes from the care home returns in force (``care_homes.selectors``): available =
  vacant and accepting admissions.

HSDS 3.0 (ORUK's schemas) has no ``capacities``; it is an extra field there, which its
schemas allow. Only counts are published: never a room, a home's resident or a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from caremarket.care_homes import selectors as care_homes
from caremarket.directory import oruk
from caremarket.supported_living import selectors as supported_living

ROOM, BED = "Room", "Bed"
KIND_OF_HOME = {"residential-care": "residential", "nursing-care": "nursing"}


@dataclass(frozen=True)
class Counts:
    available: int
    maximum: int
    updated: datetime
    unit: str
    description: str


class Capacities:
    """The counts for every provider, read once a request (two grouped queries)."""

    def __init__(self, today: date, now: datetime) -> None:
        self.rooms = supported_living.published_room_capacity(now)
        self.beds = care_homes.published_bed_capacity(today)

    def counts(self, key: oruk.ServiceKey) -> Counts | None:
        code, provider_id = key.service_type.code, key.provider.pk
        if code == "supported-living" and provider_id in self.rooms:
            r = self.rooms[provider_id]
            about = "Supported living rooms free to offer now, across this provider's schemes."
            return Counts(r.available, r.maximum, r.updated, ROOM, about)
        kind = KIND_OF_HOME.get(code)
        beds = self.beds.get((provider_id, kind)) if kind else None
        if beds:
            about = f"Beds vacant and accepting admissions in this provider's {kind} homes."
            return Counts(beds["available"], beds["maximum"], beds["updated"], BED, about)
        return None

    def add_to(self, doc: dict[str, Any], key: oruk.ServiceKey) -> dict[str, Any]:
        """``doc`` (a service) with its ``capacities`` when it has rooms or beds."""
        counts = self.counts(key)
        if counts is not None:
            doc["capacities"] = [service_capacity(key, counts)]
        return doc


def service_capacity(key: oruk.ServiceKey, c: Counts) -> dict[str, Any]:
    return {
        "id": oruk.oid("service-capacity", key.id, c.unit),
        "service_id": key.id,
        "unit": {"id": oruk.oid("unit", c.unit), "name": c.unit},
        "unit_id": oruk.oid("unit", c.unit),
        "available": c.available,
        "maximum": c.maximum,
        "description": c.description,
        "updated": c.updated.isoformat(timespec="milliseconds"),
    }
