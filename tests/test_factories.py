"""The model factories in tests/factories.py: each builds a valid record, saved, whose
model validation (fields, choices, ``clean``, unique and check constraints) passes."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import models

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES: dict[str, Callable[[], models.Model]] = {
    "commissioner": factories.commissioner,
    "zone": factories.zone,
    "postcode_district": lambda: factories.postcode_district(factories.zone(district=None)),
    "care_group": factories.care_group,
    "new_care_group": lambda: factories.care_group("FACT", name="Factory group"),
    "service_type": factories.service_type,
    "new_service_type": lambda: factories.service_type("factory-service"),
    "provider": factories.provider,
    "framework": factories.framework,
    "lot": factories.lot,
    "appointment": factories.appointment,
    "price": factories.price,
    "council_user": factories.council_user,
    "person": factories.person,
    "referral": factories.referral,
    "spot_referral": lambda: factories.referral(spot=True),
}


@pytest.mark.parametrize("name", FACTORIES)
def test_each_factory_builds_a_valid_saved_record(name: str) -> None:
    record = FACTORIES[name]()
    assert record.pk is not None
    fresh = type(record).objects.get(pk=record.pk)
    fresh.full_clean()


def test_factories_can_be_called_again_without_colliding() -> None:
    for make in FACTORIES.values():
        for _ in range(3):
            make().full_clean()


def test_a_zone_comes_with_a_postcode_district_of_its_own() -> None:
    zone = factories.zone()
    (district,) = zone.postcode_areas.all()
    assert district.commissioner == zone.commissioner
    assert factories.zone(district=None).postcode_areas.count() == 0
    assert factories.zone(district="ex99").postcode_areas.get().code == "EX99"


def test_related_records_hang_together() -> None:
    price = factories.price(amount=Decimal("21.50"))
    appointment = price.appointment
    assert price.zone in appointment.zones.all()
    assert set(appointment.zones.all()) == set(appointment.lot.zones.all())
    assert appointment.provider.service_types.filter(code="personal-care").exists()

    referral = factories.referral()
    assert referral.zone == referral.person.zone
    assert referral.zone in referral.lot.zones.all()
    assert referral.framework == referral.lot.framework
    assert referral.commissioner == referral.person.commissioner == referral.zone.commissioner
    assert referral.raised_by.commissioner == referral.commissioner
    assert referral.person.postcode_district == referral.zone.postcode_areas.get().code


def test_related_records_passed_in_are_used() -> None:
    commissioner = factories.commissioner()
    zone = factories.zone(commissioner)
    lot = factories.lot(factories.framework(commissioner), zones=[zone])
    person = factories.person(zone)
    referral = factories.referral(person, lot=lot)
    assert (referral.person, referral.lot, referral.zone) == (person, lot, zone)
    assert factories.zone(commissioner).number == zone.number + 1
