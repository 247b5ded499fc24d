"""The pre-submission check of a Client Level Data file: each row that breaks a rule.

Our own check, run before a council uploads its return, so a broken row is fixed here rather
than refused by the data landing portal. Rules (one finding per broken rule per row):

- ``missing``: a mandatory field is blank. Which fields are mandatory is not in the facts we
  hold (domain-facts.md lists the applicability statuses, not the table), so ``MANDATORY`` is
  our assumption: what every row needs to be read at all, and the cost fields of a service.
- ``not_allowed``: a value outside the Release 2 list (``vocabulary.ALLOWED``).
- ``end_before_start``: Event_End_Date before Event_Start_Date; ``bad_date``: not YYYY-MM-DD.
- ``weekly_cost``: the weekly cost the platform recorded differs from Unit_Cost x units per
  week (DHSC's derivation, ``vocabulary.UNITS_PER_WEEK_BY_FREQUENCY``) by more than the
  tolerance (default 1p: costs are rounded once, to the penny, when an agreement is varied).

Pure Python (no Django): tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from caremarket.returns import vocabulary

MANDATORY_ALWAYS = (
    "LA_Code",
    "Reporting_Period_Start_Date",
    "Reporting_Period_End_Date",
    "LA_Person_Unique_Identifier",
    "Client_Type",
    "Event_Type",
    "Event_Reference",
    "Event_Start_Date",
)
MANDATORY_BY_EVENT: dict[str, tuple[str, ...]] = {
    "Service": (
        "Service_Type",
        "Delivery_Mechanism",
        "Unit_Cost",
        "Cost_Frequency_Unit_Type",
    ),
}
DATE_FIELDS = (
    "Reporting_Period_Start_Date",
    "Reporting_Period_End_Date",
    "Date_of_Birth",
    "Date_of_Death",
    "Event_Start_Date",
    "Event_End_Date",
)
DEFAULT_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class Finding:
    """One broken rule on one row (``row`` counts from 1, the first row after the header)."""

    row: int
    reference: str
    field: str
    rule: str
    message: str


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def expected_weekly_cost(unit_cost: Decimal, frequency: str, planned: Decimal | None) -> Decimal:
    """DHSC's weekly cost: unit cost times units a week by frequency (absolute value)."""
    if frequency == "One-off":
        return abs(unit_cost)
    if frequency == "No charge to client":
        return Decimal(0)
    ratio = vocabulary.UNITS_PER_WEEK_BY_FREQUENCY.get(frequency)
    if ratio is not None:
        return abs(unit_cost) * ratio[0] / ratio[1]
    return abs(unit_cost) * (planned or Decimal(0))


def check_row(
    number: int,
    row: Mapping[str, str],
    weekly_cost: Decimal | None = None,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> list[Finding]:
    """Every finding for one row; ``weekly_cost`` is the platform's own figure, if any."""
    ref = row.get("Event_Reference", "")
    found: list[Finding] = []

    def add(field: str, rule: str, message: str) -> None:
        found.append(Finding(number, ref, field, rule, message))

    event = row.get("Event_Type", "")
    mandatory = MANDATORY_ALWAYS + MANDATORY_BY_EVENT.get(event, ())
    frequency = row.get("Cost_Frequency_Unit_Type", "")
    if event == "Service" and frequency in vocabulary.PLANNED_UNITS_FREQUENCIES:
        mandatory += ("Planned_units_per_week",)
    for field in mandatory:
        if not row.get(field, "").strip():
            add(field, "missing", f"{field} is mandatory and blank.")
    for field, allowed in vocabulary.ALLOWED.items():
        value = row.get(field, "")
        if value and value not in allowed:
            add(field, "not_allowed", f"{field} {value!r} is not a Release 2 value.")
    dates = {}
    for field in DATE_FIELDS:
        value = row.get(field, "")
        if value:
            dates[field] = _date(value)
            if dates[field] is None:
                add(field, "bad_date", f"{field} {value!r} is not a date (YYYY-MM-DD).")
    start, end = dates.get("Event_Start_Date"), dates.get("Event_End_Date")
    if start and end and end < start:
        add("Event_End_Date", "end_before_start", f"The event ends ({end}) before it starts.")
    found += _cost_findings(number, ref, row, weekly_cost, tolerance)
    return found


def _cost_findings(
    number: int, ref: str, row: Mapping[str, str], weekly: Decimal | None, tolerance: Decimal
) -> list[Finding]:
    found = []
    unit_text, planned_text = row.get("Unit_Cost", ""), row.get("Planned_units_per_week", "")
    unit, planned = _decimal(unit_text), _decimal(planned_text)
    for field, text, value in (
        ("Unit_Cost", unit_text, unit),
        ("Planned_units_per_week", planned_text, planned),
    ):
        if text and value is None:
            found.append(Finding(number, ref, field, "not_a_number", f"{field} {text!r}."))
    frequency = row.get("Cost_Frequency_Unit_Type", "")
    if weekly is None or unit is None or frequency not in vocabulary.COST_FREQUENCIES:
        return found
    expected = expected_weekly_cost(unit, frequency, planned)
    if abs(expected - weekly) > tolerance:
        found.append(
            Finding(
                number,
                ref,
                "Unit_Cost",
                "weekly_cost",
                f"Weekly cost £{weekly} is not Unit_Cost x units a week (£{expected:.2f}).",
            )
        )
    return found


def check(
    rows: Iterable[tuple[Mapping[str, str], Decimal | None]],
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> list[Finding]:
    """Every finding of a file: rows with the platform's weekly cost beside each (or None)."""
    found: list[Finding] = []
    for number, (row, weekly) in enumerate(rows, start=1):
        found += check_row(number, row, weekly, tolerance)
    return found
