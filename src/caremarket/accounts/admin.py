from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from caremarket.accounts.forms import AdminSignInForm
from caremarket.accounts.models import SignInAttempt, User

admin.site.login_form = AdminSignInForm  # throttled like /sign-in/ (accounts.throttle)


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


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Sign-in attempts, for platform staff investigating a lock-out: read only."""

    list_display = ["at", "username", "address", "succeeded", "refused"]
    list_filter = ["succeeded", "refused"]
    search_fields = ["username", "address"]

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
