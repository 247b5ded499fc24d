from __future__ import annotations

from django.contrib import admin

from caremarket.bookings.models import Booking, DirectPayment, HoldPolicy
from caremarket.core.admin import CommissionerScopedAdmin


class ReadOnlyScoped(CommissionerScopedAdmin):
    """Holds, bookings and payments move only through the services (locks, awards)."""

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyScoped):
    list_display = ["referral", "room", "state", "held_at", "expires_at", "move_in_date"]
    list_filter = ["state"]


@admin.register(DirectPayment)
class DirectPaymentAdmin(ReadOnlyScoped):
    list_display = ["referral", "where", "weekly_amount", "start_date"]


@admin.register(HoldPolicy)
class HoldPolicyAdmin(CommissionerScopedAdmin):
    commissioner_path = "framework__commissioner"
    list_display = ["framework", "hold_hours"]
