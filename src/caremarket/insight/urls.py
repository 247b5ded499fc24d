"""The insight pages. Each app's URLs are included once from caremarket.urls."""

from django.urls import path

from caremarket.insight.views import dashboard, market, setup, statements

app_name = "insight"
urlpatterns = [
    path("sufficiency/", dashboard.dashboard, name="dashboard"),
    path("sufficiency/packages/", dashboard.packages, name="packages"),
    path("sufficiency/awaiting/", dashboard.awaiting, name="awaiting"),
    path("sufficiency/day-opportunities/", market.day_services, name="day-services"),
    path("sufficiency/replacement-care/", market.replacement_care, name="replacement-care"),
    path("sufficiency/projections/", dashboard.projections, name="projections"),
    path("sufficiency/rates/", setup.rates, name="rates"),
    path("sufficiency/parameters/", setup.parameters, name="parameters"),
    path("sufficiency/imports/", setup.upload, name="upload"),
    path("statements/", statements.statement_list, name="statements"),
    path("statements/<int:pk>/", statements.statement_detail, name="statement"),
    path("statements/<int:pk>/edit/", statements.statement_edit, name="statement-edit"),
    path("statements/<int:pk>/actions/new/", statements.action_edit, name="action-new"),
    path("statements/<int:pk>/actions/<int:item>/", statements.action_edit, name="action-edit"),
    path("statements/<int:pk>/publish/", statements.statement_publish, name="statement-publish"),
]
