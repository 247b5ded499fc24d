"""Pure rules of delivery (no ORM): what makes one visit record acceptable.

The same checks serve the ECM import (each fault on its line and column), the API and the
provider's upload, so a visit is refused for the same reason whichever way it arrives.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from caremarket.engine.pricing import money


def line_amount(minutes: int, rate: Decimal) -> Decimal:
    """The one place a pay line's money is rounded (pay runs, adjustments, and a
    subcontractor's view of what its lead was paid)."""
    return money(Decimal(minutes) * rate / 60)


MAX_VISIT_MINUTES = 12 * 60  # a visit record longer than a shift is a missed check-out
METHODS = ("telephony", "app_gps", "qr_nfc", "manual")


def visit_faults(
    check_in: datetime | None,
    check_out: datetime | None,
    method: str | None,
    manual_reason: str | None,
    planned_start: datetime | None = None,
    planned_end: datetime | None = None,
) -> dict[str, str]:
    """Column -> message for one visit's times and method (empty when it is acceptable)."""
    faults: dict[str, str] = {}
    if check_in is not None and check_out is not None:
        minutes = (check_out - check_in).total_seconds() / 60
        if minutes < 0:
            faults["check_out"] = (
                "check_out is before check_in: a visit cannot last less than nothing"
            )
        elif minutes > MAX_VISIT_MINUTES:
            faults["check_out"] = (
                f"check_out is more than {MAX_VISIT_MINUTES // 60} hours after check_in: "
                "was a check-out missed?"
            )
    if planned_start is not None and planned_end is not None and planned_end < planned_start:
        faults["planned_end"] = "planned_end is before planned_start"
    if method is not None and method not in METHODS:
        faults["method"] = f"method must be one of {', '.join(METHODS)}"
    return faults


EXPORTABLE = ("approved", "paid")


def export_refusal(state: str) -> str | None:
    """Why a run in this state may not go to the finance system (None when it may): only an
    approved run is money the council has agreed to pay; a draft or a run in review can
    still change, and an export of it could be paid twice or wrongly."""
    if state in EXPORTABLE:
        return None
    return (
        "Only an approved or paid run can be exported for payment: approve this run first. "
        "Nothing was exported."
    )


def days_to_payment(period_end_ordinal: int, paid_on_ordinal: int) -> int:
    """Days from the end of the period to the day the money was paid."""
    return paid_on_ordinal - period_end_ordinal


def percent(part: int, whole: int) -> float:
    """A KPI percentage to one place (0 when there is nothing to measure)."""
    return round(100 * part / whole, 1) if whole else 0.0


def hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: date) -> date:
    month = start.month + 3
    nxt = date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return nxt - timedelta(days=1)


def bar_chart(
    rows: list[dict[str, object]], *, label: str, value: str, standard: float, width: int = 640
) -> dict[str, object]:
    """The geometry of a horizontal bar chart of percentages with a standard line, for a
    server-rendered SVG (the data table is shown beside it)."""
    bar, gap, left = 24, 10, 220
    scale = (width - left - 20) / 100
    bars = []
    for i, row in enumerate(rows):
        pct = float(row.get(value) or 0)  # type: ignore[arg-type]
        bars.append(
            {
                "y": i * (bar + gap) + 10,
                "w": round(pct * scale, 1),
                "label": str(row.get(label))[:32],
                "value": pct,
                "below": pct < standard,
                "text_y": i * (bar + gap) + 10 + bar * 0.7,
            }
        )
    height = len(rows) * (bar + gap) + 30
    return {
        "width": width,
        "height": height,
        "left": left,
        "bar": bar,
        "bars": bars,
        "standard_x": round(left + standard * scale, 1),
        "standard": standard,
    }
