"""Bookings' pure rules: a hold's end, a booking's state now, and the dates a move-in may
take. Plain Python; tests/bookings/test_rules.py calls them without a database."""

from __future__ import annotations

from datetime import date, datetime, timedelta

HELD, CONFIRMED, DECLINED, EXPIRED, WITHDRAWN, ENDED = (
    "held",
    "confirmed",
    "declined",
    "expired",
    "withdrawn",
    "ended",
)
STATE_CHOICES = [
    (HELD, "Held"),
    (CONFIRMED, "Confirmed"),
    (DECLINED, "Declined"),
    (EXPIRED, "Expired"),
    (WITHDRAWN, "Withdrawn"),
    (ENDED, "Ended"),
]
STATE_LABELS = dict(STATE_CHOICES)
# States that occupy a room (and a referral): at most one booking of each in them at a time.
LIVE_STATES = (HELD, CONFIRMED)

DEFAULT_HOLD_HOURS = 48
MAX_HOLD_HOURS = 336  # two weeks: a hold longer than that is a reservation, not a hold
# How far ahead a move-in may be set when the provider confirms.
MOVE_IN_LATEST_DAYS = 90


def hold_expires_at(held_at: datetime, hold_hours: int | None) -> datetime:
    """When a hold runs out: the framework's hold time (default 48 hours) after it was made."""
    return held_at + timedelta(hours=hold_hours or DEFAULT_HOLD_HOURS)


def effective_state(state: str, expires_at: datetime | None, at: datetime) -> str:
    """A hold past its end reads as expired, whether or not the worker has written it down."""
    if state == HELD and expires_at is not None and expires_at <= at:
        return EXPIRED
    return state


def move_in_problem(move_in: date | None, today: date) -> str:
    """Why a move-in date cannot be accepted, or ''."""
    if move_in is None:
        return "Enter the date the person moves in."
    if move_in < today:
        return "The move-in date cannot be in the past."
    if move_in > today + timedelta(days=MOVE_IN_LATEST_DAYS):
        return f"The move-in date must be within {MOVE_IN_LATEST_DAYS} days of today."
    return ""


def already_booked(reference: str) -> str:
    """The one message when a referral already has a room (held, booked or a direct payment)."""
    return f"{reference} already has a room held or booked; release it first."


def room_taken() -> str:
    """The one message when someone else holds or has booked the room."""
    return "This room is no longer available: someone else has held or booked it."
