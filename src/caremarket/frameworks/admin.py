from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from caremarket.core import roles
from caremarket.core.admin import CommissionerScopedAdmin, RelatedOnly, ScopedInline
from caremarket.frameworks.models import (
    Appointment,
    Band,
    CommissionerRate,
    EntryWindow,
    ExtensionOption,
    Framework,
    Lot,
    PanelMember,
    Price,
)


class ExtensionInline(ScopedInline):
    model = ExtensionOption


class EntryWindowInline(ScopedInline):
    model = EntryWindow


class DatedInline(ScopedInline):
    """Prices, rates and bands change by a new row from a date, never by editing the old one
    (payments and awards for earlier dates keep the rate that applied then)."""

    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RateInline(DatedInline):
    model = CommissionerRate


class BandInline(DatedInline):
    model = Band


@admin.register(Framework)
class FrameworkAdmin(CommissionerScopedAdmin):
    list_display = ["name", "commissioner", "kind", "start_date", "end_date", "route_to_market"]
    list_filter = [("commissioner", RelatedOnly), "kind", "route_to_market"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ExtensionInline, EntryWindowInline, RateInline, BandInline]


@admin.register(Lot)
class LotAdmin(CommissionerScopedAdmin):
    commissioner_path = "framework__commissioner"
    list_display = ["__str__", "framework"]
    list_filter = [("framework__commissioner", RelatedOnly), ("framework", RelatedOnly)]
    filter_horizontal = ["service_types", "care_groups", "zones"]


class PriceInline(DatedInline):
    model = Price
    fields = ["zone", "unit", "amount", "effective_from"]


class PanelInline(ScopedInline):
    model = PanelMember
    fk_name = "prime"
    filter_horizontal = ["zones"]


@admin.register(Appointment)
class AppointmentAdmin(CommissionerScopedAdmin):
    commissioner_path = "lot__framework__commissioner"
    list_display = ["provider", "lot", "status", "appointed_on", "quality_score"]
    list_filter = [
        ("lot__framework__commissioner", RelatedOnly),
        ("lot__framework", RelatedOnly),
        "status",
    ]
    search_fields = ["provider__name"]
    autocomplete_fields = ["provider"]
    filter_horizontal = ["zones", "prime_zones"]
    inlines = [PriceInline, PanelInline]


@admin.register(Price)
class PriceAdmin(CommissionerScopedAdmin):
    commissioner_path = "appointment__lot__framework__commissioner"
    list_display = ["appointment", "zone", "unit", "amount", "effective_from"]
    list_filter = [("appointment__lot__framework__commissioner", RelatedOnly), "unit"]
    search_fields = ["appointment__provider__name"]
    date_hierarchy = "effective_from"
    list_select_related = ["appointment__provider", "appointment__lot", "zone__commissioner"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A price is changed by adding one from a date; an existing one is only read."""
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return roles.is_platform(request.user)
