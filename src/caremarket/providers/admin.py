from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from caremarket.core import roles
from caremarket.providers.models import Location, Provider


class LocationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Location
    extra = 0


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """Providers are shared across commissioners, so every commissioner's staff see them, and
    none of them may change them: a provider's email, care groups and specialisms decide
    who is told and who is eligible for every council's referrals. Platform staff edit."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return roles.is_platform(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return roles.is_platform(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return roles.is_platform(request.user)

    list_display = ["name", "is_fictitious", "email", "phone"]
    list_filter = ["is_fictitious", "care_groups", "specialisms"]
    search_fields = ["name", "locations__cqc_location_id"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["care_groups", "specialisms", "service_types"]
    inlines = [LocationInline]
