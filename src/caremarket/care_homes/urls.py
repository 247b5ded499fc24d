"""The care_homes pages. Each app's URLs are included once from caremarket.urls."""

from django.urls import path  # noqa: F401

app_name = "care_homes"
urlpatterns: list = []
