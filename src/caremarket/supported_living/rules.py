"""Supported living's pure rules: room statuses, staleness, voids and their cost, distance
and compatibility. Plain Python, no ORM; tests/supported_living/test_rules.py calls them
without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from caremarket.engine import geo
from caremarket.engine.pricing import money

# --- room status ----------------------------------------------------------------------------

VACANT, HELD, OCCUPIED, UNAVAILABLE = "vacant", "held", "occupied", "unavailable"
STATUS_CHOICES = [
    (VACANT, "Vacant"),
    (HELD, "Held for a referral"),
    (OCCUPIED, "Occupied"),
    (UNAVAILABLE, "Unavailable"),
]
STATUS_LABELS = dict(STATUS_CHOICES)
# What a provider may set by hand; a hold is only ever made by a booking.
PROVIDER_STATUSES = (VACANT, OCCUPIED, UNAVAILABLE)

STALE_AFTER_DAYS = 14
STALE_AFTER = timedelta(days=STALE_AFTER_DAYS)
LONG_VOID_DAYS = 90


def effective_status(status: str, held_until: datetime | None, at: datetime) -> str:
    """A hold that has run out reads as vacant, whether or not the worker has written it."""
    if status == HELD and held_until is not None and held_until <= at:
        return VACANT
    return status


def is_stale(status: str, last_confirmed_at: datetime, at: datetime) -> bool:
    """A vacancy nobody has confirmed for 14 days is shown as stale (issue 10)."""
    return status == VACANT and at - last_confirmed_at > STALE_AFTER


def status_change_problem(current: str, new: str, reason: str) -> dict[str, str]:
    """Why a provider may not set a room's status by hand (field -> message), or nothing."""
    if new not in PROVIDER_STATUSES:
        return {"status": "Choose vacant, occupied or unavailable."}
    if current == HELD:
        return {"status": "This room is held for a referral: confirm or decline the hold instead."}
    if new == UNAVAILABLE and not reason.strip():
        return {"reason": "Say why the room is unavailable (for example, repairs)."}
    return {}


# --- voids ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Void:
    days: int
    long: bool
    cost: Decimal | None  # None where the council does not pay for the void


def void(
    since: date,
    today: date,
    *,
    council_pays: bool,
    weekly_cost: Decimal | None,
    long_after_days: int = LONG_VOID_DAYS,
) -> Void:
    """Days void (from the void start date to today), whether it is a long void (over 90
    days), and what it has cost the council where it pays: days x weekly cost / 7, rounded
    once (``engine.pricing.money``)."""
    days = max((today - since).days, 0)
    cost = None
    if council_pays and weekly_cost is not None:
        cost = money(weekly_cost * Decimal(days) / Decimal(7))
    return Void(days=days, long=days > long_after_days, cost=cost)


# --- properties, bands, compatibility -------------------------------------------------------

SHARED, SELF_CONTAINED = "shared", "self_contained"
PROPERTY_KINDS = [(SHARED, "Shared house"), (SELF_CONTAINED, "Self-contained flat")]
ACCESSIBILITY = (
    ("step_free", "Step-free access"),
    ("wheelchair_accessible", "Wheelchair accessible"),
    ("ground_floor_bedroom", "Ground-floor bedroom"),
    ("adapted_bathroom", "Adapted bathroom"),
)
ACCESSIBILITY_FIELDS = tuple(field for field, _ in ACCESSIBILITY)
BAND_LEVELS = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("very_high", "Very high"),
]
ANY_GENDER, WOMEN_ONLY, MEN_ONLY = "any", "female", "male"
GENDER_CHOICES = [(ANY_GENDER, "Anyone"), (WOMEN_ONLY, "Women only"), (MEN_ONLY, "Men only")]


def compatibility_labels(
    *, pets_allowed: bool, smoking_allowed: bool, gender: str, notes: str
) -> list[str]:
    labels = []
    if not pets_allowed:
        labels.append("No pets")
    if not smoking_allowed:
        labels.append("No smokers")
    if gender == WOMEN_ONLY:
        labels.append("Women only")
    elif gender == MEN_ONLY:
        labels.append("Men only")
    if notes.strip():
        labels.append(notes.strip())
    return labels


def genders_admitting(gender: str) -> tuple[str, ...]:
    """The scheme settings that admit a person of this gender; every setting when the
    search does not say (the broker then reads the scheme's compatibility notes)."""
    if gender == WOMEN_ONLY:
        return (ANY_GENDER, WOMEN_ONLY)
    if gender == MEN_ONLY:
        return (ANY_GENDER, MEN_ONLY)
    return (ANY_GENDER, WOMEN_ONLY, MEN_ONLY)


# --- distance ---------------------------------------------------------------------------
# The haversine distance and its bounding box are shared with care homes (engine.geo).

EARTH_RADIUS_KM = geo.EARTH_RADIUS_KM
distance_km = geo.distance_km
bounding_box = geo.bounding_box
