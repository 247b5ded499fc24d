"""Where the pricing API answers: caremarket.api.urls calls register with the one router."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the router (none yet)."""
