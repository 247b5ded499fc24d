"""Referrals over the API: thin handlers reading through the same selectors and writing
through the same services as the web pages, so scoping and rules cannot differ between them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.brokerage import selectors
from caremarket.brokerage.api import award_serializers as awarded
from caremarket.brokerage.api import serializers as s
from caremarket.brokerage.api.idempotent import IDEMPOTENCY_KEY, replayed
from caremarket.brokerage.models import Referral, SpotApproval
from caremarket.brokerage.services import awards, referrals, sourcing, spot_purchases
from caremarket.brokerage.waiting import with_effective_state
from caremarket.core import clock, idempotency
from caremarket.core.permissions import require
from caremarket.providers import selectors as provider_selectors
from caremarket.providers.api.viewers import provider_view, shaped_for


class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # type: ignore[type-arg]
    """Referrals. Council staff see their council's; a provider sees the ones offered or
    awarded to it, as a summary until it is awarded."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error
    filterset_fields = ["urgency", "route"]

    @extend_schema(
        responses=s.ReferralAsSeenSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "state", str, description="State now, e.g. awaiting_care (deadlines included)"
            )
        ],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        qs = with_effective_state(selectors.referrals_for(self.request.user), clock.now())
        state = self.request.query_params.get("state")
        if state:
            qs = qs.filter(effective_state=state)
        return qs.prefetch_related("needs").order_by("pk")

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        if self.action == "create":
            return s.ReferralCreateSerializer
        return shaped_for(
            self.request.user, provider=s.ReferralSummarySerializer, council=s.ReferralSerializer
        )

    @extend_schema(responses=s.ReferralAsSeenSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = selectors.referral_for(request.user, int(kwargs["pk"]))
        data = self.get_serializer(referral).data
        if provider_view(request.user):
            person = selectors.person_for(request.user, referral, request.path)
            data["person"] = s.PersonSerializer(person).data if person else None
        return Response(data)

    @extend_schema(
        request=s.ReferralCreateSerializer,
        responses=s.ReferralSerializer,
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request.user, "raise_referral")
        commissioner = getattr(request.user, "commissioner", None)
        if commissioner is None:
            raise PermissionDenied("Raise referrals as a council's practitioner or broker.")
        form = s.ReferralCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        done = idempotency.once(
            "brokerage.raise_referral",
            request.headers.get(idempotency.HEADER, ""),
            request.user,
            lambda: self._raise(commissioner, form),
            remember=lambda r: r.pk,
            recall=lambda pk: selectors.referral_for(request.user, int(pk)),
            request_fingerprint=idempotency.fingerprint(request.data),
        )
        return replayed(Response(s.ReferralSerializer(done.result).data, status=201), done)

    def _raise(self, commissioner: Any, form: s.ReferralCreateSerializer) -> Referral:
        person = selectors.person_by_reference(
            self.request.user, commissioner, form.validated_data.get("person_reference", "")
        )
        return referrals.raise_referral(
            self.request.user,
            commissioner,
            form.referral_input(),
            person=person,
            new_person=form.new_person() if not person else None,
            different_person=form.validated_data.get("different_person", False),
        )

    def _to_broker(self, pk: str) -> Referral:
        """The referral a broker acts on: 403 for any other role, 404 outside their council."""
        require(self.request.user, "broker")
        return selectors.referral_for(self.request.user, int(pk))

    @extend_schema(request=s.AwardRequestSerializer, responses=awarded.AwardWithScoresSerializer)
    @action(detail=True, methods=["post"])
    def award(self, request: Request, pk: str) -> Response:
        """Confirm the award the framework's rule ranks first (or the person's choice)."""
        referral = self._to_broker(pk)
        body = s.validated(s.AwardRequestSerializer, request)
        award = awards.confirm(referral.pk, by=request.user, **body)
        return Response(
            awarded.AwardWithScoresSerializer(award).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["post"], url_path="send-offers")
    def send_offers(self, request: Request, pk: str) -> Response:
        count = sourcing.send_offers(self._to_broker(pk), by=request.user)
        return Response({"offers_sent": count})

    @extend_schema(
        request=s.SpotSerializer,
        responses={
            200: s.SpotQuoteSerializer,
            201: awarded.AwardSerializer,
            202: s.SpotApprovalSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def spot(self, request: Request, pk: str) -> Response:
        """Two steps, as on the web: without ``confirm`` the costs come back to be confirmed
        (200). Confirmed: bought (201), or, above the band or the buyer's limit, a request
        waiting for a second person's approval (202)."""
        referral = self._to_broker(pk)
        body = s.validated(s.SpotSerializer, request)
        done = spot_purchases.buy(
            referral.pk,
            by=request.user,
            provider=provider_selectors.provider_by_slug(body["provider"]),
            unit_price=body["unit_price"],
            reason=body["reason"],
            below_band_reason=body["below_band_reason"],
            confirmed=body["confirm"],
        )
        if isinstance(done, SpotApproval):
            return Response(s.SpotApprovalSerializer(done).data, status=status.HTTP_202_ACCEPTED)
        if not body["confirm"]:
            return Response(s.SpotQuoteSerializer(done).data)
        return Response(awarded.AwardSerializer(done).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        referral = self._to_broker(pk)
        body = s.validated(s.ReasonSerializer, request)
        referrals.cancel(referral, by=request.user, reason=body["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)
