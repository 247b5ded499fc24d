"""Call-off competitions and their sealed bids over the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.brokerage import selectors
from caremarket.brokerage.api import award_serializers as s
from caremarket.brokerage.api.idempotent import IDEMPOTENCY_KEY, replayed
from caremarket.brokerage.api.serializers import validated
from caremarket.brokerage.services import competitions
from caremarket.core import clock, idempotency
from caremarket.core.errors import Invalid, NotFound
from caremarket.core.permissions import require
from caremarket.providers.api.viewers import shaped_for


class CompetitionViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error
    serializer_class = s.CompetitionSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            selectors.competitions_for(self.request.user).prefetch_related("schemes").order_by("pk")
        )


class BidViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Sealed bids. A provider lists and makes its own; council staff list them after the
    deadline. A bidder never sees another's bid or any rank."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        if self.action == "create":
            return s.BidCreateSerializer
        return shaped_for(
            self.request.user, provider=s.BidSerializer, council=s.BidWithScoresSerializer
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.bids_for(self.request.user, clock.now())

    @extend_schema(
        request=s.BidCreateSerializer, responses=s.BidSerializer, parameters=[IDEMPOTENCY_KEY]
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request.user, "provider")
        provider = request.user.provider  # type: ignore[union-attr]
        body = validated(s.BidCreateSerializer, request)
        try:
            competition = selectors.competition_for(request.user, body["competition"])
        except NotFound as exc:
            raise Invalid({"competition": "No such competition is open to you."}) from exc
        done = idempotency.once(
            "brokerage.submit_bid",
            request.headers.get(idempotency.HEADER, ""),
            request.user,
            lambda: competitions.submit_bid(
                competition.pk,
                provider=provider,
                by=request.user,
                weekly_price=body["weekly_price"],
                answers=body["answers"],
                low_price_explanation=body.get("low_price_explanation", ""),
            ),
            remember=lambda bid: bid.pk,
            recall=lambda pk: competition.bids.get(pk=int(pk), provider=provider),
            request_fingerprint=idempotency.fingerprint(request.data),
        )
        return replayed(Response(s.BidSerializer(done.result).data, status=201), done)
