"""Distance on the Earth's surface, for "nearest first" searches (rooms, care homes).

Pure Python. The platform ships no postcode centroid data set (no ONS Postcode Directory),
and zones and postcode districts carry no coordinates, so a search measures from the
middle of the places it knows at the person's postcode, sector or district
(``centre``); each app says which places those are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """A box containing every point within ``km``: the database narrows by it, then
    ``distance_km`` decides."""
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    dlon = math.degrees(km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def centre(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    """The mean of some (latitude, longitude) points, or None if there are none. Good
    enough inside a postcode district (a few km), which is all it is used for."""
    found = list(points)
    if not found:
        return None
    return (
        sum(lat for lat, _ in found) / len(found),
        sum(lon for _, lon in found) / len(found),
    )
