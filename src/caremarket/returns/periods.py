"""Which dates a quarter's Client Level Data return covers.

DHSC's dashboard describes rolling 12-month reporting periods submitted each quarter, so the
return named by a quarter covers the 12 months that end with it: ``2026Q3`` (calendar quarters,
July to September 2026) covers 1 October 2025 to 30 September 2026. Both choices are
assumptions to confirm with the council, so both are settings (``CLD_QUARTERS``: "calendar" or
"financial", where Q1 is April to June; ``CLD_REPORTING_MONTHS``). Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
STYLES = ("calendar", "financial")


@dataclass(frozen=True)
class Period:
    """The quarter a return is named by and the reporting period it covers."""

    label: str  # 2026Q3
    quarter_start: date
    start: date  # Reporting_Period_Start_Date
    end: date  # Reporting_Period_End_Date

    def covers(self, start: date, end: date | None) -> bool:
        """Whether an event from ``start`` to ``end`` (None: still open) falls in the period
        at all: an event open at any time in the period is reported."""
        return start <= self.end and (end is None or end >= self.start)


def _add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse(text: str, style: str = "calendar", months: int = 12) -> Period:
    """``2026Q3`` -> its Period. Raises ValueError with a message fit for the person."""
    found = QUARTER.match(text.strip())
    if not found:
        raise ValueError(f"{text!r} is not a quarter: write it like 2026Q3.")
    if style not in STYLES:
        raise ValueError(f"CLD_QUARTERS is {style!r}: use 'calendar' or 'financial'.")
    if not 3 <= months <= 36 or months % 3:
        raise ValueError(f"CLD_REPORTING_MONTHS is {months}: use 3 to 36, in whole quarters.")
    year, number = int(found[1]), int(found[2])
    first_month = 1 + 3 * (number - 1)
    quarter_start = date(year, first_month, 1)
    if style == "financial":  # Q1 of 2026 is April to June 2026; Q4 is January to March 2027
        quarter_start = _add_months(quarter_start, 3)
    end = _add_months(quarter_start, 3) - timedelta(days=1)
    start = _add_months(quarter_start, 3 - months)
    return Period(f"{year}Q{number}", quarter_start, start, end)


def quarter_of(day: date, style: str = "calendar") -> str:
    """The label of the quarter a day falls in."""
    shifted = _add_months(day, -3) if style == "financial" else day
    return f"{shifted.year}Q{(shifted.month - 1) // 3 + 1}"


def recent(day: date, count: int = 6, style: str = "calendar") -> list[str]:
    """The quarter a day falls in and the ones before it, newest first (the page's choices)."""
    first = _add_months(day, 0)
    return [quarter_of(_add_months(first, -3 * n), style) for n in range(count)]
