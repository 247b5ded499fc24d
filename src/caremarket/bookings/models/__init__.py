"""Room bookings: holds on supported living rooms for referrals, their confirmation into a
tenancy and a service agreement, and direct payments for rooms chosen outside the call-off."""

from caremarket.bookings.models.bookings import Booking, BookingQuerySet, HoldPolicy
from caremarket.bookings.models.direct_payments import DirectPayment

__all__ = ["Booking", "BookingQuerySet", "DirectPayment", "HoldPolicy"]
