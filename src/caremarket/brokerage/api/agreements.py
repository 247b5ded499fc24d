"""Awards and the service agreements made from them, over the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.brokerage import selectors
from caremarket.brokerage.api import award_serializers as s
from caremarket.brokerage.api.serializers import validated
from caremarket.brokerage.models import ServiceAgreement
from caremarket.brokerage.services import agreements, variations
from caremarket.core.errors import Invalid
from caremarket.core.permissions import require
from caremarket.providers.api.viewers import shaped_for


@extend_schema_view(
    list=extend_schema(responses=s.AwardAsSeenSerializer(many=True)),
    retrieve=extend_schema(responses=s.AwardAsSeenSerializer),
)
class AwardViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return shaped_for(
            self.request.user,
            provider=s.ProviderAwardSerializer,
            council=s.AwardWithScoresSerializer,
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.awards_for(self.request.user)


class AgreementViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error
    serializer_class = s.AgreementSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.agreements_for(self.request.user).order_by("pk")

    @extend_schema(request=s.VarySerializer, responses=s.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def vary(self, request: Request, pk: str) -> Response:
        agreement = self._to_broker(pk)
        body = validated(s.VarySerializer, request)
        # A new price the provider must agree to waits for it (the agreement is unchanged).
        variations.broker_vary(agreement.pk, by=request.user, **body)
        return self._agreement_now(pk)

    @extend_schema(request=s.WithdrawVariationSerializer, responses=s.AgreementSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw-variation")
    def withdraw_variation(self, request: Request, pk: str) -> Response:
        """Withdraw a broker's variation before it takes effect (history keeps it)."""
        agreement = self._to_broker(pk)
        body = validated(s.WithdrawVariationSerializer, request)
        found = agreement.variations.filter(effective_from=body["effective_from"]).first()
        if found is None:
            raise Invalid("No variation takes effect on that date.", "effective_from")
        agreements.withdraw_variation(found.pk, by=request.user, reason=body["reason"])
        return self._agreement_now(pk)

    @extend_schema(request=s.EndSerializer, responses=s.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        agreement = self._to_broker(pk)
        body = validated(s.EndSerializer, request)
        agreements.end(
            agreement.pk,
            by=request.user,
            end_date=body["end_date"],
            reason=body["end_reason"],
            resource=body["resource"],
        )
        return self._agreement_now(pk)

    def _to_broker(self, pk: str) -> ServiceAgreement:
        """The agreement a broker acts on: 403 for any other role, 404 outside their council."""
        require(self.request.user, "broker")
        return selectors.agreement_for(self.request.user, int(pk))

    def _agreement_now(self, pk: str) -> Response:
        """The agreement as the change left it, read again through the selector."""
        return Response(
            self.get_serializer(selectors.agreement_for(self.request.user, int(pk))).data
        )
