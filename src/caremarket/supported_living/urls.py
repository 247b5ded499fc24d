"""The supported living pages. Included once from caremarket.urls."""

from django.urls import path  # noqa: F401

app_name = "supported_living"
urlpatterns: list = []
