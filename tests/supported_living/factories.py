"""Factories for supported living and bookings tests: a banded framework with Staffordshire's
groups, a scheme with a care provider, a property and its rooms, and a referral with a band.

Plain functions over tests/factories.py; keyword arguments override defaults. Writes go
straight to the models: the behaviour under test is driven through the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from caremarket.accounts.models import User
from caremarket.bookings.models import HoldPolicy
from caremarket.brokerage.models import Referral
from caremarket.core import clock
from caremarket.core.roles import Role
from caremarket.frameworks.models import Band, Framework, Lot
from caremarket.market.models import Commissioner, Zone
from caremarket.providers.models import Provider
from caremarket.supported_living import rules
from caremarket.supported_living.models import (
    Landlord,
    Property,
    Room,
    Scheme,
    SupportGroup,
)
from tests import factories as f

GROUPS = ("1", "2", "3a", "3b", "3c", "4")
BAND_HOURS = {"low": "10", "medium": "21", "high": "42", "very_high": "84"}


def banded_framework(commissioner: Commissioner | None = None, **fields: Any) -> Framework:
    """A call-off framework at banded weekly rates (£25.00 an hour), with its bands."""
    values: dict[str, Any] = {
        "kind": Framework.Kind.FLEXIBLE_FRAMEWORK,
        "route_to_market": Framework.Route.CALL_OFF,
        "award_rule": Framework.AwardRule.WEIGHTED,
        "quality_weight": Decimal("60"),
        "price_weight": Decimal("40"),
        "pricing_model": Framework.PricingModel.BANDED_WEEKLY_RATE,
    }
    values.update(fields)
    framework = f.framework(commissioner, **values)
    for level, hours in BAND_HOURS.items():
        Band.objects.create(
            framework=framework,
            level=level,
            typical_hours_per_week=Decimal(hours),
            hourly_rate=Decimal("25.00"),
            effective_from=framework.start_date,
        )
    return framework


def groups(commissioner: Commissioner) -> dict[str, SupportGroup]:
    return {
        code: SupportGroup.objects.get_or_create(
            commissioner=commissioner,
            code=code,
            defaults={"name": f"Group {code}", "sequence": n, "in_framework": code != "4"},
        )[0]
        for n, code in enumerate(GROUPS)
    }


def provider_user(provider: Provider, **fields: Any) -> User:
    n = f._next()
    values = {"username": f"factory.provider.{n}", "email": f"provider.{n}@x.example"}
    values.update(fields)
    return User.objects.create_user(role=Role.PROVIDER, provider=provider, **values)


def scheme(lot: Lot, *, care_provider: Provider | None = None, **fields: Any) -> Scheme:
    values: dict[str, Any] = {
        "name": f"Factory scheme {f._next()}",
        "zone": lot.zones.order_by("number").first(),
        "rooms": 4,
        "care_provider": care_provider or f.provider(),
    }
    codes = fields.pop("groups", ("2",))
    values.update(fields)
    made = Scheme.objects.create(commissioner=lot.framework.commissioner, lot=lot, **values)
    made.groups.set([groups(made.commissioner)[c] for c in codes])
    return made


def property_(scheme: Scheme, *, zone: Zone | None = None, **fields: Any) -> Property:
    where = zone or scheme.zone
    district = where.postcode_areas.values_list("code", flat=True).first()
    if district is None:
        district = f.postcode_district(where).code
    n = f._next()
    values: dict[str, Any] = {
        "landlord": Landlord.objects.get_or_create(name="Factory Housing Trust")[0],
        "name": f"{n} Factory Road",
        "address": f"{n} Factory Road",
        "postcode": f"{district} 2CD",
        "latitude": Decimal("52.80000"),
        "longitude": Decimal("-2.10000"),
    }
    values.update(fields)
    return Property.objects.create(scheme=scheme, zone=where, **values)


def room(prop: Property, **fields: Any) -> Room:
    values: dict[str, Any] = {
        "name": f"Room {f._next()}",
        "status": rules.VACANT,
        "void_since": clock.today() - timedelta(days=10),
        "last_confirmed_at": clock.now(),
    }
    values.update(fields)
    return Room.objects.create(property=prop, **values)


@dataclass
class World:
    commissioner: Commissioner
    zone: Zone
    framework: Framework
    lot: Lot
    provider: Provider
    provider_user: User
    broker: User
    scheme: Scheme
    property: Property
    rooms: list[Room]

    def referral(self, band: str = "medium", **fields: Any) -> Referral:
        person = f.person(self.zone)
        return f.referral(
            person,
            lot=self.lot,
            service_type=f.service_type("supported-living"),
            hours_per_week=None,
            band=self.band(band),
            **fields,
        )

    def band(self, level: str) -> Band:
        return Band.objects.get(framework=self.framework, level=level)

    def other_provider_user(self) -> User:
        return provider_user(f.provider())


def world(rooms: int = 3, hold_hours: int | None = None) -> World:
    """One council, one zone, a banded call-off framework and lot, a scheme serving group 2
    with one property of ``rooms`` vacant rooms, its care provider and a broker."""
    commissioner = f.commissioner()
    zone = f.zone(commissioner)
    framework = banded_framework(commissioner)
    if hold_hours is not None:
        HoldPolicy.objects.create(framework=framework, hold_hours=hold_hours)
    lot = f.lot(framework, zones=[zone], service_types=[f.service_type("supported-living")])
    provider = f.provider()
    f.appointment(lot, provider)
    made = scheme(lot, care_provider=provider)
    prop = property_(made)
    return World(
        commissioner=commissioner,
        zone=zone,
        framework=framework,
        lot=lot,
        provider=provider,
        provider_user=provider_user(provider),
        broker=f.council_user(commissioner, role=Role.BROKER),
        scheme=made,
        property=prop,
        rooms=[room(prop) for _ in range(rooms)],
    )


def later(hours: float) -> datetime:
    return clock.now() + timedelta(hours=hours)


def today_plus(days: int) -> date:
    return clock.today() + timedelta(days=days)
