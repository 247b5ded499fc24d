"""The demo's part: Staffordshire's supported living properties and rooms, holds
and bookings (issue 10).

Called by builder.build after the market and brokerage are built; returns counts for the
build report. Deterministic for a seed and date.
"""

from __future__ import annotations

from datetime import date, datetime


def build(*, as_of: date, moment: datetime, seed: int) -> dict[str, int]:
    """Nothing is built here yet."""
    return {}
