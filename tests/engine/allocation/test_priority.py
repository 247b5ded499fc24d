from decimal import Decimal

import pytest

from caremarket.engine.allocation import priority_weight


def test_base_weights_order_urgency():
    assert priority_weight("crisis", 0) == 4
    assert priority_weight("hospital_discharge", 0) == 3
    assert priority_weight("planned", 0) == 1


def test_each_completed_week_adds_a_quarter_of_the_base():
    assert priority_weight("planned", 6) == 1
    assert priority_weight("planned", 7) == Decimal("1.25")
    assert priority_weight("crisis", 14) == 6


def test_ageing_stops_at_twelve_weeks_where_planned_equals_a_fresh_crisis():
    assert priority_weight("planned", 84) == priority_weight("crisis", 0)
    assert priority_weight("planned", 400) == 4


def test_weight_never_falls_with_waiting():
    for urgency in ("crisis", "hospital_discharge", "planned"):
        weights = [priority_weight(urgency, d) for d in range(120)]
        assert weights == sorted(weights)


def test_unknown_urgency_is_an_error():
    with pytest.raises(ValueError, match="urgency"):
        priority_weight("whenever", 3)
