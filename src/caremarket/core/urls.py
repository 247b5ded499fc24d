"""The platform's own pages: an import run's progress and report."""

from django.urls import path

from caremarket.core import views

app_name = "core"
urlpatterns = [path("imports/<int:pk>/", views.import_run, name="import-run")]
