"""Demand projections for a commissioner: its prevalence rates (editable, labelled where
assumed) applied to its imported population, and the platform's own trend of people
supported, for 5 and 10 years (``engine.projections``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum

from caremarket.engine import projections as engine
from caremarket.insight.models import PopulationCount
from caremarket.insight.selectors import figures, rates_for, totals
from caremarket.market.models import CareGroup, Commissioner

TREND_YEARS = 5


@dataclass
class GroupProjection:
    code: str
    name: str
    prevalence: list[engine.ProjectionPoint] = field(default_factory=list)
    trend: list[engine.TrendPoint] = field(default_factory=list)

    @property
    def uses_assumptions(self) -> bool:
        return any(p.uses_assumptions for p in self.prevalence)

    def rows(self) -> list[dict[str, object]]:
        """One row per year: projected by prevalence, and by the platform's trend."""
        by_year: dict[int, dict[str, object]] = {}
        for p in self.prevalence:
            by_year.setdefault(p.year, {"year": p.year})["prevalence"] = p.people
            by_year[p.year]["population_year"] = p.population_year
        for t in self.trend:
            row = by_year.setdefault(t.year, {"year": t.year})
            row["trend"] = t.people
            row["observed"] = t.observed
        return [by_year[y] for y in sorted(by_year)]


@dataclass
class Projections:
    base_year: int
    years: int
    groups: list[GroupProjection]
    population_years: list[int]


def projections(commissioner: Commissioner, as_of: date, years: int = 10) -> Projections:
    span = engine.horizon(as_of.year, years)
    rates = [
        engine.Rate(r.care_group.code, r.age_band, r.sex, r.per_hundred, r.assumption)
        for r in rates_for(commissioner)
    ]
    cells = [
        engine.PopulationCell(r["age_band"], r["sex"], r["year"], r["n"])
        for r in PopulationCount.objects.filter(commissioner=commissioner)
        .values("age_band", "sex", "year")
        .annotate(n=Sum("count"))
    ]
    points = engine.prevalence_projection(rates, cells, span)
    observed = _observed(commissioner, as_of)
    groups = []
    for group in CareGroup.objects.all():
        gp = GroupProjection(group.code, group.name)
        gp.prevalence = [p for p in points if p.care_group == group.code]
        history = observed.get(group.code, [])
        if history:
            gp.trend = engine.linear_trend(history, sorted({y for y, _ in history} | set(span)))
        if gp.prevalence or gp.trend:
            groups.append(gp)
    return Projections(as_of.year, years, groups, sorted({c.year for c in cells}))


def _observed(commissioner: Commissioner, as_of: date) -> dict[str, list[tuple[int, int]]]:
    """People supported (home- and group-based) on 1 January of each of the last years the
    platform holds data for, and on the statement's date for its own year."""
    earliest = figures.earliest_record(commissioner)
    out: dict[str, list[tuple[int, int]]] = {}
    if earliest is None:
        return out
    days = [date(y, 1, 1) for y in range(as_of.year - TREND_YEARS, as_of.year)]
    days = [d for d in days if d >= earliest] + [as_of]
    imported = totals.on(commissioner, list(days))  # one read for every year's figures
    for day in days:
        for row in figures.people_by_care_group(commissioner, None, day, imported):
            out.setdefault(row.code, []).append((day.year, row.home_now + row.group_now))
    return out
