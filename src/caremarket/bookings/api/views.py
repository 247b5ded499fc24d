"""Holds, bookings and vacancy search over the API: council staff hold and withdraw, the
provider confirms or declines; every handler calls the same selectors and services as the
pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.bookings import selectors
from caremarket.bookings.api import serializers as s
from caremarket.bookings.services import holds, releases, tenancies
from caremarket.core import clock
from caremarket.core.permissions import allows, may, require


def _body(serializer_class, request: Request):  # type: ignore[no-untyped-def]
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class _Bookings(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"
    serializer_class = s.RoomBookingSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.bookings_for(self.request.user).order_by("pk")


class BookingViewSet(_Bookings):
    """Every hold and booking in the caller's scope, whatever its state; a confirmed one's
    tenancy is ended here (``end``)."""

    @extend_schema(request=s.RoomEndTenancySerializer, responses=s.RoomBookingSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        """The person moved out: the room is vacant from the date, the agreement ends."""
        if not (may(request.user, "book_rooms") or may(request.user, "provider_rooms")):
            require(request.user, "book_rooms")
        body = _body(s.RoomEndTenancySerializer, request)
        tenancies.end_tenancy(int(pk), by=request.user, **body)
        return Response(s.RoomBookingSerializer(selectors.booking_for(request.user, int(pk))).data)


class HoldViewSet(mixins.CreateModelMixin, _Bookings):
    """Holds still running; POST makes one, and the provider answers with confirm/decline."""

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.holds_waiting(self.request.user, clock.now()).order_by("pk")

    @extend_schema(request=s.RoomHoldRequestSerializer, responses={201: s.RoomBookingSerializer})
    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        require(request.user, "book_rooms")
        body = _body(s.RoomHoldRequestSerializer, request)
        booking = holds.hold(
            body["referral"], body["room"], by=request.user, group=body["group"], note=body["note"]
        )
        return Response(self._now(booking.pk), status=201)

    @extend_schema(request=s.RoomConfirmSerializer, responses=s.RoomBookingSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        require(request.user, "provider_rooms")
        holds.confirm(int(pk), by=request.user, **_body(s.RoomConfirmSerializer, request))
        return Response(self._now(int(pk)))

    @extend_schema(request=s.RoomDeclineSerializer, responses=s.RoomBookingSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        require(request.user, "provider_rooms")
        holds.decline(int(pk), by=request.user, **_body(s.RoomDeclineSerializer, request))
        return Response(self._now(int(pk)))

    @extend_schema(request=s.RoomWithdrawSerializer, responses=s.RoomBookingSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        require(request.user, "book_rooms")
        releases.withdraw(int(pk), by=request.user, **_body(s.RoomWithdrawSerializer, request))
        return Response(self._now(int(pk)))

    def _now(self, pk: int) -> dict:  # type: ignore[type-arg]
        return s.RoomBookingSerializer(selectors.booking_for(self.request.user, pk)).data


class VacancyViewSet(viewsets.ViewSet):
    """Rooms free to hold that suit a referral (its band; the group, zone or distance,
    accessibility and compatibility asked for)."""

    permission_classes = [allows("book_rooms")]

    @extend_schema(
        parameters=[s.RoomVacancyQuerySerializer], responses=s.RoomVacancySerializer(many=True)
    )
    def list(self, request: Request) -> Response:
        query = s.RoomVacancyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = dict(query.validated_data)
        referral = selectors.referral_to_house(request.user, q.pop("referral"))
        found = selectors.search_for_referral(
            referral,
            clock.now(),
            zone_id=q.pop("zone"),
            needs=tuple(q.pop("needs")),
            **q,
        )
        return Response(s.RoomVacancySerializer(found, many=True).data)
