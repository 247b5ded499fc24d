"""The shapes of delivery's API: visits in (one or a batch), visits and pay runs out."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from caremarket.delivery import rules
from caremarket.delivery.models import PayLine, PaymentShare, PayRun, Visit


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
    pay_run = serializers.SerializerMethodField(
        help_text="The pay run the visit is in (by its period, or evidenced late), if any."
    )

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

    def get_pay_run(self, visit: Visit) -> int | None:
        """Runs hold their period's visits by range (no write to each visit): look the run
        up once per commissioner for the whole page."""
        if visit.pay_run_id is not None:
            return visit.pay_run_id
        if not visit.verified or visit.agreement_id is None:
            return None
        runs = self.context.setdefault("_runs", {})
        if visit.commissioner_id not in runs:
            runs[visit.commissioner_id] = list(
                PayRun.objects.filter(
                    commissioner_id=visit.commissioner_id, visits_through__isnull=False
                ).values_list("pk", "period_start", "period_end", "visits_through")
            )
        for pk, start, end, through in runs[visit.commissioner_id]:
            if start <= visit.day <= end and visit.pk <= through:
                return int(pk)
        return None

    def to_representation(self, visit: Visit) -> dict[str, Any]:
        """The rate is the lead's money: null for a subcontractor its lead does not share
        it with (``context["money_visible"]``, from ``selectors.shares.money_visibility``)."""
        data = super().to_representation(visit)
        visible = self.context.get("money_visible")
        if visible is not None and not visible(visit):
            data["rate"] = None
        return data


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


class ShareInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    subcontractor = serializers.IntegerField(
        min_value=1, help_text="The subcontractor on your panel (its provider id)."
    )


class PaymentShareSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PaymentShare
        fields = ["id", "lead", "subcontractor", "shared_from", "stopped_on"]


class ShareOutcomeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What sharing or stopping did: ``changed`` false when it changed nothing (already
    shared, nothing to stop); ``share`` the share concerned, null when there is none."""

    changed = serializers.BooleanField()
    message = serializers.CharField()
    share = PaymentShareSerializer(allow_null=True)
