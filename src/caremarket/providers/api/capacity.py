"""Providers' declared spare capacity over the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.core.permissions import require
from caremarket.market import selectors as market_selectors
from caremarket.providers import selectors as provider_selectors
from caremarket.providers import services as provider_services
from caremarket.providers.api import serializers as s


class CapacityViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Spare hours a week a provider can take on, per zone and service. A provider lists and
    declares its own (a new declaration supersedes the last); council staff list those in
    their zones."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error

    filterset_fields = ["service_type"]

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return s.CapacityCreateSerializer if self.action == "create" else s.CapacitySerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return provider_selectors.capacity_for(self.request.user)

    @extend_schema(request=s.CapacityCreateSerializer, responses=s.CapacitySerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request.user, "provider")
        provider = request.user.provider  # type: ignore[union-attr]
        body = s.CapacityCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        zone = market_selectors.zone_numbered(d["commissioner"], d["zone"])
        made = provider_services.declare_capacity(
            provider,
            zone=zone,
            service_type=d["service_type"],
            hours_per_week=d["hours_per_week"],
            valid_from=d["valid_from"],
            by=request.user,
        )
        return Response(s.CapacitySerializer(made).data, status=status.HTTP_201_CREATED)
