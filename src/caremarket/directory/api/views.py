"""The public directory over the API: the same search as the directory page."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.core import clock
from caremarket.core.bounds import bounded_int
from caremarket.core.pagination import BoundedLimitOffsetPagination
from caremarket.directory import selectors as directory
from caremarket.market import selectors as market
from caremarket.market.models import Zone
from caremarket.providers.api.serializers import ProviderSerializer

# What engine.postcodes.parse accepts: a full postcode, any case, spaces anywhere.
POSTCODE = r"^\s*[A-Za-z]\s*([A-Za-z]\s*)?[0-9]\s*([A-Za-z0-9]\s*)?[0-9]\s*[A-Za-z]\s*[A-Za-z]\s*$"


class DirectoryViewSet(viewsets.ViewSet):
    """The public directory: providers by postcode or zone, service type and care group.
    No sign-in, no prices."""

    permission_classes = [permissions.AllowAny]
    pagination_class = BoundedLimitOffsetPagination  # so the document shows the page envelope

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "postcode",
                str,
                pattern=POSTCODE,
                description="A full postcode, like EX39 1AB",
            ),
            OpenApiParameter("zone", int, description="Zone id"),
            OpenApiParameter("service_type", str, description="Service type code"),
            OpenApiParameter("care_group", str, description="Care group code"),
        ],
        responses=ProviderSerializer,
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        zones: list[Zone] | None = None
        if params.get("postcode"):
            _, zones = market.zones_covering_postcode(params["postcode"])
        elif params.get("zone"):
            zones = [market.zone_by_id(_whole_number(params["zone"], "zone"))]
        code = params.get("service_type")
        service_type = market.service_type_by_code(code) if code else None
        code = params.get("care_group")
        care_group = market.care_group_by_code(code) if code else None
        found = directory.search(
            clock.today(), zones=zones, service_type=service_type, care_group=care_group
        ).prefetch_related("specialisms", "locations")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(found, request, view=self)
        return paginator.get_paginated_response(ProviderSerializer(page, many=True).data)


def _whole_number(raw: str, name: str) -> int:
    return bounded_int(raw, name, minimum=1)
