"""The delivery pages. Each app's URLs are included once from caremarket.urls."""

from django.urls import path

from caremarket.delivery.views import insight, lines, payruns, remittance, shares, visits

app_name = "delivery"
urlpatterns = [
    path("visits/", visits.visit_list, name="visits"),
    path("visits/upload/", visits.upload, name="upload"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit"),
    path("pay-runs/", payruns.run_list, name="pay-runs"),
    path("pay-runs/held/", payruns.held_lines, name="held"),
    path("pay-runs/days-to-payment/", remittance.payment_days, name="payment-days"),
    path("pay-runs/<int:pk>/", payruns.run_detail, name="pay-run"),
    path("pay-runs/<int:pk>/export/", remittance.finance_export, name="finance-export"),
    path(
        "pay-runs/<int:pk>/remittance/<int:provider>/",
        remittance.remittance,
        name="remittance",
    ),
    path("pay-lines/<int:pk>/", lines.line_detail, name="line"),
    path("delivery/kpis/", insight.kpi_page, name="kpis"),
    path("delivery/subcontracting/", insight.subcontracting, name="subcontracting"),
    path("delivery/extra-time/", insight.variation_requests, name="variation-requests"),
    path("delivery/payment-sharing/", shares.sharing, name="sharing"),
    path("delivery/paid-for-your-visits/", shares.paid_for_my_visits, name="paid-for-my-visits"),
]
