"""The shapes of delivery's API: visits in (one or a batch), visits and pay runs out."""

from __future__ import annotations

from rest_framework import serializers

from caremarket.delivery import rules
from caremarket.delivery.models import PayLine, PayRun, Visit


class VisitInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    visit_id = serializers.CharField(max_length=60)
    person_ref = serializers.CharField(max_length=20)
    carer_ref = serializers.CharField(max_length=40)
    planned_start = serializers.DateTimeField(required=False, allow_null=True)
    planned_end = serializers.DateTimeField(required=False, allow_null=True)
    check_in = serializers.DateTimeField()
    check_out = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=rules.METHODS)
    manual_reason = serializers.CharField(max_length=240, required=False, allow_blank=True)


class OneVisitSerializer(VisitInSerializer):
    commissioner = serializers.IntegerField(help_text="The council the visit is for (its id).")


class BatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    commissioner = serializers.IntegerField(help_text="The council the visits are for (its id).")
    visits = VisitInSerializer(many=True, allow_empty=False, max_length=5000)


class RecordedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    received = serializers.IntegerField()
    written = serializers.IntegerField(help_text="New visits; the rest were recorded already.")


class VisitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    person_ref = serializers.CharField(source="person.reference", read_only=True)
    agreement = serializers.CharField(source="agreement.reference", default=None, read_only=True)
    exceptions = serializers.ListField(source="exception_list", child=serializers.CharField())

    class Meta:
        model = Visit
        fields = [
            "id",
            "external_id",
            "person_ref",
            "agreement",
            "provider",
            "carer_ref",
            "day",
            "check_in",
            "check_out",
            "method",
            "minutes",
            "exceptions",
            "paid_minutes",
            "rate",
            "held",
            "hold_reason",
            "pay_run",
        ]


class PayLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    agreement = serializers.CharField(source="agreement.reference")

    class Meta:
        model = PayLine
        fields = [
            "id",
            "agreement",
            "provider",
            "kind",
            "visits",
            "minutes",
            "rate",
            "amount",
            "held",
            "hold_reason",
            "note",
        ]


class PayRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PayRun
        fields = [
            "id",
            "reference",
            "commissioner",
            "period_start",
            "period_end",
            "state",
            "total",
            "held_total",
            "paid_on",
        ]
