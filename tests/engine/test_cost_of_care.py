from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.engine.cost_of_care import (
    HCA_2020_21,
    ILLUSTRATIVE_2026_27,
    PRESETS,
    cost_of_care,
)

D = Decimal


def test_the_homecare_association_2020_21_breakdown_is_reproduced_to_the_penny() -> None:
    breakdown = cost_of_care(HCA_2020_21.inputs)
    assert breakdown.by_group() == {
        "Contact time": D("8.72"),
        "Travel time": D("1.70"),
        "NI and pension": D("1.14"),
        "Other on-costs": D("1.97"),
        "Mileage": D("1.36"),
        "Running the business": D("5.20"),
        "Surplus": D("0.60"),
    }
    assert breakdown.total == D("20.69") == HCA_2020_21.expected_total


def test_employer_ni_is_charged_only_above_the_weekly_threshold() -> None:
    # Hand computed: £10 an hour, no travel or on-costs, 20 hours = £200 a week;
    # 10 % of (200 - 100) = £10 a week over 20 hours = 50p an hour.
    inputs = replace(
        HCA_2020_21.inputs,
        pay_rate=D("10"),
        travel_hours_per_contact_hour=D("0"),
        holiday_rate=D("0"),
        training_rate=D("0"),
        sickness_rate=D("0"),
        contact_hours_per_week=D("20"),
        employer_ni_rate=D("0.10"),
        ni_threshold_per_week=D("100"),
        pension_rate=D("0"),
    )
    ni = {c.name: c.amount for c in cost_of_care(inputs).components}["Employer National Insurance"]
    assert ni == D("0.50")
    below = replace(inputs, ni_threshold_per_week=D("250"))
    assert {c.name: c.amount for c in cost_of_care(below).components}[
        "Employer National Insurance"
    ] == D("0.00")


def test_every_component_says_how_it_was_worked_out() -> None:
    for preset in PRESETS.values():
        assert preset.sources
        for component in cost_of_care(preset.inputs).components:
            assert component.how and component.amount >= 0


def test_a_higher_living_wage_costs_more_and_staff_pay_is_most_of_the_price() -> None:
    later = cost_of_care(ILLUSTRATIVE_2026_27.inputs)
    assert later.total > cost_of_care(HCA_2020_21.inputs).total
    assert D("0.5") < later.staff_pay_share < 1


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        replace(HCA_2020_21.inputs, pay_rate=D("-1"))
    with pytest.raises(ValueError, match="contact hours"):
        replace(HCA_2020_21.inputs, contact_hours_per_week=D("0"))


@given(st.decimals(min_value=1, max_value=60, places=2))
def test_the_breakdown_always_adds_up_and_rises_with_pay(pay: Decimal) -> None:
    breakdown = cost_of_care(replace(HCA_2020_21.inputs, pay_rate=pay))
    assert breakdown.total == sum(c.amount for c in breakdown.components)
    assert sum(breakdown.by_group().values()) == breakdown.total
    higher = cost_of_care(replace(HCA_2020_21.inputs, pay_rate=pay + D("0.50")))
    assert higher.total > breakdown.total
