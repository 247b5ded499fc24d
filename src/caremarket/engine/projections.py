"""Demand projections, POPPI/PANSI-style, and the platform's own trend: pure Python.

POPPI and PANSI estimate how many people in an area will have a need by applying prevalence
rates (by age band and sex) to ONS subnational population projections for each year
(``docs/imports/population.md``; method in ``shared/reference/domain-facts.md`` section 5).
The published rate tables were NOT FOUND, so the rates here are whatever the commissioner's
editable table holds; rows marked as assumptions stay marked all the way to the chart.

Two rules worth stating, because a reader of a projection needs them:

- A year with no population figures takes the nearest earlier year's (held flat), and the
  point says so (``population_year``): a projection never silently extrapolates population.
- A rate whose sex is ``"all"`` applies to every sex in the population for that age band; a
  sex-specific rate wins over an ``"all"`` rate for the same band.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ALL_SEXES = "all"
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Rate:
    """People with the need per 100 of the population in the band (an editable row)."""

    care_group: str
    age_band: str
    sex: str
    per_hundred: Decimal
    assumption: bool = False


@dataclass(frozen=True)
class PopulationCell:
    """An ONS-style count: people of an age band and sex in a year (summed over areas)."""

    age_band: str
    sex: str
    year: int
    count: int


@dataclass(frozen=True)
class ProjectionPoint:
    care_group: str
    year: int
    people: int
    population_year: int
    uses_assumptions: bool


@dataclass(frozen=True)
class TrendPoint:
    year: int
    people: int
    observed: bool


def horizon(base_year: int, years: int) -> list[int]:
    """The base year and each of the ``years`` after it: 5 gives six points, 2026-2031."""
    if years < 0:
        raise ValueError("A projection horizon cannot be negative.")
    return [base_year + n for n in range(years + 1)]


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _population_by_year(
    population: Iterable[PopulationCell],
) -> dict[int, dict[tuple[str, str], int]]:
    by_year: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for cell in population:
        by_year[cell.year][(cell.age_band, cell.sex)] += cell.count
    return by_year


def _year_to_use(known: Sequence[int], year: int) -> int | None:
    earlier = [y for y in known if y <= year]
    return max(earlier) if earlier else None


def _rate_for(rates: dict[tuple[str, str], Rate], age_band: str, sex: str) -> Rate | None:
    return rates.get((age_band, sex)) or rates.get((age_band, ALL_SEXES))


def prevalence_projection(
    rates: Iterable[Rate], population: Iterable[PopulationCell], years: Sequence[int]
) -> list[ProjectionPoint]:
    """People with each care group's need in each year: sum over bands and sexes of
    population x rate / 100, rounded once per care group and year (half up)."""
    by_group: dict[str, dict[tuple[str, str], Rate]] = defaultdict(dict)
    for rate in rates:
        if rate.per_hundred < 0 or rate.per_hundred > HUNDRED:
            raise ValueError(
                f"A prevalence rate must be between 0 and 100, not {rate.per_hundred}."
            )
        by_group[rate.care_group][(rate.age_band, rate.sex)] = rate
    by_year = _population_by_year(population)
    known = sorted(by_year)
    points: list[ProjectionPoint] = []
    for group in sorted(by_group):
        group_rates = by_group[group]
        for year in years:
            source = _year_to_use(known, year)
            if source is None:
                continue
            total = Decimal("0")
            assumed = False
            for (band, sex), count in by_year[source].items():
                found = _rate_for(group_rates, band, sex)
                if found is None:
                    continue
                total += Decimal(count) * found.per_hundred / HUNDRED
                assumed = assumed or found.assumption
            points.append(ProjectionPoint(group, year, _round(total), source, assumed))
    return points


def linear_trend(observed: Sequence[tuple[int, int]], years: Sequence[int]) -> list[TrendPoint]:
    """The platform's own trend: a least-squares line through (year, people) observations,
    read at each year asked (observed years keep their observed figure). With one
    observation the line is flat; negative readings are floored at zero."""
    if not observed:
        return []
    seen = dict(observed)
    n = Decimal(len(observed))
    xs = [Decimal(x) for x, _ in observed]
    ys = [Decimal(y) for _, y in observed]
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = (
        sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
        if spread
        else Decimal("0")
    )
    out: list[TrendPoint] = []
    for year in years:
        if year in seen:
            out.append(TrendPoint(year, seen[year], True))
            continue
        value = mean_y + slope * (Decimal(year) - mean_x)
        out.append(TrendPoint(year, max(0, _round(value)), False))
    return out
