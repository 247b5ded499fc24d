"""Visits over the API (for ECM suppliers and provider systems) and pay runs to read."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.brokerage.api.serializers import validated
from caremarket.core import roles
from caremarket.core.permissions import require
from caremarket.delivery.api import serializers as s
from caremarket.delivery.selectors import payments, shares, visits
from caremarket.delivery.services import recording


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """A provider's visits (one, or a batch of up to 5,000); the same visit id sent again is
    skipped, so a retry is safe."""

    lookup_value_regex = "[0-9]+"
    serializer_class = s.VisitSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return visits.visits_for(self.request.user).order_by("-day", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "money_visible": shares.money_visibility(self.request.user),
        }

    @extend_schema(request=s.OneVisitSerializer, responses={201: s.RecordedSerializer})
    def create(self, request: Request) -> Response:
        body = validated(s.OneVisitSerializer, request)
        return self._record(request, body.pop("commissioner"), [body])

    @extend_schema(request=s.BatchSerializer, responses={201: s.RecordedSerializer})
    @action(detail=False, methods=["post"])
    def batch(self, request: Request) -> Response:
        body = validated(s.BatchSerializer, request)
        return self._record(request, body["commissioner"], body["visits"])

    def _record(self, request: Request, commissioner: int, rows: list[dict[str, Any]]) -> Response:
        require(request.user, "upload_visits")
        done = recording.record(
            provider_id=roles.provider_id_of(request.user), commissioner_id=commissioner, rows=rows
        )
        out = s.RecordedSerializer({"received": done.received, "written": done.written}).data
        return Response(out, status=status.HTTP_201_CREATED)


class PayRunViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"
    serializer_class = s.PayRunSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return payments.runs_for(self.request.user).order_by("-period_start")

    @extend_schema(responses=s.PayLineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def lines(self, request: Request, pk: str) -> Response:
        run = payments.run_for(request.user, int(pk))
        data = s.PayLineSerializer(payments.lines_for(request.user, run), many=True).data
        return Response(data)
