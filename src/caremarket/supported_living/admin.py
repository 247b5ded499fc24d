from __future__ import annotations

from django.contrib import admin

from caremarket.core.admin import CommissionerScopedAdmin, PlatformEditsOnlyAdmin, RelatedOnly
from caremarket.supported_living.models import (
    Landlord,
    Property,
    ResidentCount,
    Room,
    Scheme,
    SupportGroup,
    VoidPolicy,
)


@admin.register(Scheme)
class SchemeAdmin(CommissionerScopedAdmin):
    list_display = ["name", "zone", "lot", "rooms", "care_provider", "housing_provider"]
    list_filter = [("commissioner", RelatedOnly), ("lot", RelatedOnly)]
    search_fields = ["name", "postcode"]


@admin.register(Landlord)
class LandlordAdmin(PlatformEditsOnlyAdmin):
    """Landlords may house schemes of several councils: the platform's to change."""

    list_display = ["name", "registered_provider_number"]
    search_fields = ["name"]


@admin.register(Property)
class PropertyAdmin(CommissionerScopedAdmin):
    commissioner_path = "scheme__commissioner"
    list_display = ["name", "scheme", "postcode", "zone", "landlord", "kind"]
    search_fields = ["name", "postcode"]


@admin.register(Room)
class RoomAdmin(CommissionerScopedAdmin):
    """Read here; status changes go through the provider's pages and the API (services)."""

    commissioner_path = "property__scheme__commissioner"
    list_display = ["__str__", "status", "void_since", "last_confirmed_at"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(SupportGroup)
class SupportGroupAdmin(CommissionerScopedAdmin):
    list_display = ["code", "name", "in_framework"]


@admin.register(ResidentCount)
class ResidentCountAdmin(CommissionerScopedAdmin):
    list_display = ["group", "lot", "level", "residents", "counted_on"]


@admin.register(VoidPolicy)
class VoidPolicyAdmin(CommissionerScopedAdmin):
    list_display = ["commissioner", "default_weekly_cost", "long_void_days"]
