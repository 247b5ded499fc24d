"""Reads of care homes and their returns, scoped to the acting user (taken first).

A provider sees only its own homes; council staff see the homes in their commissioner's
zones; platform staff see all. A guessed id outside that is ``NotFound`` (a 404).

The functions under "For the sufficiency dashboard" return plain data (lists of dicts of
ints, Decimals, dates and strings), so another app can show them without knowing the models:
``vacancy_rates``, ``home_stratification``, ``return_compliance``, ``risk_threshold``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum

from caremarket.care_homes import rules
from caremarket.care_homes.models import CareHome, RegisteredBeds, VacancyReturn, VacancyReturnLine
from caremarket.care_homes.selectors.placement import Placements, placement_search
from caremarket.care_homes.selectors.placement import origin_of as placement_origin
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.errors import Invalid, NotFound
from caremarket.core.roles import Actor
from caremarket.engine import vacancy

__all__ = ["Placements", "placement_origin", "placement_search"]


def care_homes_for(user: Actor) -> QuerySet[CareHome]:
    qs = CareHome.objects.select_related("location__provider", "zone__commissioner")
    if access.is_platform(user):
        pass
    elif access.is_provider(user):
        qs = qs.filter(location__provider_id=access.provider_id_of(user))
    elif access.is_council(user):
        qs = qs.filter(zone__commissioner_id=access.commissioner_id_of(user))
    else:
        return qs.none()
    return qs.prefetch_related(
        Prefetch("beds", queryset=RegisteredBeds.objects.order_by("bed_type"))
    ).order_by("location__name", "pk")


def care_home_for(user: Actor, pk: int) -> CareHome:
    home = care_homes_for(user).filter(pk=pk).first()
    if home is None:
        raise NotFound("No care home here that you can see.")
    return home


def care_home_by_cqc_id(user: Actor, cqc_location_id: str) -> CareHome | None:
    """A home the user may see, by the CQC location id an export names it by."""
    return care_homes_for(user).filter(location__cqc_location_id=cqc_location_id).first()


def returns_for(user: Actor, care_home: CareHome | None = None) -> QuerySet[VacancyReturn]:
    """Every version of every return the user may see, newest month first."""
    qs = VacancyReturn.objects.filter(care_home__in=care_homes_for(user)).select_related(
        "care_home__location", "submitted_by", "superseded_by"
    )
    if care_home is not None:
        qs = qs.filter(care_home=care_home)
    return qs.prefetch_related("lines").order_by("care_home_id", "-month", "-version")


def return_for(user: Actor, pk: int) -> VacancyReturn:
    found = returns_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("No return here that you can see.")
    return found


def current_return(care_home: CareHome, month: date) -> VacancyReturn | None:
    """The version in force for a home and month (for the form to start from)."""
    return (
        VacancyReturn.objects.current()
        .for_month(month)
        .filter(care_home=care_home)
        .prefetch_related("lines")
        .first()
    )


def registered_beds(care_home: CareHome) -> dict[str, int]:
    return {b.bed_type: b.beds for b in care_home.beds.all()}


def risk_threshold() -> Decimal:
    """The vacancy rate above which a home is flagged as a financial risk (a fraction).
    Configurable as ``CARE_HOMES_RISK_THRESHOLD``; the default is an assumption (engine)."""
    value = getattr(settings, "CARE_HOMES_RISK_THRESHOLD", vacancy.DEFAULT_RISK_THRESHOLD)
    return Decimal(str(value))


def _first_returned(homes: QuerySet[CareHome], month: date) -> dict[int, date]:
    """When each home first returned for the month (a later correction does not count)."""
    rows = (
        VacancyReturn.objects.filter(care_home__in=homes, month=month)
        .values("care_home_id")
        .annotate(first=Min("submitted_at"))
    )
    return {r["care_home_id"]: clock.local(r["first"]).date() for r in rows}


def return_statuses(user: Actor, month: date | None = None) -> list[dict[str, Any]]:
    """Each open home's return for a month (default: the newest whose window has opened):
    the window, the status (due, returned, late, missing) and the current version."""
    today = clock.today()
    month = vacancy.month_start(month or vacancy.latest_month_open(today))
    window = vacancy.return_window(month)
    homes = care_homes_for(user).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=month))
    first = _first_returned(homes, month)
    current = {
        r.care_home_id: r
        for r in VacancyReturn.objects.current().for_month(month).filter(care_home__in=homes)
    }
    rows = []
    for home in homes:
        status = vacancy.return_status(window, today, first.get(home.pk))
        rows.append(
            {
                "home_id": home.pk,
                "home": home.name,
                "provider": home.location.provider.display_name,
                "zone": home.zone.label,
                "month": month,
                "window_opens": window.opens,
                "window_closes": window.closes,
                "status": status.value,
                "status_label": vacancy.STATUS_LABELS[status],
                "return_id": current[home.pk].pk if home.pk in current else None,
                "version": current[home.pk].version if home.pk in current else None,
            }
        )
    return rows


def return_compliance(user: Actor, month: date | None = None) -> dict[str, Any]:
    """For the dashboard: how many homes returned for a month (default: the newest whose
    window has closed), and which are missing."""
    month = month or vacancy.latest_month_closed(clock.today())
    rows = return_statuses(user, month)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["status"]] += 1
    return {
        "month": month,
        "homes": len(rows),
        "counts": dict(counts),
        "missing": [r for r in rows if r["status"] == vacancy.ReturnStatus.MISSING],
    }


def _months(months: int, latest: date | None) -> list[date]:
    latest = vacancy.month_start(latest or vacancy.latest_month_closed(clock.today()))
    return rules.months_back(latest, months)


def vacancy_rates(
    user: Actor,
    *,
    months: int = 12,
    latest: date | None = None,
    by: tuple[str, ...] = ("zone", "bed_type"),
) -> list[dict[str, Any]]:
    """For the dashboard: vacancy rates for the ``months`` months to ``latest`` (default: the
    newest whose window has closed), grouped ``by`` zone and/or bed type (an empty ``by``
    gives the whole area each month), from the current returns only.

    Each row: month, zone_id, zone (label), bed_type, bed_type_label, homes, capacity,
    occupied, vacant, vacant_reserved, vacant_accepting, rate (a fraction, 4 places, or None).
    """
    unknown = set(by) - {"zone", "bed_type"}
    if unknown:
        raise Invalid({"by": "Group by zone, bed_type, both or neither."})
    span = _months(months, latest)
    fields = ["vacancy_return__month"]
    if "zone" in by:
        fields.append("vacancy_return__care_home__zone_id")
    if "bed_type" in by:
        fields.append("bed_type")
    totals = (
        VacancyReturnLine.objects.current()
        .filter(
            vacancy_return__care_home__in=care_homes_for(user),
            vacancy_return__month__in=span,
        )
        .values(*fields)
        .annotate(
            capacity=Sum("maximum_capacity"),
            occupied_beds=Sum("occupied"),
            reserved=Sum("vacant_reserved"),
            accepting=Sum("vacant_accepting"),
            homes=Count("vacancy_return__care_home", distinct=True),
        )
        .order_by(*fields)
    )
    zones = {h.zone_id: h.zone for h in care_homes_for(user)} if "zone" in by else {}
    out = []
    for t in totals:
        zone = zones.get(t.get("vacancy_return__care_home__zone_id"))
        bed_type = t.get("bed_type")
        vacant = t["capacity"] - t["occupied_beds"]
        out.append(
            {
                "month": t["vacancy_return__month"],
                "zone_id": zone.pk if zone else None,
                "zone_number": zone.number if zone else None,
                "zone": zone.label if zone else "",
                "bed_type": bed_type or "",
                "bed_type_label": vacancy.BED_TYPE_LABELS.get(bed_type or "", "All bed types"),
                "homes": t["homes"],
                "capacity": t["capacity"],
                "occupied": t["occupied_beds"],
                "vacant": vacant,
                "vacant_reserved": t["reserved"],
                "vacant_accepting": t["accepting"],
                "rate": vacancy.vacancy_rate(vacant, t["capacity"]),
            }
        )
    return out


def _latest_lines(homes: QuerySet[CareHome], month: date) -> dict[int, list[VacancyReturnLine]]:
    lines: dict[int, list[VacancyReturnLine]] = defaultdict(list)
    for line in (
        VacancyReturnLine.objects.current()
        .filter(
            vacancy_return__care_home__in=homes,
            vacancy_return__month=month,
        )
        .select_related("vacancy_return")
    ):
        lines[line.vacancy_return.care_home_id].append(line)
    return lines


def _bed_line(line: VacancyReturnLine) -> vacancy.BedLine:
    return vacancy.BedLine(
        line.bed_type,
        line.maximum_capacity,
        line.occupied,
        line.vacant_reserved,
        line.vacant_accepting,
    )


def home_stratification(
    user: Actor, *, month: date | None = None, threshold: Decimal | None = None
) -> list[dict[str, Any]]:
    """For the dashboard: every open home the user may see with its vacancy rate for a month
    (default the newest whose window has closed), whether it is a financial risk (rate above
    ``threshold``, default ``risk_threshold()``) and the bed types it is business critical
    for (the only home of that type in its zone)."""
    month = vacancy.month_start(month or vacancy.latest_month_closed(clock.today()))
    threshold = risk_threshold() if threshold is None else threshold
    homes = care_homes_for(user).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=month))
    critical = vacancy.business_critical(
        vacancy.HomeOffer(home.pk, home.zone_id, beds.bed_type)
        for home in homes
        for beds in home.beds.all()
    )
    lines = _latest_lines(homes, month)
    rows = []
    for home in homes:
        bed_lines = [_bed_line(x) for x in lines.get(home.pk, [])]
        rate = vacancy.lines_rate(bed_lines) if bed_lines else None
        types = critical.get(home.pk, ())
        rows.append(
            {
                "home_id": home.pk,
                "home": home.name,
                "provider": home.location.provider.display_name,
                "kind": home.get_kind_display(),
                "zone_id": home.zone_id,
                "zone": home.zone.label,
                "postcode": home.postcode,
                "registered_beds": sum(b.beds for b in home.beds.all()),
                "month": month,
                "returned": bool(bed_lines),
                "capacity": sum(x.maximum_capacity for x in bed_lines),
                "occupied": sum(x.occupied for x in bed_lines),
                "vacant": sum(x.vacant for x in bed_lines),
                "vacant_accepting": sum(x.vacant_accepting for x in bed_lines),
                "rate": rate,
                "financial_risk": vacancy.is_financial_risk(rate, threshold),
                "business_critical": types,
                "business_critical_labels": ", ".join(vacancy.BED_TYPE_LABELS[t] for t in types),
            }
        )
    return rows


# --- open data (issue 15): the directory's HSDS service_capacity ------------------------------


def published_bed_capacity(today: date) -> dict[tuple[int, str], dict[str, Any]]:
    """Per (provider, kind of home), the beds of its open homes in the returns in force for
    the latest month returned: ``available`` vacant and accepting admissions, ``maximum``
    the maximum capacity, ``updated`` the latest return. Public: the ORUK feed's."""
    month = (
        VacancyReturn.objects.current()
        .filter(month__lte=today)
        .aggregate(latest=Max("month"))["latest"]
    )
    if month is None:
        return {}
    home = "vacancy_return__care_home__"
    rows = (
        VacancyReturnLine.objects.current()
        .filter(vacancy_return__month=month)
        .filter(
            Q(vacancy_return__care_home__closed_on__isnull=True)
            | Q(vacancy_return__care_home__closed_on__gt=today)
        )
        .values(f"{home}location__provider_id", f"{home}kind")
        .annotate(
            available=Sum("vacant_accepting"),
            maximum=Sum("maximum_capacity"),
            updated=Max("vacancy_return__submitted_at"),
        )
    )
    keep = ("available", "maximum", "updated")
    return {
        (r[f"{home}location__provider_id"], r[f"{home}kind"]): {k: r[k] for k in keep} for r in rows
    }
