"""Care homes' own pure rules (no ORM). The vacancy rules shared with other apps and the
benchmark (the window, a line's checks, rates, risk, business critical) are in
``caremarket.engine.vacancy``; what is only this app's is here."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from caremarket.engine import postcodes

NEARNESS_LABELS = (
    "Same postcode sector",
    "Same postcode district",
    "Same zone",
    "Neighbouring zone",
    "Elsewhere in the council's area",
)


def nearness(
    search: postcodes.Postcode,
    home_postcode: str,
    *,
    home_zone_id: int,
    search_zone_id: int | None,
    neighbour_zone_ids: Collection[int],
) -> int:
    """How near a home is to the person's postcode, 0 (same sector) to 4 (elsewhere).

    The platform holds no coordinates (no postcode centroid data set is shipped), so
    "nearest first" ranks by postcode sector, district, zone and neighbouring zone: the
    council's own geography, which is how brokers widen a search.
    """
    try:
        home = postcodes.parse(home_postcode)
    except postcodes.InvalidPostcode:
        home = None
    if home is not None and home.sector == search.sector:
        return 0
    if home is not None and home.district == search.district:
        return 1
    if search_zone_id is not None and home_zone_id == search_zone_id:
        return 2
    if home_zone_id in neighbour_zone_ids:
        return 3
    return 4


def months_back(latest: date, count: int) -> list[date]:
    """The ``count`` months ending with ``latest`` (first days), oldest first."""
    months = []
    year, month = latest.year, latest.month
    for _ in range(max(count, 1)):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def parse_month(text: str) -> date | None:
    """'2026-11' or '2026-11-01' -> 1 November 2026; anything else None."""
    try:
        year, month = (int(part) for part in text.strip().split("-")[:2])
        return date(year, month, 1)
    except (ValueError, TypeError):
        return None
