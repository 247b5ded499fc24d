"""insight.rules: the arithmetic every figure shares (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from caremarket.insight import rules


def test_share_of_demand_is_unmet_over_commissioned_plus_unmet() -> None:
    # seed 002: about 2,000 unmet hours is "about 5% of all demand"
    assert rules.share_of_demand(Decimal("2000"), Decimal("38000")) == Decimal("5.0")
    assert rules.share_of_demand(Decimal("0"), Decimal("0")) is None


def test_worker_shortfall_is_unmet_hours_over_hours_a_worker() -> None:
    assert rules.worker_shortfall(Decimal("2000"), Decimal("20")) == 100
    assert rules.worker_shortfall(Decimal("30"), Decimal("20")) == 2  # 1.5 rounds half up
    with pytest.raises(ValueError):
        rules.worker_shortfall(Decimal("1"), Decimal("0"))


def test_percent_and_median() -> None:
    assert rules.percent(33, 112) == Decimal("29.5")
    assert rules.median([Decimal(3), Decimal(1), Decimal(2), Decimal(10)]) == Decimal("2.5")
    assert rules.median([]) is None


def test_a_date_before_any_data_gets_a_clear_message() -> None:
    assert "no data before 1 January 2019" in rules.refuse_before_data(
        date(2018, 5, 1), date(2019, 1, 1)
    )
    assert "import" in rules.refuse_before_data(date(2018, 5, 1), None)
    assert rules.refuse_before_data(date(2019, 5, 1), date(2019, 1, 1)) is None
