"""The vacancy search: rooms free to hold that meet a referral's needs, and where a
postcode is for a distance search. Not scoped to a user: the criteria name the
commissioner, and callers (``bookings.selectors.search_for_referral``) pass their own."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, FloatField, Q, QuerySet, Value
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt

from caremarket.core.errors import Invalid
from caremarket.engine import postcodes
from caremarket.supported_living import rules
from caremarket.supported_living.models import Property, Room, Scheme

# --- vacancy search -------------------------------------------------------------------------


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    within_km: float


@dataclass(frozen=True)
class VacancyCriteria:
    """What a referral needs of a room; every part optional but the commissioner."""

    commissioner_id: int
    band: str = ""
    group: str = ""
    zone_id: int | None = None
    near: Near | None = None
    needs: tuple[str, ...] = ()  # accessibility fields, rules.ACCESSIBILITY_FIELDS
    has_pets: bool = False
    smokes: bool = False
    gender: str = ""
    kind: str = ""
    framework_id: int | None = None


@dataclass
class Vacancy:
    room: Room
    distance_km: float | None
    stale: bool
    void_days: int


SEARCH_LIMIT = 50


def vacancy_query(criteria: VacancyCriteria, at: datetime) -> QuerySet[Room]:
    """Rooms free to hold now that meet the criteria (one query, no user scope: callers
    scope by the criteria's commissioner)."""
    q = Q(property__scheme__commissioner_id=criteria.commissioner_id)
    if criteria.framework_id is not None:
        q &= Q(property__scheme__lot__framework_id=criteria.framework_id)
    if criteria.band:
        q &= Q(**{f"property__scheme__serves_{criteria.band}": True})
    if criteria.group:
        # A semi-join, not a join through the groups table: the same rows, and a plan
        # PostgreSQL makes in a tenth of the time (docs/benchmarks.md).
        serving = Scheme.groups.through.objects.filter(supportgroup__code=criteria.group)
        q &= Q(property__scheme_id__in=serving.values("scheme_id"))
    if criteria.zone_id is not None:
        q &= Q(property__zone_id=criteria.zone_id)
    for need in criteria.needs:
        if need in rules.ACCESSIBILITY_FIELDS:
            q &= Q(**{f"property__{need}": True})
    if criteria.has_pets:
        q &= Q(property__scheme__pets_allowed=True)
    if criteria.smokes:
        q &= Q(property__scheme__smoking_allowed=True)
    if criteria.gender:
        q &= Q(property__scheme__gender__in=rules.genders_admitting(criteria.gender))
    if criteria.kind:
        q &= Q(property__kind=criteria.kind)
    if criteria.near is not None:
        lat_lo, lat_hi, lon_lo, lon_hi = rules.bounding_box(
            criteria.near.latitude, criteria.near.longitude, criteria.near.within_km
        )
        q &= Q(
            property__latitude__gte=lat_lo,
            property__latitude__lte=lat_hi,
            property__longitude__gte=lon_lo,
            property__longitude__lte=lon_hi,
        )
    return Room.objects.available(at).filter(q)


# What the results (page, CSV, API, hold panel) show, and no more: a search fetches these
# columns of the room, its property, scheme, care provider, landlord and zone in one query.
RESULT_COLUMNS = (
    "name",
    "status",
    "void_since",
    "held_until",
    "last_confirmed_at",
    "property__name",
    "property__address",
    "property__postcode",
    "property__kind",
    *(f"property__{need}" for need in rules.ACCESSIBILITY_FIELDS),
    "property__latitude",
    "property__longitude",
    "property__scheme__name",
    "property__scheme__pets_allowed",
    "property__scheme__smoking_allowed",
    "property__scheme__gender",
    "property__scheme__compatibility_notes",
    "property__scheme__care_provider__name",
    "property__scheme__care_provider__is_fictitious",
    "property__landlord__name",
    "property__zone__name",
    "property__zone__number",
)


def _distance_sql(near: Near) -> Any:
    """``rules.distance_km`` (haversine) as SQL, so the database orders by distance and
    stops at the limit instead of handing every room in the box to Python. Django gives
    SQLite the same math functions as PostgreSQL; test_selectors checks the two agree."""
    lat1, lon1 = math.radians(near.latitude), math.radians(near.longitude)
    lat2 = Radians(Cast("property__latitude", FloatField()))
    lon2 = Radians(Cast("property__longitude", FloatField()))
    a = Power(Sin((lat2 - Value(lat1)) / 2), 2) + Value(math.cos(lat1)) * Cos(lat2) * Power(
        Sin((lon2 - Value(lon1)) / 2), 2
    )
    return Value(2 * rules.EARTH_RADIUS_KM) * ASin(Sqrt(a))


def vacancies(criteria: VacancyCriteria, at: datetime, limit: int = SEARCH_LIMIT) -> list[Vacancy]:
    """The matching rooms, nearest first when searching near a postcode, else the longest
    void first (the room the council has waited longest to fill). One query, ordered and
    cut to ``limit`` by the database, fetching only ``RESULT_COLUMNS``."""
    rooms = (
        vacancy_query(criteria, at)
        .select_related("property__scheme__care_provider", "property__landlord", "property__zone")
        .only(*RESULT_COLUMNS)
    )
    today = at.date()
    if criteria.near is None:
        picked = list(rooms.order_by("void_since", "pk")[:limit])
        return [Vacancy(r, None, r.is_stale(at), _days(r, today)) for r in picked]
    near = criteria.near
    nearest = (
        rooms.annotate(km=_distance_sql(near))
        .filter(km__lte=near.within_km)
        .order_by("km", "pk")[:limit]
    )
    found = []
    for room in nearest:
        p = room.property
        km = rules.distance_km(near.latitude, near.longitude, float(p.latitude), float(p.longitude))
        found.append(Vacancy(room, round(km, 1), room.is_stale(at), _days(room, today)))
    return found


def _days(room: Room, today: date) -> int:
    return (today - room.void_since).days if room.void_since else 0


def location_of(commissioner_id: int, text: str) -> tuple[float, float]:
    """Where a postcode is, from the properties we know there: the mean location of those at
    the postcode, else in its sector, else in its district. Raises ``Invalid`` (on the
    postcode) when none is known: search by zone instead."""
    try:
        code = postcodes.parse(text)
    except postcodes.InvalidPostcode as exc:
        raise Invalid(str(exc), "postcode") from exc
    known = Property.objects.filter(scheme__commissioner_id=commissioner_id, latitude__isnull=False)
    for q in (
        Q(postcode=str(code)),
        Q(postcode__startswith=f"{code.sector}"),
        Q(postcode__startswith=f"{code.district} "),
    ):
        where = known.filter(q).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        if where["lat"] is not None:
            return float(where["lat"]), float(where["lon"])
    raise Invalid(
        f"We know no property near {code} to measure distance from; search by zone instead.",
        "postcode",
    )
