"""API shapes for what sourcing decides: awards, the agreements made from them, and the
competitions and sealed bids that lead to some. A provider never sees scores (a price score
would reveal a rival's price), nor, as a subcontractor, the lead provider's own price."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from caremarket.brokerage.api.serializers import viewer
from caremarket.brokerage.models import (
    AgreementVariation,
    Award,
    Bid,
    Competition,
    ServiceAgreement,
)
from caremarket.brokerage.presenters import agreement_seen_by, award_seen_by


class AwardSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    delivering_provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    referral = serializers.CharField(
        source="referral.reference", read_only=True, default=None, allow_null=True
    )
    competition = serializers.CharField(
        source="competition.reference", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Award
        fields = [
            "id",
            "referral",
            "competition",
            "provider",
            "delivering_provider",
            "route",
            "rule",
            "reason",
            "unit",
            "unit_price",
            "decided_at",
        ]


class ProviderAwardSerializer(AwardSerializer):
    """For providers, what ``presenters.award_seen_by`` lets them see: the reason without
    scores, which could reveal a rival's price; and for a subcontractor, no price where it is
    the lead provider's own."""

    reason = serializers.CharField(source="public_reason", read_only=True)
    unit_price = serializers.DecimalField(
        max_digits=9, decimal_places=2, read_only=True, allow_null=True
    )

    def to_representation(self, award: Award) -> dict[str, Any]:
        data = super().to_representation(award)
        seen = award_seen_by(viewer(self), award)
        data["reason"] = seen.reason
        if not seen.shows_price:
            data["unit_price"] = None
        return data


class AwardWithScoresSerializer(AwardSerializer):
    class Meta(AwardSerializer.Meta):
        fields = [*AwardSerializer.Meta.fields, "scores"]


class AwardAsSeenSerializer(AwardSerializer):
    """The documented answer of ``GET /awards/`` and ``/awards/{id}/`` (issue 15): council
    staff also get ``scores``; a provider does not (``ProviderAwardSerializer``), and its
    ``unit_price`` is null where it is a lead provider's own price."""

    unit_price = serializers.DecimalField(
        max_digits=9, decimal_places=2, read_only=True, allow_null=True
    )
    scores = serializers.JSONField(required=False, help_text="Council staff only.")

    class Meta(AwardSerializer.Meta):
        fields = [*AwardSerializer.Meta.fields, "scores"]


class VariationSerializer(serializers.ModelSerializer):
    # Null for a subcontractor where the price is the lead provider's own.
    unit_price = serializers.DecimalField(
        max_digits=9, decimal_places=2, read_only=True, allow_null=True
    )
    weekly_cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = AgreementVariation
        fields = ["effective_from", "units_per_week", "unit_price", "weekly_cost", "reason"]


class AgreementSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    delivering_provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    variations = VariationSerializer(many=True, read_only=True)
    person_reference = serializers.CharField(
        source="person.reference", read_only=True, default=None
    )
    schemes = serializers.StringRelatedField(many=True, read_only=True)

    def to_representation(self, agreement: ServiceAgreement) -> dict[str, Any]:
        data = super().to_representation(agreement)
        if not agreement_seen_by(viewer(self), agreement).shows_price:
            for terms in data["variations"]:
                terms["unit_price"] = terms["weekly_cost"] = None
        return data

    class Meta:
        model = ServiceAgreement

        fields = [
            "id",
            "reference",
            "provider",
            "delivering_provider",
            "person_reference",
            "schemes",
            "unit",
            "start_date",
            "end_date",
            "end_reason",
            "variations",
        ]


class VarySerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    units_per_week = serializers.DecimalField(max_digits=7, decimal_places=2)
    unit_price = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(max_length=240)
    correcting = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True: these terms correct the variation already made for that date.",
    )


class WithdrawVariationSerializer(serializers.Serializer):
    effective_from = serializers.DateField(help_text="The date the variation takes effect.")
    reason = serializers.CharField(max_length=240)


class EndSerializer(serializers.Serializer):
    end_date = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=ServiceAgreement.EndReason.choices)
    resource = serializers.BooleanField(default=False)


class CompetitionSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.name", read_only=True)
    lot = serializers.CharField(source="lot.name", read_only=True)
    referral = serializers.CharField(source="referral.reference", read_only=True, default=None)
    schemes = serializers.StringRelatedField(many=True, read_only=True)
    band = serializers.CharField(source="band.level", read_only=True, default=None)

    class Meta:
        model = Competition
        fields = [
            "id",
            "reference",
            "framework",
            "lot",
            "subject",
            "referral",
            "schemes",
            "title",
            "description",
            "band",
            "questions",
            "opened_at",
            "deadline",
            "status",
        ]


class BidSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Bid
        fields = ["id", "competition", "provider", "weekly_price", "answers", "submitted_at"]


class BidWithScoresSerializer(BidSerializer):
    """A bid as council staff see it after the deadline: the price stays null while the
    answers are being scored (``Competition.prices_hidden_from_scorer``), as on the page."""

    weekly_price = serializers.SerializerMethodField()

    class Meta(BidSerializer.Meta):
        fields = [
            *BidSerializer.Meta.fields,
            "low_price_explanation",
            "quality_score",
            "price_score",
            "total_score",
            "rank",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True))
    def get_weekly_price(self, bid: Bid) -> str | None:
        if bid.competition.prices_hidden_from_scorer():
            return None
        return str(bid.weekly_price)


def _at_most_fifty_answers(answers: dict[str, str]) -> None:
    if len(answers) > 50:
        raise serializers.ValidationError("Send at most 50 answers.")


class BidCreateSerializer(serializers.Serializer):
    competition = serializers.IntegerField()
    weekly_price = serializers.DecimalField(max_digits=9, decimal_places=2)
    # The web form's limits: 4,000 characters an answer, and no more answers than questions
    # a competition can publish (checked against its own questions by the service).
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000),
        validators=[_at_most_fifty_answers],
    )
    low_price_explanation = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="Needed when the price is abnormally far under the cap.",
    )
