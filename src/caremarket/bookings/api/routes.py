"""Where the bookings API answers: caremarket.api.urls calls register with the one router."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from caremarket.bookings.api.views import BookingViewSet, HoldViewSet, VacancyViewSet


def register(router: DefaultRouter) -> None:
    router.register("bookings/holds", HoldViewSet, basename="room-hold")
    router.register("bookings/vacancies", VacancyViewSet, basename="room-vacancy")
    router.register("bookings", BookingViewSet, basename="room-booking")
