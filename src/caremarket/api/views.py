"""API handlers: thin. Each reads through the same selectors as the web pages."""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.api import serializers as s
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.directory import selectors as directory
from caremarket.frameworks import selectors as frameworks
from caremarket.frameworks.models import Appointment
from caremarket.market import selectors as market
from caremarket.market.models import CareGroup, ServiceType, Zone
from caremarket.providers import selectors as providers


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
        self.get_queryset()  # the same access rule as the list
        code, zone = market.zone_for_postcode_seen_by(
            request.user, request.query_params.get("postcode", "")
        )
        return Response(s.PostcodeLookupSerializer({"postcode": str(code), "zone": zone}).data)


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error
    serializer_class = s.FrameworkSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            frameworks.frameworks_for(self.request.user)
            .prefetch_related(
                "lots__service_types",
                "lots__care_groups",
                "lots__zones",
                "entry_windows",
                "extension_options",
                "rates",
                "bands",
            )
            .order_by("pk")
        )


class AppointmentViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Appointments on frameworks you can see. Quality scores are for council staff only."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error

    serializer_class = s.AppointmentSerializer
    filterset_fields = ["lot", "status", "provider"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        user = self.request.user
        qs = Appointment.objects.filter(lot__framework__in=frameworks.frameworks_for(user))
        return (
            qs.select_related("provider", "lot")
            .prefetch_related("zones", "prime_zones")
            .order_by("pk")
        )

    def get_serializer(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        serializer = super().get_serializer(*args, **kwargs)
        if access.is_provider(self.request.user):
            fields = getattr(serializer, "child", serializer).fields
            fields.pop("quality_score", None)
        return serializer


class PriceViewSet(viewsets.ViewSet):
    """Prices in force on a date (default today) that you may see: council staff see their
    commissioner's, a provider only its own."""

    @extend_schema(
        parameters=[
            OpenApiParameter("lot", int),
            OpenApiParameter("zone", int, description="Zone number"),
            OpenApiParameter("on", OpenApiTypes.DATE, description="Default: today"),
        ],
        responses=s.PriceRowSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        filters: dict[str, object] = {}
        for param, lookup in (("lot", "appointment__lot_id"), ("zone", "zone__number")):
            raw = request.query_params.get(param)
            if raw:
                if not raw.isdigit():
                    raise ValidationError({param: "Must be a whole number."})
                filters[lookup] = int(raw)
        on = _date_param(request, "on") or clock.today()
        rows = frameworks.price_rows(request.user, on, **filters)
        return Response(s.PriceRowSerializer(rows, many=True).data)


class ProviderViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error
    serializer_class = s.ProviderSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return providers.providers_for(self.request.user).prefetch_related(
            "service_types", "locations"
        )


class DirectoryViewSet(viewsets.ViewSet):
    """The public directory: providers by postcode or zone, service type and care group.
    No sign-in, no prices."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("postcode", str),
            OpenApiParameter("zone", int, description="Zone id"),
            OpenApiParameter("service_type", str, description="Service type code"),
            OpenApiParameter("care_group", str, description="Care group code"),
        ],
        responses=s.ProviderSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        zones: list[Zone] | None = None
        if params.get("postcode"):
            _, zones = market.zones_covering_postcode(params["postcode"])
        elif params.get("zone"):
            zones = list(Zone.objects.filter(pk=_int(params["zone"], "zone")))
            if not zones:
                raise ValidationError({"zone": "No zone with that id."})
        service_type = _lookup(ServiceType, params.get("service_type"), "service_type")
        care_group = _lookup(CareGroup, params.get("care_group"), "care_group")
        found = directory.search(
            clock.today(), zones=zones, service_type=service_type, care_group=care_group
        ).prefetch_related("specialisms", "locations")
        paginator = self.paginator
        page = paginator.paginate_queryset(found, request, view=self)
        data = s.ProviderSerializer(page, many=True).data
        return paginator.get_paginated_response(data)

    @property
    def paginator(self):  # type: ignore[no-untyped-def]
        from rest_framework.pagination import LimitOffsetPagination

        if not hasattr(self, "_paginator"):
            self._paginator = LimitOffsetPagination()
        return self._paginator


def _int(raw: str, name: str) -> int:
    if not raw.isdigit():
        raise ValidationError({name: "Must be a whole number."})
    return int(raw)


def _lookup(model, code: str | None, name: str):  # type: ignore[no-untyped-def]
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        choices = ", ".join(model.objects.values_list("code", flat=True))
        raise ValidationError(
            {name: f"Unknown {name.replace('_', ' ')} {code!r}. Use one of: {choices}."}
        )
    return found


def _date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({name: "Must be a date like 2026-04-01."}) from exc
