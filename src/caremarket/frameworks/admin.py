from __future__ import annotations

from django.contrib import admin

from caremarket.core.admin import CommissionerScopedAdmin, ScopedInline
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


class RateInline(ScopedInline):
    model = CommissionerRate


class BandInline(ScopedInline):
    model = Band


@admin.register(Framework)
class FrameworkAdmin(CommissionerScopedAdmin):
    list_display = ["name", "commissioner", "kind", "start_date", "end_date", "route_to_market"]
    list_filter = ["commissioner", "kind", "route_to_market"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ExtensionInline, EntryWindowInline, RateInline, BandInline]


@admin.register(Lot)
class LotAdmin(CommissionerScopedAdmin):
    commissioner_path = "framework__commissioner"
    list_display = ["__str__", "framework"]
    list_filter = ["framework__commissioner", "framework"]
    filter_horizontal = ["service_types", "care_groups", "zones"]


class PriceInline(ScopedInline):
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
    list_filter = ["lot__framework__commissioner", "lot__framework", "status"]
    search_fields = ["provider__name"]
    autocomplete_fields = ["provider"]
    filter_horizontal = ["zones", "prime_zones"]
    inlines = [PriceInline, PanelInline]


@admin.register(Price)
class PriceAdmin(CommissionerScopedAdmin):
    commissioner_path = "appointment__lot__framework__commissioner"
    list_display = ["appointment", "zone", "unit", "amount", "effective_from"]
    list_filter = ["appointment__lot__framework__commissioner", "unit"]
    search_fields = ["appointment__provider__name"]
    date_hierarchy = "effective_from"
