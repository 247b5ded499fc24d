"""Shapes of fee reviews over the API: only shaping; rules live in the services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from caremarket.pricing.models import CostLine, FeeReview


class CostLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CostLine
        fields = ["name", "weight", "change", "evidence"]


class ImpactGroupSerializer(serializers.Serializer):  # type: ignore[type-arg]
    framework = serializers.CharField()
    zone = serializers.CharField()
    agreements = serializers.IntegerField()
    units_per_week = serializers.DecimalField(max_digits=12, decimal_places=2)
    annual_change = serializers.DecimalField(max_digits=14, decimal_places=2)


class FeeReviewSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    lines = CostLineSerializer(many=True, read_only=True)
    framework = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = FeeReview
        fields = [
            "id",
            "title",
            "framework",
            "unit",
            "effective_from",
            "method",
            "current_rate",
            "uplift",
            "proposed_rate",
            "status",
            "consultation_closes",
            "decision_note",
            "lines",
        ]


class CouncilFeeReviewSerializer(FeeReviewSerializer):
    """The council's view adds the budget impact (built from every provider's agreements)."""

    budget_impact = serializers.SerializerMethodField()
    budget_impact_total = serializers.SerializerMethodField()

    class Meta(FeeReviewSerializer.Meta):
        fields = [*FeeReviewSerializer.Meta.fields, "budget_impact", "budget_impact_total"]

    def _impact(self, review: FeeReview) -> Any:
        from caremarket.pricing import selectors

        if not hasattr(review, "_impact"):
            review._impact = selectors.budget_impact(review)  # type: ignore[attr-defined]
        return review._impact  # type: ignore[attr-defined]

    @extend_schema_field(ImpactGroupSerializer(many=True))
    def get_budget_impact(self, review: FeeReview) -> list[dict[str, Any]]:
        return ImpactGroupSerializer(self._impact(review)[0], many=True).data  # type: ignore[return-value]

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_budget_impact_total(self, review: FeeReview) -> str:
        return str(self._impact(review)[1])


class LineInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=120)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    change = serializers.DecimalField(max_digits=7, decimal_places=4)
    evidence = serializers.CharField(max_length=240, required=False, default="")


class ProposeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    framework = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    title = serializers.CharField(max_length=160)
    effective_from = serializers.DateField()
    method = serializers.ChoiceField(choices=FeeReview.Method.choices)
    current_rate = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    staff_share = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True
    )
    nlw_from = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True
    )
    nlw_to = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True
    )
    cpi = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    lines = LineInputSerializer(many=True, required=False)


class DecideSerializer(serializers.Serializer):  # type: ignore[type-arg]
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=2000)


class ApplicationPriceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    zone = serializers.CharField(source="zone.name")
    amount = serializers.DecimalField(max_digits=9, decimal_places=2)


class ApplicationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An application as its provider or the council sees it: moderated scores only."""

    id = serializers.IntegerField()
    provider = serializers.CharField(source="provider.display_name")
    framework = serializers.IntegerField(source="lot.framework_id")
    lot = serializers.IntegerField(source="lot.number")
    window_opens = serializers.DateField(source="window.opens")
    window_closes = serializers.DateField(source="window.closes")
    status = serializers.CharField()
    quality_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    outcome_feedback = serializers.CharField()
    prices = ApplicationPriceSerializer(many=True)
