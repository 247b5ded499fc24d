"""Care homes and their returns over the API: the same selectors and service as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.care_homes import rules, selectors, services
from caremarket.care_homes.api import serializers as s
from caremarket.care_homes.models import VacancyReturn
from caremarket.core.permissions import allows, require


class CareHomeViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Care homes with their registered beds: a provider's own, or those in a council's zones."""

    lookup_value_regex = "[0-9]+"
    serializer_class = s.CareHomeSerializer
    permission_classes = [allows("view_care_homes")]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.care_homes_for(self.request.user)


class ReturnViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # type: ignore[type-arg]
    """Monthly vacancy returns, every version (``in_force`` marks the one that counts). POST
    makes a home's return for a month; different figures for the same month add a version
    superseding the last (201), the same figures again change nothing (200)."""

    lookup_value_regex = "[0-9]+"
    permission_classes = [allows("view_care_homes")]

    @extend_schema(
        parameters=[
            OpenApiParameter("care_home", int, description="Only this home's returns"),
            OpenApiParameter("month", str, description="Only this month, like 2026-11"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        qs = selectors.returns_for(self.request.user).order_by("pk")
        home = self.request.query_params.get("care_home", "")
        if home.isdigit():
            qs = qs.filter(care_home_id=int(home))
        month = rules.parse_month(self.request.query_params.get("month", ""))
        return qs.filter(month=month) if month else qs

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return (
            s.VacancyReturnCreateSerializer
            if self.action == "create"
            else s.VacancyReturnSerializer
        )

    @extend_schema(
        request=s.VacancyReturnCreateSerializer,
        responses={201: s.VacancyReturnSerializer, 200: s.VacancyReturnSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request.user, "submit_care_home_return")
        body = s.VacancyReturnCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        made, created = services.submit_return(
            request.user,
            d["care_home"],
            services.input_from(d["month"], d["lines"], d),
            source=VacancyReturn.Source.API,
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.VacancyReturnSerializer(made).data, status=code)
