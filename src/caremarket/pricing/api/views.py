"""Fee reviews over the API: the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.core.errors import NotFound
from caremarket.core.permissions import require
from caremarket.frameworks import selectors as frameworks_selectors
from caremarket.pricing import selectors
from caremarket.pricing.api import serializers as s
from caremarket.pricing.models import FeeReview
from caremarket.pricing.rules import LineInput
from caremarket.pricing.services import reviews


class FeeReviewViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Annual fee reviews: council staff see the budget impact; providers see proposals."""

    lookup_value_regex = "[0-9]+"

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        if selectors.sees_budget_impact(self.request.user):
            return s.CouncilFeeReviewSerializer
        return s.FeeReviewSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the shape
            return FeeReview.objects.none()
        require(self.request.user, "view_fee_reviews")
        return selectors.reviews_for(self.request.user).prefetch_related("lines").order_by("pk")

    @extend_schema(request=s.ProposeSerializer, responses={201: s.CouncilFeeReviewSerializer})
    def create(self, request: Request) -> Response:
        require(request.user, "manage_fee_reviews")
        body = s.ProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        framework = selectors.frameworks_to_review(request.user).filter(pk=data.pop("framework"))
        if not framework.exists():
            raise NotFound("No framework here that you can see.")
        lines = [LineInput(**line) for line in data.pop("lines", [])]
        review = reviews.propose(
            request.user, framework.get(), reviews.Proposal(**data, lines=lines)
        )
        return Response(s.CouncilFeeReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DecideSerializer, responses=s.CouncilFeeReviewSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        require(request.user, "manage_fee_reviews")
        review = self.get_object()
        body = s.DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = reviews.decide(review.pk, by=request.user, **body.validated_data)
        return Response(s.CouncilFeeReviewSerializer(done).data)


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Applications to frameworks' entry windows: a provider sees only its own."""

    lookup_value_regex = "[0-9]+"
    serializer_class = s.ApplicationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            frameworks_selectors.applications_for(self.request.user)
            .prefetch_related("prices__zone")
            .order_by("pk")
        )
