"""Shapes of the bookings API's data; no rule lives here."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from caremarket.bookings import rules
from caremarket.bookings.models import Booking
from caremarket.brokerage.models import ServiceAgreement
from caremarket.core import clock
from caremarket.supported_living import rules as room_rules


class RoomBookingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    referral = serializers.CharField(source="referral.reference", read_only=True)
    room = serializers.IntegerField(source="room.pk", read_only=True)
    room_name = serializers.CharField(source="room.__str__", read_only=True)
    scheme = serializers.CharField(source="room.property.scheme.name", read_only=True)
    band = serializers.CharField(source="band.level", read_only=True)
    group = serializers.CharField(source="group.code", read_only=True, default="")
    state = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "referral",
            "room",
            "room_name",
            "scheme",
            "band",
            "group",
            "state",
            "held_at",
            "expires_at",
            "decided_at",
            "decline_reason",
            "move_in_date",
            "weekly_rate",
            "moved_out_on",
            "end_reason",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=rules.STATE_CHOICES))
    def get_state(self, booking: Booking) -> str:
        """The state now: a hold past its end reads as expired."""
        return booking.effective_state(clock.now())


class RoomHoldRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    referral = serializers.IntegerField(min_value=1, help_text="The referral's id.")
    room = serializers.IntegerField(min_value=1, help_text="The room's id.")
    group = serializers.CharField(required=False, allow_blank=True, max_length=8, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=400, default="")


class RoomConfirmSerializer(serializers.Serializer):  # type: ignore[type-arg]
    move_in_date = serializers.DateField()


class RoomDeclineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=400)


class RoomEndTenancySerializer(serializers.Serializer):  # type: ignore[type-arg]
    moved_out_on = serializers.DateField(help_text="The day the person moved out.")
    reason = serializers.ChoiceField(choices=ServiceAgreement.EndReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class RoomWithdrawSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(required=False, allow_blank=True, max_length=400, default="")


class RoomVacancyQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    referral = serializers.IntegerField(min_value=1)
    group = serializers.CharField(required=False, allow_blank=True, default="")
    zone = serializers.IntegerField(required=False, allow_null=True, default=None)
    postcode = serializers.CharField(required=False, allow_blank=True, default="")
    within_km = serializers.FloatField(required=False, min_value=1, max_value=100, default=10)
    needs = serializers.MultipleChoiceField(
        choices=list(room_rules.ACCESSIBILITY_FIELDS), required=False, default=()
    )
    has_pets = serializers.BooleanField(required=False, default=False)
    smokes = serializers.BooleanField(required=False, default=False)
    gender = serializers.ChoiceField(choices=["", "female", "male"], required=False, default="")
    kind = serializers.ChoiceField(
        choices=["", room_rules.SHARED, room_rules.SELF_CONTAINED], required=False, default=""
    )


class RoomVacancySerializer(serializers.Serializer):  # type: ignore[type-arg]
    room = serializers.IntegerField(source="room.pk")
    room_name = serializers.CharField(source="room.__str__")
    scheme = serializers.CharField(source="room.property.scheme.name")
    zone = serializers.IntegerField(source="room.property.zone.number")
    distance_km = serializers.FloatField(allow_null=True)
    void_days = serializers.IntegerField()
    stale = serializers.BooleanField()
