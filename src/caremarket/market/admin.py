from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from caremarket.core import roles
from caremarket.core.admin import CommissionerScopedAdmin, PlatformEditsOnlyAdmin, RelatedOnly
from caremarket.market.models import (
    CareGroup,
    Commissioner,
    PostcodeArea,
    ServiceType,
    Specialism,
    Town,
    Zone,
)


class TownInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Town
    extra = 1


class PostcodeAreaInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PostcodeArea
    extra = 1
    fields = ["code"]


@admin.register(Commissioner)
class CommissionerAdmin(CommissionerScopedAdmin):
    commissioner_path = "pk"
    list_display = ["name", "kind", "ons_code", "zone_label", "reference_prefix"]
    # Who a commissioner is (its name, its slug in addresses, the prefix of its references) is
    # platform staff's to change: a council renaming itself could pose as another council to
    # providers and the public. Every change is kept by the model's history.
    IDENTITY = ("name", "slug", "reference_prefix")

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {"slug": ["name"]} if roles.is_platform(request.user) else {}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fixed = list(super().get_readonly_fields(request, obj))
        if not roles.is_platform(request.user):
            fixed += [f for f in self.IDENTITY if f not in fixed]
        elif obj is not None:
            fixed.append("reference_prefix")  # issued references carry it: never changes
        return fixed

    def has_add_permission(self, request: HttpRequest) -> bool:
        return roles.is_platform(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return roles.is_platform(request.user)


@admin.register(Zone)
class ZoneAdmin(CommissionerScopedAdmin):
    list_display = ["label", "commissioner", "town_names"]
    list_filter = [("commissioner", RelatedOnly)]
    search_fields = ["name", "towns__name", "postcode_areas__code"]
    inlines = [TownInline, PostcodeAreaInline]

    @admin.display(description="Towns")
    def town_names(self, zone: Zone) -> str:
        return ", ".join(t.name for t in zone.towns.all())

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for obj in formset.save(commit=False):
            if isinstance(obj, PostcodeArea):
                obj.commissioner = form.instance.commissioner
                obj.full_clean()
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(CommissionerScopedAdmin):
    list_display = ["code", "zone", "commissioner"]
    list_filter = [("commissioner", RelatedOnly)]
    search_fields = ["code"]


class ReferenceDataAdmin(PlatformEditsOnlyAdmin):
    """Care groups, service types and specialisms: shared by every commissioner."""


@admin.register(CareGroup)
class CareGroupAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "clc_primary_support_reason", "display_order"]


@admin.register(ServiceType)
class ServiceTypeAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "unit", "cqc_registration_required"]


@admin.register(Specialism)
class SpecialismAdmin(ReferenceDataAdmin):
    list_display = ["name", "code"]
