"""The Client Level Data pre-submission check (caremarket.returns.rules): a good row has no
finding; each crafted bad row gives the named finding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from caremarket.returns import rules, vocabulary

pytestmark = pytest.mark.unit


def service_row(**changes: str) -> dict[str, str]:
    row = dict.fromkeys(vocabulary.FIELDS, "")
    row |= {
        "LA_Code": "E10000008",
        "Reporting_Period_Start_Date": "2025-10-01",
        "Reporting_Period_End_Date": "2026-09-30",
        "LA_Person_Unique_Identifier": "3f2a9c",
        "Client_Type": "Service user",
        "Primary_Support_Reason": "Learning disability support",
        "Event_Type": "Service",
        "Event_Reference": "DEV-A-000001",
        "Event_Start_Date": "2026-01-05",
        "Event_End_Date": "2026-03-01",
        "Event_Outcome": "NFA: Support ended as planned",
        "Service_Type": "Long term support: Community",
        "Delivery_Mechanism": "CASSR commissioned support",
        "Unit_Cost": "24.50",
        "Cost_Frequency_Unit_Type": "Hourly",
        "Planned_units_per_week": "10.00",
    }
    return row | changes


def rules_broken(row: dict[str, str], weekly: Decimal | None = Decimal("245.00")) -> set:
    return {(f.field, f.rule) for f in rules.check_row(1, row, weekly)}


def test_a_good_service_row_has_no_finding() -> None:
    assert rules.check([(service_row(), Decimal("245.00"))]) == []


@pytest.mark.parametrize(
    "field", ["LA_Person_Unique_Identifier", "Event_Start_Date", "Service_Type", "Unit_Cost"]
)
def test_a_blank_mandatory_field_is_named(field: str) -> None:
    assert (field, "missing") in rules_broken(service_row(**{field: ""}), weekly=None)


def test_planned_units_are_mandatory_only_for_hourly_daily_and_sessions() -> None:
    assert ("Planned_units_per_week", "missing") in rules_broken(
        service_row(Planned_units_per_week=""), weekly=None
    )
    weekly = service_row(Cost_Frequency_Unit_Type="Weekly", Planned_units_per_week="")
    assert rules_broken(weekly, weekly=Decimal("24.50")) == set()


def test_a_request_needs_no_cost_fields() -> None:
    request = service_row(Event_Type="Request", Service_Type="", Unit_Cost="")
    request |= {"Delivery_Mechanism": "", "Cost_Frequency_Unit_Type": ""}
    request["Planned_units_per_week"] = ""
    assert rules_broken(request, weekly=None) == set()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("Event_Outcome", "Provision of service"),  # Release 1 wording
        ("Service_Type", "Long Term Support: Community"),  # Release 1 capitals
        ("Delivery_Mechanism", "Self-Funder Metering Only"),
        ("Client_Type", "Carer"),
        ("Cost_Frequency_Unit_Type", "Per hour"),
        ("Event_Type", "Visit"),
    ],
)
def test_a_value_outside_the_release_2_list_is_named(field: str, value: str) -> None:
    assert (field, "not_allowed") in rules_broken(service_row(**{field: value}), weekly=None)


def test_an_end_before_the_start_is_named() -> None:
    row = service_row(Event_Start_Date="2026-03-01", Event_End_Date="2026-02-28")
    assert rules_broken(row) == {("Event_End_Date", "end_before_start")}


def test_a_date_that_is_not_a_date_is_named() -> None:
    assert ("Event_Start_Date", "bad_date") in rules_broken(
        service_row(Event_Start_Date="05/01/2026")
    )


def test_a_weekly_cost_not_unit_cost_times_frequency_is_named() -> None:
    assert rules_broken(service_row(), weekly=Decimal("250.00")) == {("Unit_Cost", "weekly_cost")}


def test_the_weekly_cost_tolerance_is_a_penny_by_default() -> None:
    assert rules_broken(service_row(), weekly=Decimal("245.01")) == set()
    assert rules_broken(service_row(), weekly=Decimal("245.02")) == {("Unit_Cost", "weekly_cost")}


@pytest.mark.parametrize(
    ("frequency", "unit_cost", "weekly"),
    [
        ("Weekly", "980.00", "980.00"),
        ("Fortnightly", "200.00", "100.00"),
        ("4-weekly", "400.00", "100.00"),
        ("Monthly", "520.00", "120.00"),
        ("One-off", "75.00", "75.00"),
    ],
)
def test_weekly_cost_follows_dhsc_derivation(frequency: str, unit_cost: str, weekly: str) -> None:
    assert rules.expected_weekly_cost(Decimal(unit_cost), frequency, None) == Decimal(weekly)


def test_findings_number_rows_from_one_and_carry_the_reference() -> None:
    rows = [(service_row(), Decimal("245.00")), (service_row(Client_Type="Carer"), None)]
    [finding] = rules.check(rows)
    assert (finding.row, finding.reference, finding.field) == (2, "DEV-A-000001", "Client_Type")


def test_a_pseudonym_is_keyed_stable_and_hides_the_reference() -> None:
    from caremarket.returns.pseudonyms import pseudonym

    first = pseudonym("key-a", "E10000008", "DEV-P-000001")
    assert first == pseudonym("key-a", "E10000008", "DEV-P-000001")
    assert first != pseudonym("key-b", "E10000008", "DEV-P-000001")
    assert first != pseudonym("key-a", "E10000008", "DEV-P-000002")
    assert "DEV" not in first and len(first) == 32
    with pytest.raises(ValueError, match="CLD_PSEUDONYM_KEY"):
        pseudonym("", "E10000008", "DEV-P-000001")
