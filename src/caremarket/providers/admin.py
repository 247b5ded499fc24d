from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from caremarket.providers.models import Location, Provider


class LocationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Location
    extra = 0


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """Providers are shared across commissioners, so every commissioner's staff see them."""

    list_display = ["name", "is_fictitious", "email", "phone"]
    list_filter = ["is_fictitious", "care_groups", "specialisms"]
    search_fields = ["name", "locations__cqc_location_id"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["care_groups", "specialisms", "service_types"]
    inlines = [LocationInline]
