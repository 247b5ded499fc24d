"""Factories for the care homes tests: a home (a provider's location, in a zone) with its
registered beds, the provider's user, and a return made straight on the models."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from caremarket.accounts.models import User
from caremarket.care_homes.models import CareHome, RegisteredBeds, VacancyReturn, VacancyReturnLine
from caremarket.core.roles import Role
from caremarket.market.models import Zone
from caremarket.providers.models import Location, Provider
from tests import factories

_serial = itertools.count(1)
LONDON = ZoneInfo("Europe/London")


def care_home(
    zone: Zone | None = None,
    provider: Provider | None = None,
    *,
    beds: Mapping[str, int] | None = None,
    postcode: str = "",
    kind: str = CareHome.Kind.RESIDENTIAL,
    **fields: Any,
) -> CareHome:
    """A home in ``zone`` (a new one by default), its postcode in the zone's district."""
    where = zone or factories.zone()
    n = next(_serial)
    if not postcode:
        district = where.postcode_areas.order_by("code").first().code
        postcode = f"{district} {n % 9 + 1}AB"
    location = Location.objects.create(
        provider=provider or factories.provider(),
        name=f"Factory Care Home {n}",
        town="Factory town",
        postcode=postcode,
        cqc_location_id=f"1-9{n:09d}",
    )
    home = CareHome.objects.create(location=location, kind=kind, zone=where, **fields)
    for bed_type, count in (beds or {"general_residential": 20}).items():
        RegisteredBeds.objects.create(care_home=home, bed_type=bed_type, beds=count)
    return home


def provider_user(provider: Provider, **fields: Any) -> User:
    n = next(_serial)
    values: dict[str, Any] = {"username": f"factory.carehome.{n}", "email": f"ch{n}@x.example"}
    values.update(fields)
    return User.objects.create_user(role=Role.PROVIDER, provider=provider, **values)


WORKFORCE = {
    "nurses_employed": 0,
    "care_staff_employed": 20,
    "non_care_staff_employed": 6,
    "nurses_agency": 0,
    "care_staff_agency": 2,
    "non_care_staff_agency": 0,
}


def vacancy_return(
    home: CareHome,
    month: date,
    lines: Mapping[str, tuple[int, int, int, int]],
    **fields: Any,
) -> VacancyReturn:
    """A version-1 return with lines bed_type -> (capacity, occupied, reserved, accepting)."""
    in_window = datetime.combine(month.replace(day=9), time(12), tzinfo=LONDON)
    values: dict[str, Any] = {"submitted_at": in_window, **WORKFORCE}
    values.update(fields)
    made = VacancyReturn.objects.create(care_home=home, month=month, **values)
    for bed_type, (capacity, occupied, reserved, accepting) in lines.items():
        VacancyReturnLine.objects.create(
            vacancy_return=made,
            bed_type=bed_type,
            maximum_capacity=capacity,
            occupied=occupied,
            vacant_reserved=reserved,
            vacant_accepting=accepting,
        )
    return made
