"""Room bookings (supported living)."""
