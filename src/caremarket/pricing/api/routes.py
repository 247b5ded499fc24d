"""Where the pricing API answers: caremarket.api.urls calls register with the one router."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from caremarket.pricing.api.views import ApplicationViewSet, FeeReviewViewSet


def register(router: DefaultRouter) -> None:
    """Fee reviews and entry-window applications (``/api/v1/fee-reviews/``, ``applications/``)."""
    router.register("fee-reviews", FeeReviewViewSet, basename="pricing-fee-review")
    router.register("applications", ApplicationViewSet, basename="pricing-application")
