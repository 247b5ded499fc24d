"""The demo's part: Devon's care homes with a year of monthly returns (issue 10).

Called by builder.build after the market and brokerage are built; returns counts for the
build report. Deterministic for a seed and date.
"""

from __future__ import annotations

from datetime import date, datetime


def build(*, as_of: date, moment: datetime, seed: int) -> dict[str, int]:
    """Nothing is built here yet."""
    return {}
