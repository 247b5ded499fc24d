"""Care homes and supported living, as the statement counts them, read from their apps'
models (the care_homes and supported_living apps own the records; the rates and the risk
rule are ``engine.vacancy``'s, so the dashboard and the care home pages agree)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from caremarket.care_homes.models import CareHome, VacancyReturn, VacancyReturnLine
from caremarket.engine import vacancy
from caremarket.insight.selectors.figures import end_of
from caremarket.market.models import Commissioner
from caremarket.supported_living.models import Property, ResidentCount, Room


@dataclass
class VacancyRow:
    zone: int
    zone_name: str
    bed_type: str
    label: str
    homes: int = 0
    capacity: int = 0
    occupied: int = 0

    @property
    def vacant(self) -> int:
        return self.capacity - self.occupied

    @property
    def rate(self) -> Decimal | None:
        """Vacancy rate as a percentage (engine.vacancy's rate is a fraction)."""
        fraction = vacancy.vacancy_rate(self.vacant, self.capacity)
        return None if fraction is None else (fraction * 100).quantize(Decimal("0.1"))


@dataclass
class HomeAtRisk:
    pk: int
    name: str
    zone: int
    capacity: int
    occupied: int
    rate: Decimal


@dataclass
class CareHomeFigures:
    month: date | None
    rows: list[VacancyRow] = field(default_factory=list)
    at_risk: list[HomeAtRisk] = field(default_factory=list)
    homes: int = 0

    @property
    def capacity(self) -> int:
        return sum(r.capacity for r in self.rows)

    @property
    def vacant(self) -> int:
        return sum(r.vacant for r in self.rows)

    @property
    def rate(self) -> Decimal | None:
        fraction = vacancy.vacancy_rate(self.vacant, self.capacity)
        return None if fraction is None else (fraction * 100).quantize(Decimal("0.1"))


def care_homes(commissioner: Commissioner, on: date, risk_percent: Decimal) -> CareHomeFigures:
    """Each open home's latest current return for a month up to ``on``'s, by zone (locality)
    and bed type (specialism); homes whose whole-home rate is above the threshold at risk."""
    month = vacancy.month_start(on)
    homes = CareHome.objects.filter(zone__commissioner=commissioner).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=on)
    )
    latest = (
        VacancyReturn.objects.current()
        .filter(care_home__in=homes, month__lte=month)
        .values("care_home_id")
        .annotate(m=Max("month"))
    )
    wanted = {r["care_home_id"]: r["m"] for r in latest}
    if not wanted:
        return CareHomeFigures(month=None)
    lines = VacancyReturnLine.objects.filter(
        vacancy_return__in=VacancyReturn.objects.current().filter(care_home_id__in=wanted)
    ).values(
        "vacancy_return__care_home_id",
        "vacancy_return__month",
        "bed_type",
        "maximum_capacity",
        "occupied",
        "vacancy_return__care_home__zone__number",
        "vacancy_return__care_home__zone__name",
        "vacancy_return__care_home__location__name",
    )
    rows: dict[tuple[int, str], VacancyRow] = {}
    per_home: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    names: dict[int, tuple[str, int]] = {}
    for line in lines:
        home = line["vacancy_return__care_home_id"]
        if line["vacancy_return__month"] != wanted[home]:
            continue
        zone = line["vacancy_return__care_home__zone__number"]
        key = (zone, line["bed_type"])
        row = rows.setdefault(
            key,
            VacancyRow(
                zone,
                line["vacancy_return__care_home__zone__name"],
                line["bed_type"],
                vacancy.BED_TYPE_LABELS.get(line["bed_type"], line["bed_type"]),
            ),
        )
        row.homes += 1
        row.capacity += line["maximum_capacity"]
        row.occupied += line["occupied"]
        per_home[home][0] += line["maximum_capacity"]
        per_home[home][1] += line["occupied"]
        names[home] = (line["vacancy_return__care_home__location__name"], zone)
    threshold = risk_percent / 100
    at_risk = []
    for home, (capacity, occupied) in per_home.items():
        rate = vacancy.vacancy_rate(capacity - occupied, capacity)
        if vacancy.is_financial_risk(rate, threshold):
            name, zone = names[home]
            at_risk.append(
                HomeAtRisk(
                    home, name, zone, capacity, occupied, (rate * 100).quantize(Decimal("0.1"))
                )
            )
    return CareHomeFigures(
        month=max(wanted.values()),
        rows=sorted(rows.values(), key=lambda r: (r.zone, r.bed_type)),
        at_risk=sorted(at_risk, key=lambda h: -h.rate),
        homes=len(per_home),
    )


@dataclass
class LivingRow:
    lot: str
    properties: int = 0
    rooms: int = 0
    available: int = 0


def supported_living(commissioner: Commissioner, on: date) -> list[LivingRow]:
    """Properties, rooms and rooms available to hold (``Room.objects.available``) by lot,
    for the supported living schemes in the commissioner's zones."""
    at = end_of(on)
    rows: dict[str, LivingRow] = {}

    def lot_label(number: int | None, name: str | None) -> str:
        return f"Lot {number}: {name}" if number is not None else "No lot"

    for r in (
        Property.objects.filter(scheme__commissioner=commissioner)
        .values("scheme__lot__number", "scheme__lot__name")
        .annotate(n=Count("pk"))
    ):
        label = lot_label(r["scheme__lot__number"], r["scheme__lot__name"])
        rows.setdefault(label, LivingRow(label)).properties += r["n"]
    rooms = Room.objects.filter(property__scheme__commissioner=commissioner)
    for qs, name in ((rooms, "rooms"), (rooms.available(at), "available")):
        for r in qs.values("property__scheme__lot__number", "property__scheme__lot__name").annotate(
            n=Count("pk")
        ):
            label = lot_label(r["property__scheme__lot__number"], r["property__scheme__lot__name"])
            row = rows.setdefault(label, LivingRow(label))
            setattr(row, name, getattr(row, name) + r["n"])
    return sorted(rows.values(), key=lambda r: r.lot)


@dataclass
class ResidentsRow:
    group: str
    by_band: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_band.values())


BANDS = (("very_high", "Very high"), ("high", "High"), ("medium", "Medium"), ("low", "Low"))


def residents_by_group_and_band(
    commissioner: Commissioner, on: date
) -> tuple[date | None, list[ResidentsRow]]:
    """Seed 004's table 1: supported living residents by group and band, from the latest
    census (``ResidentCount``) counted on or before ``on``."""
    counted = ResidentCount.objects.filter(commissioner=commissioner, counted_on__lte=on).aggregate(
        m=Max("counted_on")
    )["m"]
    if counted is None:
        return None, []
    rows: dict[str, ResidentsRow] = {}
    for r in (
        ResidentCount.objects.filter(commissioner=commissioner, counted_on=counted)
        .values("group__code", "group__sequence", "level")
        .annotate(n=Count("pk"), residents=Sum("residents"))
        .order_by("group__sequence", "group__code")
    ):
        row = rows.setdefault(r["group__code"], ResidentsRow(r["group__code"]))
        row.by_band[r["level"]] = row.by_band.get(r["level"], 0) + (r["residents"] or 0)
    return counted, list(rows.values())
