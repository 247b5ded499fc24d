from __future__ import annotations

from django.contrib import admin

from caremarket.core.admin import CommissionerScopedAdmin, RelatedOnly
from caremarket.supported_living.models import Scheme


@admin.register(Scheme)
class SchemeAdmin(CommissionerScopedAdmin):
    list_display = ["name", "zone", "lot", "rooms", "housing_provider"]
    list_filter = [("commissioner", RelatedOnly), ("lot", RelatedOnly)]
    search_fields = ["name", "postcode"]
