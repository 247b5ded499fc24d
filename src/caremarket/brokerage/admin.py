from __future__ import annotations

from django.contrib import admin

from caremarket.brokerage.models import (
    Award,
    Competition,
    Notification,
    PersonalDataAccess,
    Referral,
    ServiceAgreement,
)
from caremarket.core.admin import CommissionerScopedAdmin, RelatedOnly


@admin.register(Referral)
class ReferralAdmin(CommissionerScopedAdmin):
    list_display = ["reference", "zone", "service_type", "urgency", "state", "start_date"]
    list_filter = [("commissioner", RelatedOnly), "state", "urgency", "route"]
    search_fields = ["reference", "person__reference"]
    readonly_fields = ["state"]
    raw_id_fields = ["person", "raised_by"]


@admin.register(ServiceAgreement)
class ServiceAgreementAdmin(CommissionerScopedAdmin):
    list_display = ["reference", "provider", "delivering_provider", "start_date", "end_date"]
    list_filter = [("commissioner", RelatedOnly), "end_reason"]
    search_fields = ["reference"]
    raw_id_fields = ["award", "person"]


@admin.register(Competition)
class CompetitionAdmin(CommissionerScopedAdmin):
    list_display = ["reference", "title", "lot", "deadline", "status"]
    list_filter = [("commissioner", RelatedOnly), "status"]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Awards are a record: read them here, never edit them."""

    list_display = ["__str__", "route", "rule", "unit_price", "decided_at"]
    list_filter = ["route", "rule"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        from caremarket.core.admin import _scope

        return _scope(super().get_queryset(request), "commissioner", request)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["at", "user", "person", "where"]
    list_filter = [("user__provider", RelatedOnly)]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        from caremarket.core.admin import _scope

        return _scope(super().get_queryset(request), "person__commissioner", request)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "to", "subject", "sent_at"]

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_superuser
