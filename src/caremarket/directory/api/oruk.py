"""Open Referral UK 3.0 endpoints for the public directory (no sign-in). The documents are
built by ``directory.oruk``; these handlers only parse paging and answer."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from caremarket.core import clock
from caremarket.directory import oruk


class OrukView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type] = []


def _paging(request: Request) -> tuple[int, int]:
    try:
        number = int(request.query_params.get("page", 1))
        per_page = int(request.query_params.get("per_page", 50))
    except ValueError as exc:
        raise ValidationError({"page": "page and per_page must be whole numbers."}) from exc
    if per_page < 1 or per_page > 500:
        raise ValidationError({"per_page": "per_page must be between 1 and 500."})
    return number, per_page


class Meta(OrukView):
    @extend_schema(
        operation_id="oruk_meta", tags=["Open Referral UK"], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": oruk.HSDS_VERSION,
                "profile": oruk.PROFILE_URL,
                "openapi_url": request.build_absolute_uri("/api/schema/"),
            }
        )


class Services(OrukView):
    @extend_schema(
        operation_id="oruk_services",
        tags=["Open Referral UK"],
        responses=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter("search", str),
            OpenApiParameter("page", int),
            OpenApiParameter("per_page", int),
            OpenApiParameter("taxonomy_term_id", str),
        ],
    )
    def get(self, request: Request) -> Response:
        number, per_page = _paging(request)
        keys = oruk.services(
            clock.today(),
            search=request.query_params.get("search", ""),
            term_id=request.query_params.get("taxonomy_term_id", ""),
        )
        return Response(oruk.page([oruk.service_summary(k) for k in keys], number, per_page))


class Service(OrukView):
    @extend_schema(
        operation_id="oruk_service", tags=["Open Referral UK"], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, service_id: str) -> Response:
        today = clock.today()
        return Response(oruk.service_full(oruk.service_by_id(today, service_id), today))


class Taxonomies(OrukView):
    @extend_schema(
        operation_id="oruk_taxonomies", tags=["Open Referral UK"], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        number, per_page = _paging(request)
        return Response(oruk.page(oruk.taxonomies(), number, per_page))


class TaxonomyTerms(OrukView):
    @extend_schema(
        operation_id="oruk_taxonomy_terms", tags=["Open Referral UK"], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        number, per_page = _paging(request)
        return Response(oruk.page(oruk.taxonomy_terms(), number, per_page))
