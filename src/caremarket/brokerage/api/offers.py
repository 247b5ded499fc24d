"""A provider's offers over the API, answered through the same services as the inbox."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.brokerage import selectors
from caremarket.brokerage.api import serializers as s
from caremarket.brokerage.api.serializers import validated
from caremarket.brokerage.services import offers
from caremarket.brokerage.waiting import offers_in_status, with_referral_state_now
from caremarket.core import clock
from caremarket.core.permissions import require
from caremarket.providers import selectors as provider_selectors
from caremarket.providers.models import Provider


class OfferViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """A provider's offers across every commissioner, with the time left. Answer with the
    actions; a passed deadline is refused whether or not a worker has run."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error

    serializer_class = s.OfferSerializer
    filterset_fields = ["kind"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, description="Status now: an open offer past its deadline is expired"
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        now = clock.now()
        qs = with_referral_state_now(selectors.offers_for_provider(self.request.user), now)
        status_now = self.request.query_params.get("status")
        if status_now:
            qs = offers_in_status(qs, status_now, now)
        return qs.prefetch_related("referral__needs").order_by("deadline", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": clock.now()}

    def _mine(self, pk: str) -> int:
        return selectors.offer_for_provider(self.request.user, int(pk)).pk

    def _acting_provider(self) -> Provider:
        """The provider the caller answers for: 403 unless one of its users."""
        require(self.request.user, "provider")
        return self.request.user.provider  # type: ignore[union-attr,return-value]

    @extend_schema(request=s.AcceptSerializer, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        provider = self._acting_provider()
        body = validated(s.AcceptSerializer, request)
        offer = offers.accept(
            self._mine(pk), provider=provider, by=request.user, quote=body["quote"]
        )
        return Response(self.get_serializer(offer).data)

    @extend_schema(request=s.DeclineSerializer, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        provider = self._acting_provider()
        body = validated(s.DeclineSerializer, request)
        offer = offers.decline(self._mine(pk), provider=provider, by=request.user, **body)
        return Response(self.get_serializer(offer).data)

    @extend_schema(request=None, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        """As lead provider: take the referral and deliver it yourself."""
        offer = offers.lead_delivers(
            self._mine(pk), provider=self._acting_provider(), by=request.user
        )
        return Response(self.get_serializer(offer).data)

    @extend_schema(request=s.SubcontractSerializer, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def subcontract(self, request: Request, pk: str) -> Response:
        """As lead provider: place it with a subcontractor on your panel."""
        provider = self._acting_provider()
        body = validated(s.SubcontractSerializer, request)
        member = provider_selectors.provider_by_slug(body["member"], "member")
        offer = offers.lead_subcontracts(
            self._mine(pk), provider=provider, member=member, by=request.user
        )
        return Response(self.get_serializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """As a subcontractor: confirm you will deliver it for the lead."""
        offer = offers.subcontractor_confirms(
            self._mine(pk), provider=self._acting_provider(), by=request.user
        )
        return Response(self.get_serializer(offer).data)
