"""The platform's words in Release 2's (caremarket.returns.mapping): every mapped value is one
the check allows, and the choices docs/cld.md states hold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from caremarket.market.models import CareGroup, ServiceType
from caremarket.market.reference import SERVICE_TYPES
from caremarket.returns import mapping, vocabulary

pytestmark = pytest.mark.unit


def test_every_release_1_support_reason_maps_to_a_release_2_value() -> None:
    for reason in CareGroup.PrimarySupportReason.values:
        assert mapping.primary_support_reason(reason) in vocabulary.PRIMARY_SUPPORT_REASONS
    assert mapping.primary_support_reason("Something else") == "Unknown"
    assert (
        mapping.primary_support_reason("Support with Memory & Cognition")
        == "Support with memory and cognition"
    )


def test_every_service_type_and_unit_maps_to_allowed_values() -> None:
    for code, _name, unit, _cqc in SERVICE_TYPES:
        assert mapping.service_type(code) in vocabulary.SERVICE_TYPES
        assert mapping.frequency(unit) in vocabulary.COST_FREQUENCIES
    for unit in ServiceType.Unit.values:
        assert mapping.frequency(unit) in vocabulary.COST_FREQUENCIES
    assert mapping.service_type("nursing-care") == "Long term support: Nursing care"
    assert mapping.frequency("night") == "Daily"


def test_planned_units_only_for_costs_more_often_than_weekly() -> None:
    assert mapping.planned_units("Hourly", Decimal("7.5")) == "7.50"
    assert mapping.planned_units("Weekly", Decimal("1")) == ""


@pytest.mark.parametrize(
    ("reason", "outcome"),
    [
        ("died", "NFA: Deceased"),
        ("moved_away", "NFA: Responsibility moved to another local authority"),
        ("needs_met", "NFA: Support ended as planned"),
        ("handed_back", "Continuation of support or services"),
    ],
)
def test_an_ended_service_takes_the_outcome_of_its_reason(reason: str, outcome: str) -> None:
    assert mapping.service_outcome(reason, is_last_period=True, ended=True) == outcome
    assert outcome in vocabulary.EVENT_OUTCOMES


def test_a_period_a_variation_closed_or_an_open_service_continues() -> None:
    assert mapping.service_outcome("died", is_last_period=False, ended=True) == mapping.CONTINUING
    assert mapping.service_outcome("", is_last_period=True, ended=False) == mapping.CONTINUING
    assert set(mapping.REQUEST_OUTCOME_BY_STATE.values()) <= vocabulary.EVENT_OUTCOMES
