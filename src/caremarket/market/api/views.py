"""Zones over the API, read through the same selectors as the zones page."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.core.permissions import require
from caremarket.market import selectors as market
from caremarket.market.api import serializers as s
from caremarket.market.models import Zone


class ZoneViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """A commissioner's zones with their towns and postcode districts (council staff)."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error

    serializer_class = s.ZoneSerializer
    queryset = Zone.objects.none()  # for the schema; requests read through the selector

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Zone.objects.none()
        return market.zones_for(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("postcode", str, required=True, description="Any case and spacing")
        ],
        responses=s.PostcodeLookupSerializer,
    )
    @action(detail=False, methods=["get"])
    def lookup(self, request: Request) -> Response:
        """Name the zone a postcode is in."""
        require(request.user, "council_pages")
        code, zone = market.zone_for_postcode_seen_by(
            request.user, request.query_params.get("postcode", "")
        )
        return Response(s.PostcodeLookupSerializer({"postcode": str(code), "zone": zone}).data)
