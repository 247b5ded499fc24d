"""Writes of room bookings: holds, answers, expiries and direct payments."""
