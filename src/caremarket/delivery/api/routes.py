"""Where the delivery API answers: caremarket.api.urls calls register with the one router."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from caremarket.delivery.api.shares import PaymentShareViewSet
from caremarket.delivery.api.views import PayRunViewSet, VisitViewSet


def register(router: DefaultRouter) -> None:
    router.register("delivery/visits", VisitViewSet, basename="delivery-visit")
    router.register("delivery/pay-runs", PayRunViewSet, basename="delivery-pay-run")
    router.register(
        "delivery/payment-shares", PaymentShareViewSet, basename="delivery-payment-share"
    )
