"""Rooms over the API: a provider lists its rooms and updates their status (or confirms
them unchanged); council staff read their commissioner's."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.core.permissions import require
from caremarket.supported_living import selectors, services
from caremarket.supported_living.api import serializers as s


class RoomViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error
    serializer_class = s.SupportedLivingRoomSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.rooms_for(self.request.user).order_by("pk")

    @extend_schema(request=s.RoomStatusUpdateSerializer, responses=s.SupportedLivingRoomSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        """The provider says what the room is now (vacant, occupied, unavailable)."""
        require(request.user, "provider_rooms")
        body = s.RoomStatusUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.set_status(int(pk), by=request.user, **body.to_service())
        return Response(self.get_serializer(selectors.room_for(request.user, int(pk))).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("RoomsConfirmed", {"confirmed": serializers.IntegerField()}),
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """The provider confirms the room's status is still right (it is no longer stale)."""
        require(request.user, "provider_rooms")
        return Response({"confirmed": services.confirm_unchanged([int(pk)], by=request.user)})
