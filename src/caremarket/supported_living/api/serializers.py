"""Shapes of supported living's API data; no rule lives here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from caremarket.core import clock
from caremarket.supported_living import rules
from caremarket.supported_living.models import Room


class SupportedLivingRoomSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    scheme = serializers.CharField(source="property.scheme.name", read_only=True)
    property = serializers.CharField(source="property.name", read_only=True)
    postcode = serializers.CharField(source="property.postcode", read_only=True)
    zone = serializers.IntegerField(source="property.zone.number", read_only=True)
    status = serializers.SerializerMethodField()
    stale = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = [
            "id",
            "name",
            "property",
            "scheme",
            "postcode",
            "zone",
            "status",
            "void_since",
            "held_until",
            "unavailable_reason",
            "last_confirmed_at",
            "stale",
        ]

    def _now(self) -> datetime:
        return self.context.setdefault("now", clock.now())  # type: ignore[no-any-return]

    @extend_schema_field(serializers.ChoiceField(choices=rules.STATUS_CHOICES))
    def get_status(self, room: Room) -> str:
        """The status now: a hold that has run out reads as vacant."""
        return room.effective_status(self._now())

    def get_stale(self, room: Room) -> bool:
        """A vacancy not confirmed for 14 days."""
        return room.is_stale(self._now())


class RoomStatusUpdateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=list(rules.PROVIDER_STATUSES))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=240, default="")
    void_since = serializers.DateField(required=False, allow_null=True, default=None)

    def to_service(self) -> dict[str, Any]:
        return dict(self.validated_data)
