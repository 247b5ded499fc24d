"""Frameworks, appointments and prices over the API: thin handlers reading through the same
selectors as the web pages."""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.core import clock
from caremarket.core.bounds import bounded_int
from caremarket.frameworks import selectors as frameworks
from caremarket.frameworks.api import serializers as s
from caremarket.providers.api.viewers import shaped_for


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
        return frameworks.appointments_for(self.request.user)

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return shaped_for(
            self.request.user,
            provider=s.ProviderAppointmentSerializer,
            council=s.AppointmentSerializer,
        )


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
                filters[lookup] = bounded_int(raw, param)
        on = _date_param(request, "on") or clock.today()
        rows = frameworks.price_rows(request.user, on, **filters)
        return Response(s.PriceRowSerializer(rows, many=True).data)


def _date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({name: "Must be a date like 2026-04-01."}) from exc
