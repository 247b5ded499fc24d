"""The site's URL map: one include per app, so a new capability adds one line here."""

from django.contrib import admin
from django.urls import include, path

from caremarket.core import views as core_views

admin.site.site_header = "caremarket back office"
admin.site.site_title = "caremarket back office"
admin.site.index_title = "Commissioning records"

urlpatterns = [
    path("", include("caremarket.home.urls")),
    path("", include("caremarket.accounts.urls")),
    path("", include("caremarket.market.urls")),
    path("", include("caremarket.frameworks.urls")),
    path("", include("caremarket.frameworks.provider_urls")),
    path("", include("caremarket.brokerage.urls")),
    path("", include("caremarket.supported_living.urls")),
    path("", include("caremarket.bookings.urls")),
    path("", include("caremarket.care_homes.urls")),
    path("", include("caremarket.delivery.urls")),
    path("", include("caremarket.pricing.urls")),
    path("", include("caremarket.insight.urls")),
    path("", include("caremarket.directory.urls")),
    path("", include("caremarket.api.urls")),
    path("", include("caremarket.audit.urls")),
    path("", include("caremarket.returns.urls")),
    path("", include("caremarket.core.urls")),
    path("admin/", admin.site.urls),
    path("assets/<path:path>", core_views.govuk_assets, name="govuk-assets"),
    path("healthz", core_views.healthz, name="healthz"),
]

handler400 = "caremarket.core.views.bad_request"
handler403 = "caremarket.core.views.permission_denied"
handler404 = "caremarket.core.views.page_not_found"
handler500 = "caremarket.core.views.server_error"
