"""Payment sharing over the API, for a lead provider's systems: the history of its shares,
share with a subcontractor on its panel, stop. The same services as the page: sharing twice
or stopping what is not shared changes nothing (200 instead of 201)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.brokerage.api.serializers import validated
from caremarket.core.permissions import require
from caremarket.delivery.api import serializers as s
from caremarket.delivery.selectors import shares as selectors
from caremarket.delivery.services import shares


class PaymentShareViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = s.PaymentShareSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        require(self.request.user, "provider_pages")
        return selectors.history_for(self.request.user)

    @extend_schema(
        request=s.ShareInSerializer,
        responses={201: s.ShareOutcomeSerializer, 200: s.ShareOutcomeSerializer},
    )
    def create(self, request: Request) -> Response:
        return self._act(request, shares.share)

    @extend_schema(request=s.ShareInSerializer, responses={200: s.ShareOutcomeSerializer})
    @action(detail=False, methods=["post"])
    def stop(self, request: Request) -> Response:
        return self._act(request, shares.stop)

    def _act(self, request: Request, act) -> Response:  # type: ignore[no-untyped-def]
        require(request.user, "provider_pages")
        body = validated(s.ShareInSerializer, request)
        done = act(request.user, body["subcontractor"])
        data = s.PaymentShareSerializer(done.share).data if done.share else None
        code = status.HTTP_201_CREATED if done.changed and act is shares.share else 200
        return Response(
            {"changed": done.changed, "message": done.message, "share": data}, status=code
        )
