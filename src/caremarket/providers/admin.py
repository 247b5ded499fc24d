from __future__ import annotations

from django.contrib import admin

from caremarket.core.admin import PlatformEditsOnlyAdmin
from caremarket.providers.models import Location, Provider


class LocationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Location
    extra = 0


@admin.register(Provider)
class ProviderAdmin(PlatformEditsOnlyAdmin):
    """Providers are shared across commissioners, so every commissioner's staff see them, and
    none of them may change them: a provider's email, care groups and specialisms decide
    who is told and who is eligible for every council's referrals. Platform staff edit."""

    list_display = ["name", "is_fictitious", "email", "phone"]
    list_filter = ["is_fictitious", "care_groups", "specialisms"]
    search_fields = ["name", "locations__cqc_location_id"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["care_groups", "specialisms", "service_types"]
    inlines = [LocationInline]
