from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from caremarket.accounts.models import User


@admin.register(User)
class CaremarketUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "get_full_name", "role", "commissioner", "provider", "is_active"]
    list_filter = ["role", "commissioner", "is_active", "is_staff"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("Role in caremarket", {"fields": ("role", "commissioner", "provider")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Role in caremarket", {"fields": ("role", "commissioner", "provider")}),
    )

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_superuser
