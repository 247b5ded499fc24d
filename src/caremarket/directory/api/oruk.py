"""Open Referral UK 3.0 endpoints for the public directory (no sign-in, CORS open: see
``core.security``). The documents are built by ``directory.oruk``; these handlers only read
the query and answer.

Every query parameter of ORUK's OpenAPI document is accepted; those the directory does not
hold (ages, opening times, days, ``minimal``/``full``) are ignored rather than refused, as
the validator expects. ``postcode`` narrows to the services whose zones cover it, and
``proximity`` (metres) widens that to the bordering zones (``_zones``). Services with rooms
or beds carry HSDS 3.1 ``capacities`` (``capacity``). ``page`` and ``per_page`` must be
whole numbers; out of range they are brought into range (page 0 is page 1, a page past the
last is the last), so the validator's last-page request always answers the same envelope.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from caremarket.core import clock
from caremarket.directory import oruk
from caremarket.directory.api.capacity import Capacities
from caremarket.engine.postcodes import InvalidPostcode
from caremarket.market import selectors as market
from caremarket.market.models import Zone

MAX_PER_PAGE = 500
NEIGHBOUR_ZONE_METRES = 10_000  # assumption: zones are roughly 10 km across
TAG = ["Open Referral UK"]
PAGING = [OpenApiParameter("page", int), OpenApiParameter("per_page", int)]
SEARCH = [
    OpenApiParameter("search", str),
    *PAGING,
    OpenApiParameter("taxonomy_term_id", str),
    OpenApiParameter("taxonomy_id", str),
    OpenApiParameter("organization_id", str),
    OpenApiParameter("minimum_age", float, description="Accepted; not held, ignored."),
    OpenApiParameter("maximum_age", float, description="Accepted; not held, ignored."),
    OpenApiParameter("start_time", str, description="Accepted; not held, ignored."),
    OpenApiParameter("end_time", str, description="Accepted; not held, ignored."),
    OpenApiParameter("day", str, description="Accepted; not held, ignored."),
]
NEARBY = [
    OpenApiParameter(
        "postcode", str, description="Services whose service area (zones) covers the postcode."
    ),
    OpenApiParameter(
        "proximity",
        str,
        description="Metres from the postcode (ORUK's format: a number). The platform's "
        "geography is zones of postcode districts, not points: at or above "
        "ORUK_NEIGHBOUR_ZONE_METRES (default 10,000, an assumption) the zones bordering "
        "the postcode's zones are included too. Without a postcode, or not a number, ignored.",
    ),
]
MAX_PROXIMITY = 1_000_000  # metres: more is the same as "anywhere near"
ONE = {200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}
LIST = {200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT}


class OrukView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type] = []
    throttle_classes: list[type] = []


def _whole(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    if not raw.lstrip("-").isdigit() or len(raw) > 4000:
        raise ValidationError({name: f"{name} must be a whole number."})
    return int(raw)  # any size: it is only compared, then brought into range


def _paging(request: Request) -> tuple[int, int]:
    number = max(_whole(request, "page", 1), 1)
    per_page = min(max(_whole(request, "per_page", 50), 1), MAX_PER_PAGE)
    return number, per_page


def proximity(raw: str) -> float | None:
    """ORUK's ``proximity`` (metres, sent as a string): a number from 0 to MAX_PROXIMITY, or
    None when it is not one (ignored, as ORUK expects of parameters a feed cannot use)."""
    try:
        metres = float(raw.strip()[:20])
    except ValueError:
        return None
    if metres != metres or metres < 0:  # NaN, or negative
        return None
    return min(metres, MAX_PROXIMITY)


def _zones(request: Request) -> list[Zone] | None:
    """The zones a ``postcode`` (and ``proximity``) search covers; None: no postcode given."""
    q = request.query_params
    if not q.get("postcode", "").strip():
        return None
    try:
        _, zones = market.zones_covering_postcode(q["postcode"])
    except InvalidPostcode:
        return []  # no zone covers what is not a postcode: an empty page, not an error
    metres = proximity(q.get("proximity", ""))
    widen = getattr(settings, "ORUK_NEIGHBOUR_ZONE_METRES", NEIGHBOUR_ZONE_METRES)
    if zones and metres is not None and metres >= widen:
        bordering = Zone.objects.filter(neighbours__in=zones).exclude(pk__in=[z.pk for z in zones])
        zones = [*zones, *bordering.distinct()]
    return zones


def _keys(request: Request) -> list[oruk.ServiceKey]:
    q = request.query_params
    zones = _zones(request)
    return oruk.services(
        clock.today(),
        search=q.get("search", ""),
        term_id=q.get("taxonomy_term_id", ""),
        taxonomy_id=q.get("taxonomy_id", ""),
        organization_id=q.get("organization_id", ""),
        zones=zones,
    )


def _page(request: Request, items: list[Any]) -> Response:
    number, per_page = _paging(request)
    return Response(oruk.page(items, number, per_page))


class Meta(OrukView):
    @extend_schema(operation_id="oruk_meta", tags=TAG, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": oruk.HSDS_VERSION,
                "profile": oruk.PROFILE_URL,
                "openapi_url": request.build_absolute_uri("/api/schema/"),
            }
        )


class Services(OrukView):
    @extend_schema(operation_id="oruk_services", tags=TAG, responses=LIST, parameters=SEARCH)
    def get(self, request: Request) -> Response:
        held = Capacities(clock.today(), clock.now())
        return _page(request, [held.add_to(oruk.service_summary(k), k) for k in _keys(request)])


class Service(OrukView):
    @extend_schema(operation_id="oruk_service", tags=TAG, responses=ONE)
    def get(self, request: Request, service_id: str) -> Response:
        today = clock.today()
        key = oruk.service_by_id(today, service_id)
        held = Capacities(today, clock.now())
        return Response(held.add_to(oruk.service_full(key, today), key))


class ServicesAtLocations(OrukView):
    @extend_schema(
        operation_id="oruk_service_at_locations",
        tags=TAG,
        responses=LIST,
        parameters=SEARCH + NEARBY,
    )
    def get(self, request: Request) -> Response:
        return _page(request, oruk.services_at_locations(_keys(request)))


class ServiceAtLocation(OrukView):
    @extend_schema(operation_id="oruk_service_at_location", tags=TAG, responses=ONE)
    def get(self, request: Request, item_id: str) -> Response:
        items = oruk.services_at_locations(oruk.services(clock.today()))
        found = oruk.by_id(items, item_id, "service at location")
        # ORUK's document describes a service_at_location here but validates the answer
        # against service.json (required: id, name, status): carry both.
        name = f"{found['service']['name']} at {found['location']['name']}"
        return Response({**found, "name": name, "status": found["service"]["status"]})


class Taxonomies(OrukView):
    @extend_schema(operation_id="oruk_taxonomies", tags=TAG, responses=LIST, parameters=PAGING)
    def get(self, request: Request) -> Response:
        return _page(request, oruk.taxonomies())


class Taxonomy(OrukView):
    @extend_schema(operation_id="oruk_taxonomy", tags=TAG, responses=ONE)
    def get(self, request: Request, item_id: str) -> Response:
        return Response(oruk.by_id(oruk.taxonomies(), item_id, "taxonomy"))


class TaxonomyTerms(OrukView):
    @extend_schema(operation_id="oruk_taxonomy_terms", tags=TAG, responses=LIST, parameters=PAGING)
    def get(self, request: Request) -> Response:
        return _page(request, oruk.taxonomy_terms())


class TaxonomyTerm(OrukView):
    @extend_schema(operation_id="oruk_taxonomy_term", tags=TAG, responses=ONE)
    def get(self, request: Request, item_id: str) -> Response:
        return Response(oruk.by_id(oruk.taxonomy_terms(), item_id, "taxonomy term"))


class Organizations(OrukView):
    @extend_schema(operation_id="oruk_organizations", tags=TAG, responses=LIST, parameters=PAGING)
    def get(self, request: Request) -> Response:
        return _page(request, oruk.organizations(clock.today()))


class Organization(OrukView):
    @extend_schema(operation_id="oruk_organization", tags=TAG, responses=ONE)
    def get(self, request: Request, item_id: str) -> Response:
        return Response(oruk.by_id(oruk.organizations(clock.today()), item_id, "organization"))
