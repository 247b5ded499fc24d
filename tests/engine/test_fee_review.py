from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.engine.fee_review import (
    CostLine,
    ImpactLine,
    budget_impact,
    nlw_cpi_lines,
    percent_change,
    proposed_rate,
    total_impact,
    uplift,
    weeks_in_year,
)

D = Decimal


def test_cardiffs_published_60_40_uplift_is_7_26_per_cent() -> None:
    lines = [CostLine("Staff", D("60"), D("10.1")), CostLine("Non-staff", D("40"), D("3"))]
    assert uplift(lines) == D("7.26")


def test_isle_of_wight_from_19_28_with_nlw_and_cpi() -> None:
    # NLW £12.21 -> £12.71 = 4.0950 %; 70 % x 4.0950 + 30 % x 3.8 = 4.0065 %;
    # £19.28 x 1.040065 = £20.0525 -> £20.05.
    lines = nlw_cpi_lines(D("70"), D("12.21"), D("12.71"), D("3.8"))
    assert percent_change(D("12.21"), D("12.71")) == D("4.0950")
    assert uplift(lines) == D("4.0065")
    assert proposed_rate(D("19.28"), lines) == D("20.05")


def test_weights_must_add_up_to_100() -> None:
    with pytest.raises(ValueError, match="add up to 100"):
        uplift([CostLine("Staff", D("60"), D("5")), CostLine("Other", D("30"), D("2"))])


def test_budget_impact_per_framework_and_zone() -> None:
    # 10 h x £0.77 x 52 = £400.40 and 5 h x £0.77 x 52 = £200.20 in zone 1; zone 2: 20 h x £1.
    lines = [
        ImpactLine("IoW", "Zone 1", "A1", D("10"), D("19.28"), D("20.05")),
        ImpactLine("IoW", "Zone 1", "A2", D("5"), D("19.28"), D("20.05")),
        ImpactLine("IoW", "Zone 2", "A3", D("20"), D("19.00"), D("20.00")),
    ]
    groups = budget_impact(lines, D("52"))
    assert [(g.zone, g.agreements, g.units_per_week, g.annual_change) for g in groups] == [
        ("Zone 1", 2, D("15"), D("600.60")),
        ("Zone 2", 1, D("20"), D("1040.00")),
    ]
    assert total_impact(groups) == D("1640.60")


def test_weeks_in_a_year_from_the_effective_date() -> None:
    assert weeks_in_year(date(2026, 4, 1)) == D(365) / 7
    assert weeks_in_year(date(2027, 4, 1)) == D(366) / 7  # spans 29 February 2028
    assert weeks_in_year(date(2028, 2, 29)) == D(366) / 7


@given(
    st.decimals(min_value=1, max_value=60, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_review_with_zero_changes_changes_nothing(rate: Decimal, share: Decimal) -> None:
    lines = [CostLine("Staff", share, D("0")), CostLine("Other", D("100") - share, D("0"))]
    assert proposed_rate(rate, lines) == rate
    impact = budget_impact([ImpactLine("F", "Z", "R", D("10"), rate, rate)], D("52"))
    assert total_impact(impact) == 0


@given(
    st.lists(
        st.tuples(st.decimals(min_value="0.25", max_value=80, places=2), st.sampled_from("ABC")),
        min_size=1,
        max_size=8,
    ),
    st.decimals(min_value="-2", max_value=5, places=2),
    st.integers(min_value=2, max_value=5),
)
def test_budget_impact_is_linear_in_the_rate_change(
    hours: list[tuple[Decimal, str]], change: Decimal, k: int
) -> None:
    def impact(delta: Decimal) -> list[Decimal]:
        lines = [
            ImpactLine("F", z, str(i), h, D("20"), D("20") + delta)
            for i, (h, z) in enumerate(hours)
        ]
        return [line.annual_change(D("52")) for line in lines]

    assert [k * a for a in impact(change)] == impact(k * change)  # exact before rounding
    rounded = total_impact(
        budget_impact(
            [
                ImpactLine("F", z, str(i), h, D("20"), D("20") + change)
                for i, (h, z) in enumerate(hours)
            ],
            D("52"),
        )
    )
    assert abs(rounded - sum(impact(change))) <= D("0.005") * 3
