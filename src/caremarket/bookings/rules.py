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

# The rule recorded on the award a confirmed booking makes (an award by any other rule for
# the same referral releases its hold: services.releases.release_for_award).
ROOM_BOOKING_RULE = "room_booking"

DEFAULT_HOLD_HOURS = 48
MAX_HOLD_HOURS = 336  # two weeks: a hold longer than that is a reservation, not a hold
# How far ahead a move-in may be set when the provider confirms.
MOVE_IN_LATEST_DAYS = 90
# How far back a move-out may be recorded: a late record is normal, a year late is a typo.
MOVE_OUT_EARLIEST_DAYS = 365


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


def move_out_problem(moved_out_on: date | None, *, move_in: date, today: date) -> str:
    """Why a move-out date cannot be accepted, or ''. Pure: the dates only."""
    if moved_out_on is None:
        return "Enter the date the person moved out."
    if moved_out_on > today:
        return "The move-out date cannot be in the future: record it on or after the day."
    if moved_out_on < move_in:
        return f"The move-out date cannot be before the move-in date ({move_in:%d %B %Y})."
    if moved_out_on < today - timedelta(days=MOVE_OUT_EARLIEST_DAYS):
        return f"The move-out date must be within the last {MOVE_OUT_EARLIEST_DAYS} days."
    return ""


def already_booked(reference: str) -> str:
    """The one message when a referral already has a room (held, booked or a direct payment)."""
    return f"{reference} already has a room held or booked; release it first."


def room_taken() -> str:
    """The one message when someone else holds or has booked the room."""
    return "This room is no longer available: someone else has held or booked it."
