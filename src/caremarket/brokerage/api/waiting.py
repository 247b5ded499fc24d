"""The awaiting-care list over the API: the same rows and totals as the council's page."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.brokerage import selectors
from caremarket.brokerage.api import serializers as s
from caremarket.core import clock
from caremarket.core.permissions import require


class OnePage(AutoSchema):
    """``list`` answers one object (rows and totals), not an array: document it so."""

    def _is_list_view(self, serializer=None):  # type: ignore[no-untyped-def]
        return False


class AwaitingCareViewSet(viewsets.ViewSet):
    """The awaiting-care list, with totals of hours and people by zone."""

    schema = OnePage()

    @extend_schema(responses=s.AwaitingPageSerializer)
    def list(self, request: Request) -> Response:
        require(request.user, "council_pages")
        now, today = clock.now(), clock.today()
        rows, totals = selectors.awaiting_care(request.user, now)
        for r in rows:
            r.days_waiting = selectors.days_waiting(r, today)  # type: ignore[attr-defined]
        return Response(
            {
                "totals": [
                    {
                        "zone": t.zone,
                        "zone_number": t.zone_number,
                        "hours": str(t.hours),
                        "people": t.people,
                    }
                    for t in totals
                ],
                "results": s.AwaitingSerializer(rows, many=True).data,
            }
        )
