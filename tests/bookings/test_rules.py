"""Bookings' pure rules (bookings.rules), without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from caremarket.bookings import rules

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_a_hold_lasts_the_frameworks_hours_or_48() -> None:
    assert rules.hold_expires_at(NOW, None) == NOW + timedelta(hours=48)
    assert rules.hold_expires_at(NOW, 6) == NOW + timedelta(hours=6)


@given(st.integers(min_value=1, max_value=rules.MAX_HOLD_HOURS), st.integers(0, 400))
def test_a_hold_reads_expired_exactly_from_its_end(hours: int, minutes_later: int) -> None:
    ends = rules.hold_expires_at(NOW, hours)
    at = NOW + timedelta(minutes=minutes_later)
    expected = rules.EXPIRED if at >= ends else rules.HELD
    assert rules.effective_state(rules.HELD, ends, at) == expected


def test_answered_bookings_keep_their_state_after_the_hold_would_have_ended() -> None:
    past = NOW - timedelta(days=3)
    for state in (rules.CONFIRMED, rules.DECLINED, rules.WITHDRAWN, rules.ENDED):
        assert rules.effective_state(state, past, NOW) == state


def test_move_in_dates() -> None:
    today = date(2026, 12, 2)
    assert rules.move_in_problem(None, today).startswith("Enter")
    assert "past" in rules.move_in_problem(today - timedelta(days=1), today)
    assert rules.move_in_problem(today, today) == ""
    assert rules.move_in_problem(today + timedelta(days=90), today) == ""
    assert "90 days" in rules.move_in_problem(today + timedelta(days=91), today)
