"""Where the care_homes API answers: caremarket.api.urls calls register with the one router."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from caremarket.care_homes.api.views import CareHomeViewSet, ReturnViewSet


def register(router: DefaultRouter) -> None:
    router.register("care-homes/homes", CareHomeViewSet, basename="care-homes-home")
    router.register("care-homes/returns", ReturnViewSet, basename="care-homes-return")
