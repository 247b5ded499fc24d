"""engine.projections: prevalence x population by year, and the platform's own trend."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.engine.projections import (
    PopulationCell,
    Rate,
    horizon,
    linear_trend,
    prevalence_projection,
)

POP = [
    PopulationCell("65-69", "female", 2026, 10_000),
    PopulationCell("65-69", "male", 2026, 9_000),
    PopulationCell("90+", "female", 2026, 1_000),
    PopulationCell("65-69", "female", 2028, 11_000),
    PopulationCell("65-69", "male", 2028, 9_500),
    PopulationCell("90+", "female", 2028, 1_200),
]


def test_horizon_is_the_base_year_and_the_years_after() -> None:
    assert horizon(2026, 5) == [2026, 2027, 2028, 2029, 2030, 2031]
    with pytest.raises(ValueError):
        horizon(2026, -1)


def test_rates_apply_per_band_and_sex_and_a_sex_specific_rate_wins() -> None:
    rates = [
        Rate("OP", "65-69", "all", Decimal("1.0")),
        Rate("OP", "65-69", "male", Decimal("2.0")),
        Rate("OP", "90+", "all", Decimal("10"), assumption=True),
    ]
    points = prevalence_projection(rates, POP, [2026])
    # 10,000 x 1% + 9,000 x 2% + 1,000 x 10% = 100 + 180 + 100
    assert points[0].people == 380
    assert points[0].uses_assumptions is True


def test_a_year_without_population_holds_the_latest_earlier_year() -> None:
    points = prevalence_projection(
        [Rate("OP", "65-69", "all", Decimal("1"))], POP, [2025, 2027, 2028]
    )
    assert [(p.year, p.population_year, p.people) for p in points] == [
        (2027, 2026, 190),
        (2028, 2028, 205),
    ]


def test_a_rate_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        prevalence_projection([Rate("OP", "65-69", "all", Decimal("101"))], POP, [2026])


def test_trend_keeps_observations_and_extends_the_line() -> None:
    trend = linear_trend([(2019, 100), (2020, 110), (2021, 120)], [2021, 2022, 2024])
    assert [(t.year, t.people, t.observed) for t in trend] == [
        (2021, 120, True),
        (2022, 130, False),
        (2024, 150, False),
    ]
    assert linear_trend([], [2026]) == []
    assert [t.people for t in linear_trend([(2026, 40)], [2027])] == [40]


@given(st.lists(st.tuples(st.integers(2000, 2030), st.integers(0, 10_000)), min_size=1, max_size=8))
def test_trend_is_never_negative(observed: list[tuple[int, int]]) -> None:
    for point in linear_trend(observed, list(range(2030, 2041))):
        assert point.people >= 0
