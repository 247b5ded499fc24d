"""Where the supported living API answers: caremarket.api.urls calls ``register`` with the
one router."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from caremarket.supported_living.api.rooms import RoomViewSet


def register(router: DefaultRouter) -> None:
    router.register("supported-living/rooms", RoomViewSet, basename="sl-room")
