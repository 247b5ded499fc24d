"""A broker's placement search: homes with a bed of the type needed vacant and accepting
admissions on their latest return, nearest first from the person's postcode.

Where distance is measured from: zones and postcode districts hold no coordinates and no
postcode centroid data set is shipped, so the person's postcode is placed at the middle of
the care homes with a recorded location at that postcode, else in its sector, else in its
district (``origin_of``), and the search says which. Homes are then sorted by the
great-circle distance to their own recorded location (``engine.geo.distance_km``). Where
no home nearby has a location, or a home has none, the council's own geography ranks
instead (``rules.nearness``: sector, district, zone, neighbouring zone), after the homes
with a distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db.models import Q

from caremarket.care_homes import rules
from caremarket.care_homes.models import CareHome, VacancyReturn, VacancyReturnLine
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.errors import Invalid
from caremarket.core.roles import Actor
from caremarket.engine import geo, postcodes, vacancy
from caremarket.market import selectors as market_selectors


@dataclass(frozen=True)
class Origin:
    """The point distances are measured from, and in words what it is."""

    latitude: float
    longitude: float
    measured_from: str


class Placements(NamedTuple):
    code: postcodes.Postcode
    origin: Origin | None
    rows: list[dict[str, Any]]

    @property
    def measured_from(self) -> str:
        if self.origin is not None:
            return f"Distance is measured from {self.origin.measured_from}, not the address."
        return (
            f"No care home near {self.code} has a location recorded, so homes are ranked by "
            "postcode sector, district, zone and neighbouring zone instead of distance."
        )


LAT_LON = ("latitude", "longitude")


def _scope(user: Actor) -> Q:
    if access.is_platform(user):
        return Q()
    if access.is_provider(user):
        return Q(location__provider_id=access.provider_id_of(user))
    if access.is_council(user):
        return Q(zone__commissioner_id=access.commissioner_id_of(user))
    return Q(pk__in=[])


def origin_of(code: postcodes.Postcode) -> Origin | None:
    """The middle of the care homes with a location at the postcode, else in its sector,
    else in its district; None when there are none. Every home counts, not only the
    user's: a registered home's address is public (CQC publishes it)."""
    known = CareHome.objects.filter(latitude__isnull=False)
    for where, q in (
        (f"at {code}", Q(location__postcode=str(code))),
        (f"in {code.sector}", Q(location__postcode__startswith=f"{code.sector}")),
        (f"in {code.district}", Q(location__postcode__startswith=f"{code.district} ")),
    ):
        points = [(float(a), float(b)) for a, b in known.filter(q).values_list(*LAT_LON)]
        middle = geo.centre(points)
        if middle is not None:
            n = len(points)
            homes = "the care home" if n == 1 else f"the middle of the {n} care homes"
            return Origin(middle[0], middle[1], f"{homes} we know {where}")
    return None


def _newest_returns(scope: Q, fresh: list[date]) -> dict[int, int]:
    """Home -> its newest current return among the ``fresh`` months (an older return is
    too stale to place on)."""
    newest: dict[int, tuple[date, int]] = {}
    rows = (
        VacancyReturn.objects.current()
        .filter(month__in=fresh, care_home__in=CareHome.objects.filter(scope))
        .values_list("care_home_id", "month", "pk")
    )
    for home_id, month, pk in rows:
        if home_id not in newest or month > newest[home_id][0]:
            newest[home_id] = (month, pk)
    return {home_id: pk for home_id, (_, pk) in newest.items()}


def placement_search(
    user: Actor, *, bed_type: str, postcode: str, today: date | None = None
) -> Placements:
    """Homes with beds of ``bed_type`` vacant and accepting admissions on their latest
    return (this month's or last month's), open today, nearest first (see the module's
    docstring), then most vacancies. Four small queries whatever the number of homes."""
    if bed_type not in vacancy.BED_TYPE_LABELS:
        raise Invalid({"bed_type": "Choose the type of bed the person needs."})
    try:
        code, zone = market_selectors.zone_for_postcode_seen_by(user, postcode)
    except market_selectors.PostcodeNotCovered:
        code, zone = postcodes.parse(postcode), None
    except postcodes.InvalidPostcode as exc:
        raise Invalid({"postcode": str(exc)}) from exc
    today = today or clock.today()
    fresh = rules.months_back(vacancy.latest_month_open(today), 2)
    scope = _scope(user) & (Q(closed_on__isnull=True) | Q(closed_on__gt=today))
    newest = _newest_returns(scope, fresh)
    accepting = dict(
        VacancyReturnLine.objects.filter(
            vacancy_return_id__in=list(newest.values()), bed_type=bed_type, vacant_accepting__gt=0
        ).values_list("vacancy_return_id", "vacant_accepting")
    )
    as_of = dict(VacancyReturn.objects.filter(pk__in=list(accepting)).values_list("pk", "month"))
    homes = CareHome.objects.filter(
        pk__in=[h for h, r in newest.items() if r in accepting]
    ).select_related("location__provider", "zone__commissioner")
    neighbours = set(zone.neighbours.values_list("pk", flat=True)) if zone else set()
    origin = origin_of(code)
    rows = []
    for home in homes:
        return_id = newest[home.pk]
        near = rules.nearness(
            code,
            home.postcode,
            home_zone_id=home.zone_id,
            search_zone_id=zone.pk if zone else None,
            neighbour_zone_ids=neighbours,
        )
        km = None
        if origin is not None and home.latitude is not None:
            km = geo.distance_km(
                origin.latitude, origin.longitude, float(home.latitude), float(home.longitude)
            )
        rows.append(
            {
                "home_id": home.pk,
                "home": home.name,
                "provider": home.location.provider.display_name,
                "kind": home.get_kind_display(),
                "postcode": home.postcode,
                "zone": home.zone.label,
                "distance_km": None if km is None else round(km, 1),
                "nearness": near,
                "nearness_label": rules.NEARNESS_LABELS[near],
                "vacant_accepting": accepting[return_id],
                "as_of": as_of[return_id],
                "phone": home.location.provider.phone,
            }
        )
    rows.sort(
        key=lambda r: (
            r["distance_km"] is None,
            r["distance_km"] or 0,
            r["nearness"],
            -r["vacant_accepting"],
            r["home"],
        )
    )
    return Placements(code, origin, rows)
