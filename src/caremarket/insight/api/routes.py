"""Where the insight API answers: caremarket.api.urls calls register with the one router."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from caremarket.insight.api.statements import StatementViewSet


def register(router: DefaultRouter) -> None:
    router.register("sufficiency/statements", StatementViewSet, basename="insight-statement")
