"""Model factories for integration tests: each builds one valid, saved record, with every
field it needs defaulted and every related record it needs made on the way.

Why: until now a test that wanted a commissioner, a lot or a referral found one in the demo
market, so every test depended on the whole demo being built, and a test of one rule read
as a search through seed data. A factory states in the test what the test depends on
(``price(amount=Decimal("21.50"))``) and nothing more. These are plain functions, not
factory_boy: keyword arguments override any default, and a related record passed in is used
instead of a new one.

Names, slugs, references and postcode districts come from a counter, and postcode districts
use the made-up area ``Q``, so records never collide with each other or with the demo
market (which the session's test database also holds). Reference data (care groups, service
types, specialisms) is shared configuration, ensured after every migrate: ``care_group`` and
``service_type`` return the existing row for a known code and create one otherwise.

Writes here go straight to the models, not through ``services``: a factory makes the state
a test starts from; the behaviour under test should still be driven through the services.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from caremarket.accounts.models import User
from caremarket.brokerage.models import Person, Referral
from caremarket.core import clock
from caremarket.core.roles import Role
from caremarket.engine import postcodes
from caremarket.frameworks.models import Appointment, Framework, Lot, Price
from caremarket.market.models import CareGroup, Commissioner, PostcodeArea, ServiceType, Zone
from caremarket.providers.models import Provider

_serial = itertools.count(1)


def _next() -> int:
    return next(_serial)


# --- market: who commissions, where, for whom, what ----------------------------------------


def commissioner(**fields: Any) -> Commissioner:
    n = _next()
    values: dict[str, Any] = {
        "name": f"Factory County Council {n}",
        "slug": f"factory-county-{n}",
        "ons_code": f"E1{n:07d}"[:9],
        "zone_label": "zone",
        "website": f"https://factory-county-{n}.example",
    }
    values.update(fields)
    return Commissioner.objects.create(**values)


_commissioner = commissioner


def postcode_district(zone: Zone, code: str = "", **fields: Any) -> PostcodeArea:
    """Map a postcode district to ``zone``: ``code``, or a fresh one in the made-up ``Q``
    areas (QA1 ... QZ99), which no real postcode and no demo zone uses."""
    if not code:
        n = _next()
        code = f"Q{chr(ord('A') + n // 99 % 26)}{n % 99 + 1}"
    return PostcodeArea.objects.create(
        commissioner=zone.commissioner, zone=zone, code=postcodes.normalise_area(code), **fields
    )


def zone(
    commissioner: Commissioner | None = None, *, district: str | None = "", **fields: Any
) -> Zone:
    """The commissioner's next zone (of a new commissioner by default), with one postcode
    district mapped to it: ``district``, a fresh one if empty, none if ``None``."""
    owner = commissioner or _commissioner()
    last = owner.zones.order_by("-number").values_list("number", flat=True).first()
    values: dict[str, Any] = {"number": (last or 0) + 1, "name": f"Factory zone {_next()}"}
    values.update(fields)
    made = Zone.objects.create(commissioner=owner, **values)
    if district is not None:
        postcode_district(made, district)
    return made


_zone = zone


def care_group(code: str = "OP", **fields: Any) -> CareGroup:
    """The shared care group ``code`` (Older people by default), created if missing."""
    values: dict[str, Any] = {
        "name": f"Factory care group {code}",
        "clc_primary_support_reason": CareGroup.PrimarySupportReason.PHYSICAL_PERSONAL,
    }
    values.update(fields)
    made, _ = CareGroup.objects.get_or_create(code=code, defaults=values)
    return made


def service_type(code: str = "personal-care", **fields: Any) -> ServiceType:
    """The shared service type ``code`` (regulated personal care, by the hour, by default),
    created if missing."""
    values: dict[str, Any] = {
        "name": f"Factory service {code}",
        "unit": ServiceType.Unit.HOUR,
        "cqc_registration_required": False,
    }
    values.update(fields)
    made, _ = ServiceType.objects.get_or_create(code=code, defaults=values)
    return made


# --- supply ---------------------------------------------------------------------------------


def provider(
    *,
    service_types: list[ServiceType] | None = None,
    care_groups: list[CareGroup] | None = None,
    **fields: Any,
) -> Provider:
    """A fictitious provider offering personal care to older people unless told otherwise."""
    n = _next()
    values: dict[str, Any] = {
        "name": f"Factory Care {n}",
        "slug": f"factory-care-{n}",
        "is_fictitious": True,
        "email": f"referrals@factory-care-{n}.example",
    }
    values.update(fields)
    made = Provider.objects.create(**values)
    made.service_types.set(service_types if service_types is not None else [service_type()])
    made.care_groups.set(care_groups if care_groups is not None else [care_group()])
    return made


_provider = provider


# --- buying ---------------------------------------------------------------------------------


def framework(commissioner: Commissioner | None = None, **fields: Any) -> Framework:
    """A live open framework, framework first, lowest price wins, providers' own zone prices:
    from a year ago to three years ahead."""
    owner = commissioner or _commissioner()
    n = _next()
    today = clock.today()
    values: dict[str, Any] = {
        "name": f"Factory framework {n}",
        "slug": f"factory-framework-{n}",
        "kind": Framework.Kind.OPEN_FRAMEWORK,
        "start_date": today - timedelta(days=365),
        "end_date": today + timedelta(days=3 * 365),
        "route_to_market": Framework.Route.FRAMEWORK_FIRST,
        "award_rule": Framework.AwardRule.LOWEST_PRICE,
        "pricing_model": Framework.PricingModel.PROVIDER_ZONE_PRICE,
    }
    values.update(fields)
    return Framework.objects.create(commissioner=owner, **values)


_framework = framework


def lot(
    framework: Framework | None = None,
    *,
    zones: list[Zone] | None = None,
    service_types: list[ServiceType] | None = None,
    care_groups: list[CareGroup] | None = None,
    **fields: Any,
) -> Lot:
    """A lot buying personal care for older people in ``zones`` (default: one new zone of the
    framework's commissioner)."""
    parent = framework or _framework()
    last = parent.lots.order_by("-number").values_list("number", flat=True).first()
    values: dict[str, Any] = {"number": (last or 0) + 1, "name": f"Factory lot {_next()}"}
    values.update(fields)
    made = Lot.objects.create(framework=parent, **values)
    made.zones.set(zones if zones is not None else [zone(parent.commissioner)])
    made.service_types.set(service_types if service_types is not None else [service_type()])
    made.care_groups.set(care_groups if care_groups is not None else [care_group()])
    return made


_lot = lot


def appointment(
    lot: Lot | None = None,
    provider: Provider | None = None,
    *,
    zones: list[Zone] | None = None,
    **fields: Any,
) -> Appointment:
    """An active appointment to ``lot`` in all its zones, from the framework's start."""
    on = lot or _lot()
    who = provider or _provider()
    values: dict[str, Any] = {
        "appointed_on": on.framework.start_date,
        "quality_score": Decimal("70"),
        "status": Appointment.Status.ACTIVE,
    }
    values.update(fields)
    made = Appointment.objects.create(lot=on, provider=who, **values)
    made.zones.set(zones if zones is not None else list(on.zones.all()))
    return made


_appointment = appointment


def price(appointment: Appointment | None = None, zone: Zone | None = None, **fields: Any) -> Price:
    """£22.50 an hour in the appointment's first zone, in force since the appointment."""
    of = appointment or _appointment()
    where = zone or of.zones.order_by("number").first()
    values: dict[str, Any] = {
        "unit": ServiceType.Unit.HOUR,
        "amount": Decimal("22.50"),
        "effective_from": of.appointed_on,
    }
    values.update(fields)
    return Price.objects.create(appointment=of, zone=where, **values)


# --- people and sourcing --------------------------------------------------------------------


def council_user(
    commissioner: Commissioner | None = None, role: str = Role.PRACTITIONER, **fields: Any
) -> User:
    """A member of a council's staff (a practitioner unless told otherwise)."""
    owner = commissioner or _commissioner()
    n = _next()
    values: dict[str, Any] = {"username": f"factory.{role}.{n}", "email": f"{role}.{n}@x.example"}
    values.update(fields)
    return User.objects.create_user(role=role, commissioner=owner, **values)


def person(zone: Zone | None = None, **fields: Any) -> Person:
    """Someone living in ``zone`` (default: a new zone), with a postcode in its district."""
    where = zone or _zone()
    district = (
        where.postcode_areas.values_list("code", flat=True).first() or postcode_district(where).code
    )
    n = _next()
    values: dict[str, Any] = {
        "reference": f"FP{n:06d}",
        "given_name": "Fay",
        "family_name": f"Factory{n}",
        "date_of_birth": date(1940, 1, 1) + timedelta(days=n),
        "address": f"{n} Factory Lane",
        "postcode": f"{district.split(' ')[0]} 1AB",
        "care_group": care_group(),
    }
    values.update(fields)
    return Person.objects.create(commissioner=where.commissioner, zone=where, **values)


_person = person


def referral(
    person: Person | None = None,
    *,
    lot: Lot | None = None,
    spot: bool = False,
    raised_by: User | None = None,
    **fields: Any,
) -> Referral:
    """A submitted, planned referral for 10 hours a week of personal care, starting in a week,
    raised by a practitioner of the person's council.

    It is sourced through ``lot`` (default: a new framework's lot covering the person's zone;
    without a person, the person lives in the lot's first zone). With ``spot=True`` it has
    no framework: a spot purchase, with its reason recorded.
    """
    if lot is None and not spot:
        owner = person.zone if person else _zone()
        lot = _lot(_framework(owner.commissioner), zones=[owner])
    if person is None:
        person = _person(lot.zones.order_by("number").first() if lot else None)
    values: dict[str, Any] = {
        "reference": f"FR{_next():06d}",
        "service_type": service_type(),
        "framework": lot.framework if lot else None,
        "lot": lot,
        "route": lot.framework.route_to_market if lot else Framework.Route.SPOT,
        "spot_reason": "" if lot else "No framework provider could meet the needs in time.",
        "hours_per_week": Decimal("10"),
        "start_date": clock.today() + timedelta(days=7),
        "urgency": Referral.Urgency.PLANNED,
        "outcomes": "To stay at home, and to keep going to the lunch club on Thursdays.",
    }
    values.update(fields)
    return Referral.objects.create(
        commissioner=person.commissioner,
        person=person,
        zone=person.zone,
        raised_by=raised_by or council_user(person.commissioner),
        **values,
    )
