"""Brokerage API handlers: thin, reading through the same selectors and writing through the
same services as the web pages, so scoping and rules cannot differ between them."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.api import brokerage_serializers as s
from caremarket.brokerage import selectors
from caremarket.brokerage.models import Person
from caremarket.brokerage.services import agreements, awards, competitions, offers, referrals
from caremarket.brokerage.waiting import (
    offers_in_status,
    with_effective_state,
    with_referral_state_now,
)
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.roles import BROKERS, RAISERS
from caremarket.providers import selectors as provider_selectors
from caremarket.providers.models import Provider


def _require(request: Request, roles: tuple[str, ...], what: str) -> None:
    if not access.has_role(request.user, roles):
        raise PermissionDenied(f"Your role does not allow {what}.")


def _provider(request: Request) -> Provider:
    if not access.is_provider(request.user):
        raise PermissionDenied("Only a provider's users can answer offers and bid.")
    return request.user.provider  # type: ignore[union-attr]


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
        parameters=[
            OpenApiParameter(
                "state", str, description="State now, e.g. awaiting_care (deadlines included)"
            )
        ]
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
        if access.is_provider(self.request.user):
            return s.ReferralSummarySerializer
        return s.ReferralSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = selectors.referral_for(request.user, int(kwargs["pk"]))
        data = self.get_serializer(referral).data
        if access.is_provider(request.user):
            person = selectors.person_for(request.user, referral, request.path)
            data["person"] = s.PersonSerializer(person).data if person else None
        return Response(data)

    @extend_schema(request=s.ReferralCreateSerializer, responses=s.ReferralSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request, RAISERS, "raising referrals")
        commissioner = getattr(request.user, "commissioner", None)
        if commissioner is None:
            raise PermissionDenied("Raise referrals as a council's practitioner or broker.")
        form = s.ReferralCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        person = None
        if d.get("person_reference"):
            person = Person.objects.filter(
                commissioner=commissioner, reference=d["person_reference"].upper()
            ).first()
            if person is None:
                raise referrals.ReferralInvalid({"person_reference": "No such person is known."})
        data = referrals.ReferralInput(
            service_type=d["service_type"],
            start_date=d["start_date"],
            urgency=d["urgency"],
            outcomes=d["outcomes"],
            hours_per_week=d.get("hours_per_week"),
            sessions_per_week=d.get("sessions_per_week"),
            band_level=d.get("band_level", ""),
            calls_per_day=d.get("calls_per_day"),
            times_of_day=d.get("times_of_day", []),
            minutes_per_call=d.get("minutes_per_call"),
            double_handed=d["double_handed"],
            needs=list(d.get("needs", [])),
        )
        new_person = referrals.PersonInput(**d["person"]) if not person else None
        referral = referrals.raise_referral(
            request.user, commissioner, data, person=person, new_person=new_person
        )
        return Response(s.ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AwardRequestSerializer, responses=s.AwardWithScoresSerializer)
    @action(detail=True, methods=["post"])
    def award(self, request: Request, pk: str) -> Response:
        """Confirm the award the framework's rule ranks first (or the person's choice)."""
        _require(request, BROKERS, "awarding")
        referral = selectors.referral_for(request.user, int(pk))
        body = s.AwardRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        award = awards.confirm(referral.pk, by=request.user, **body.validated_data)
        return Response(s.AwardWithScoresSerializer(award).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["post"], url_path="send-offers")
    def send_offers(self, request: Request, pk: str) -> Response:
        _require(request, BROKERS, "sending offers")
        referral = selectors.referral_for(request.user, int(pk))
        count = offers.send_offers(referral, by=request.user)
        return Response({"offers_sent": count})

    @extend_schema(request=s.SpotSerializer, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def spot(self, request: Request, pk: str) -> Response:
        _require(request, BROKERS, "spot purchases")
        referral = selectors.referral_for(request.user, int(pk))
        body = s.SpotSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        provider = Provider.objects.filter(slug=body.validated_data["provider"]).first()
        if provider is None:
            raise referrals.ReferralInvalid({"provider": "No provider with that slug."})
        award = awards.spot_purchase(
            referral.pk,
            by=request.user,
            provider=provider,
            unit_price=body.validated_data["unit_price"],
            reason=body.validated_data["reason"],
        )
        return Response(s.AwardSerializer(award).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        _require(request, BROKERS, "cancelling referrals")
        referral = selectors.referral_for(request.user, int(pk))
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referrals.cancel(referral, by=request.user, reason=body.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class OfferViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """A provider's offers across every commissioner, with the time left. Answer with the
    actions; a passed deadline is refused whether or not a worker has run."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error

    serializer_class = s.OfferSerializer
    filterset_fields = ["kind"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, description="Status now: an open offer past its deadline is expired"
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        now = clock.now()
        qs = with_referral_state_now(selectors.offers_for_provider(self.request.user), now)
        status_now = self.request.query_params.get("status")
        if status_now:
            qs = offers_in_status(qs, status_now, now)
        return qs.prefetch_related("referral__needs").order_by("deadline", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": clock.now()}

    def _mine(self, pk: str) -> int:
        return selectors.offer_for_provider(self.request.user, int(pk)).pk

    @extend_schema(request=s.AcceptSerializer, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        provider = _provider(request)
        body = s.AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = offers.accept(
            self._mine(pk), provider=provider, by=request.user, quote=body.validated_data["quote"]
        )
        return Response(self.get_serializer(offer).data)

    @extend_schema(request=s.DeclineSerializer, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        provider = _provider(request)
        body = s.DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = offers.decline(
            self._mine(pk), provider=provider, by=request.user, **body.validated_data
        )
        return Response(self.get_serializer(offer).data)

    @extend_schema(request=None, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        """As lead provider: take the referral and deliver it yourself."""
        offer = offers.lead_delivers(self._mine(pk), provider=_provider(request), by=request.user)
        return Response(self.get_serializer(offer).data)

    @extend_schema(request=s.SubcontractSerializer, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def subcontract(self, request: Request, pk: str) -> Response:
        """As lead provider: place it with a subcontractor on your panel."""
        provider = _provider(request)
        body = s.SubcontractSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = Provider.objects.filter(slug=body.validated_data["member"]).first()
        if member is None:
            raise referrals.ReferralInvalid({"member": "No provider with that slug."})
        offer = offers.lead_subcontracts(
            self._mine(pk), provider=provider, member=member, by=request.user
        )
        return Response(self.get_serializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """As a subcontractor: confirm you will deliver it for the lead."""
        offer = offers.subcontractor_confirms(
            self._mine(pk), provider=_provider(request), by=request.user
        )
        return Response(self.get_serializer(offer).data)


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
        return (
            s.BidSerializer if access.is_provider(self.request.user) else s.BidWithScoresSerializer
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.bids_for(self.request.user, clock.now())

    @extend_schema(request=s.BidCreateSerializer, responses=s.BidSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        provider = _provider(request)
        body = s.BidCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            competition = selectors.competition_for(
                request.user, body.validated_data["competition"]
            )
        except Http404 as exc:
            raise referrals.ReferralInvalid(
                {"competition": "No such competition is open to you."}
            ) from exc
        bid = competitions.submit_bid(
            competition.pk,
            provider=provider,
            by=request.user,
            weekly_price=body.validated_data["weekly_price"],
            answers=body.validated_data["answers"],
        )
        return Response(s.BidSerializer(bid).data, status=status.HTTP_201_CREATED)


class AwardViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return (
            s.ProviderAwardSerializer
            if access.is_provider(self.request.user)
            else s.AwardWithScoresSerializer
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
        _require(request, BROKERS, "varying agreements")
        agreement = selectors.agreement_for(request.user, int(pk))
        body = s.VarySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agreements.vary(agreement.pk, by=request.user, **body.validated_data)
        return Response(self.get_serializer(selectors.agreement_for(request.user, int(pk))).data)

    @extend_schema(request=s.EndSerializer, responses=s.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        _require(request, BROKERS, "ending agreements")
        agreement = selectors.agreement_for(request.user, int(pk))
        body = s.EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agreements.end(
            agreement.pk,
            by=request.user,
            end_date=body.validated_data["end_date"],
            reason=body.validated_data["end_reason"],
            resource=body.validated_data["resource"],
        )
        return Response(self.get_serializer(selectors.agreement_for(request.user, int(pk))).data)


class AwaitingCareViewSet(viewsets.ViewSet):
    """The awaiting-care list, with totals of hours and people by zone."""

    @extend_schema(responses=s.AwaitingSerializer(many=True))
    def list(self, request: Request) -> Response:
        if not (access.is_council(request.user) or access.is_platform(request.user)):
            raise PermissionDenied("Only council staff see the awaiting-care list.")
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


class CapacityViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Spare hours a week a provider can take on, per zone and service. A provider lists and
    declares its own (a new declaration supersedes the last); council staff list those in
    their zones."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error

    filterset_fields = ["service_type"]

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return s.CapacityCreateSerializer if self.action == "create" else s.CapacitySerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return provider_selectors.capacity_for(self.request.user)

    @extend_schema(request=s.CapacityCreateSerializer, responses=s.CapacitySerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from django.core.exceptions import ValidationError as DjangoValidationError

        from caremarket.market.models import Zone
        from caremarket.providers import services as provider_services

        provider = _provider(request)
        body = s.CapacityCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        zone = Zone.objects.filter(commissioner__slug=d["commissioner"], number=d["zone"]).first()
        if zone is None:
            raise referrals.ReferralInvalid({"zone": "No such zone for that commissioner."})
        try:
            made = provider_services.declare_capacity(
                provider,
                zone=zone,
                service_type=d["service_type"],
                hours_per_week=d["hours_per_week"],
                valid_from=d["valid_from"],
                by=request.user,
            )
        except DjangoValidationError as exc:
            raise referrals.ReferralInvalid(
                {k: " ".join(v) for k, v in exc.message_dict.items()}
            ) from exc
        return Response(s.CapacitySerializer(made).data, status=status.HTTP_201_CREATED)
