from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.engine.pricing import RatePoint, band_weekly_rate, money, rate_on, weekly_cost

APRIL = date(2026, 4, 1)
POINTS = [
    RatePoint(date(2021, 2, 1), Decimal("19.28")),
    RatePoint(APRIL, Decimal("21.50")),
    RatePoint(date(2027, 4, 1), Decimal("22.40")),
]


def test_the_rate_in_force_is_the_latest_effective_on_or_before_the_day() -> None:
    assert rate_on(POINTS, APRIL - timedelta(days=1)).amount == Decimal("19.28")
    assert rate_on(POINTS, APRIL).amount == Decimal("21.50")  # effective from its first day
    assert rate_on(POINTS, date(2026, 11, 22)).amount == Decimal("21.50")
    assert rate_on(POINTS, date(2030, 1, 1)).amount == Decimal("22.40")


def test_no_rate_before_the_first_is_effective() -> None:
    assert rate_on(POINTS, date(2021, 1, 31)) is None
    assert rate_on([], APRIL) is None


def test_order_of_points_does_not_matter() -> None:
    assert rate_on(reversed(POINTS), APRIL) == rate_on(POINTS, APRIL)


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
            st.decimals(min_value=1, max_value=999, places=2),
        ),
        min_size=1,
        unique_by=lambda t: t[0],
    ),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
)
def test_rate_on_picks_the_greatest_date_not_after_the_day(points, day) -> None:  # type: ignore[no-untyped-def]
    chosen = rate_on([RatePoint(d, a) for d, a in points], day)
    eligible = [d for d, _ in points if d <= day]
    if not eligible:
        assert chosen is None
    else:
        assert chosen is not None and chosen.effective_from == max(eligible)


def test_banded_weekly_rate_is_typical_hours_at_the_hourly_rate_rounded_once() -> None:
    assert band_weekly_rate(Decimal("21"), Decimal("23.40")) == Decimal("491.40")
    assert band_weekly_rate(Decimal("10.5"), Decimal("19.285")) == Decimal("202.49")  # 202.4925


def test_money_rounds_half_up_to_pennies() -> None:
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")  # float would give 2.67


def test_weekly_cost_and_bands_refuse_negative_figures() -> None:
    assert weekly_cost(Decimal("12.25"), Decimal("19.28")) == Decimal("236.18")
    with pytest.raises(ValueError):
        weekly_cost(Decimal("-1"), Decimal("19.28"))
    with pytest.raises(ValueError):
        band_weekly_rate(Decimal("10"), Decimal("-1"))


def test_price_spread_names_outliers_and_prices_below_the_cost_of_care() -> None:
    from caremarket.engine.pricing import price_spread

    prices = [
        ("A", Decimal("22.00")),
        ("B", Decimal("23.00")),
        ("C", Decimal("30.00")),
        ("D", Decimal("24.00")),
    ]
    spread = price_spread(prices, cost_of_care=Decimal("22.50"))
    assert spread is not None
    # median of 22, 23, 24, 30 = 23.50; C is 6.50 away (> 20 % of 23.50 = 4.70); A below cost.
    assert (spread.lowest, spread.median, spread.highest) == (
        Decimal("22.00"),
        Decimal("23.50"),
        Decimal("30.00"),
    )
    assert spread.outliers == ("A", "C")
    assert price_spread([]) is None
