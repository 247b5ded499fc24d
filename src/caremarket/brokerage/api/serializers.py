"""API shapes for brokerage: people, referrals, offers and the awaiting-care list. A provider
gets the referral summary until the referral is awarded to it; the person's details come only
through ``person`` fields the views fill in after the same check the web pages make (and log).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from caremarket.brokerage.models import Offer, Person, Referral
from caremarket.brokerage.presenters import Viewer, offer_price_seen_by, viewer_of
from caremarket.brokerage.services import referrals
from caremarket.brokerage.services.referrals import TIMES_OF_DAY
from caremarket.frameworks.models import Band
from caremarket.market.models import CareGroup, ServiceType, Specialism


def viewer(serializer: serializers.Serializer) -> Viewer:  # type: ignore[type-arg]
    """Who is looking, for ``presenters`` (the looking provider's id; None for council staff)."""
    request = serializer.context.get("request")
    return viewer_of(request.user) if request else None


def validated(serializer_class: type[serializers.Serializer], request: Request) -> Any:  # type: ignore[type-arg]
    """The request's body checked by ``serializer_class`` (a 400 naming the fields if not)."""
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class PersonSerializer(serializers.ModelSerializer):
    care_group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = [
            "reference",
            "given_name",
            "family_name",
            "date_of_birth",
            "address",
            "postcode",
            "phone",
            "care_group",
            "unpaid_carer",
        ]


class ReferralSummarySerializer(serializers.ModelSerializer):
    """What a provider sees before award: nothing that identifies the person."""

    commissioner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    zone = serializers.CharField(source="zone.label", read_only=True)
    postcode_district = serializers.CharField(source="person.postcode_district", read_only=True)
    care_group = serializers.CharField(source="person.care_group.code", read_only=True)
    needs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    band = serializers.CharField(source="band.level", read_only=True, default=None, allow_null=True)
    state = serializers.SerializerMethodField(help_text="The state now, deadlines included.")

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "commissioner",
            "service_type",
            "zone",
            "postcode_district",
            "care_group",
            "hours_per_week",
            "sessions_per_week",
            "band",
            "calls_per_day",
            "times_of_day",
            "minutes_per_call",
            "double_handed",
            "start_date",
            "urgency",
            "needs",
            "outcomes",
            "state",
        ]

    def get_state(self, referral: Referral) -> str:
        return getattr(referral, "effective_state", None) or referral.state


class ReferralSerializer(ReferralSummarySerializer):
    """Council staff: the summary, the person, the route and what happened."""

    person = PersonSerializer(read_only=True)
    route = serializers.CharField(read_only=True)
    framework = serializers.CharField(source="framework.name", read_only=True, default=None)

    class Meta(ReferralSummarySerializer.Meta):
        fields = [
            *ReferralSummarySerializer.Meta.fields,
            "person",
            "route",
            "framework",
            "interim_arrangement",
            "next_action",
            "awaiting_since",
            "escalated_at",
            "created_at",
        ]


class ReferralAsSeenSerializer(ReferralSummarySerializer):
    """The documented answer of ``GET /referrals/`` and ``/referrals/{id}/`` (issue 15): one
    shape for both roles, so the schema is true for each. Council staff get every field; a
    provider gets the summary, and on ``{id}`` a ``person`` (null until it is awarded the
    referral). The council's fields are therefore optional here; the serializers that answer
    are ``ReferralSummarySerializer`` and ``ReferralSerializer``."""

    person = PersonSerializer(required=False, allow_null=True)
    route = serializers.CharField(required=False, help_text="Council staff only.")
    framework = serializers.CharField(required=False, allow_null=True)
    interim_arrangement = serializers.CharField(required=False)
    next_action = serializers.CharField(required=False)
    awaiting_since = serializers.DateField(required=False, allow_null=True)
    escalated_at = serializers.DateTimeField(required=False, allow_null=True)
    created_at = serializers.DateTimeField(required=False)

    class Meta(ReferralSerializer.Meta):
        pass


class NewPersonSerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=80)
    family_name = serializers.CharField(max_length=80)
    date_of_birth = serializers.DateField()
    address = serializers.CharField(max_length=240)
    postcode = serializers.CharField(max_length=12)
    care_group = serializers.SlugRelatedField(slug_field="code", queryset=CareGroup.objects.all())
    unpaid_carer = serializers.BooleanField(default=False)
    phone = serializers.CharField(max_length=30, required=False, default="")


class ReferralCreateSerializer(serializers.Serializer):
    person_reference = serializers.CharField(required=False, allow_blank=True, max_length=20)
    person = NewPersonSerializer(required=False)
    service_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceType.objects.all()
    )
    hours_per_week = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True
    )
    sessions_per_week = serializers.IntegerField(required=False, allow_null=True)
    band_level = serializers.ChoiceField(
        choices=Band.Level.choices, required=False, allow_blank=True, default=""
    )
    calls_per_day = serializers.IntegerField(required=False, allow_null=True)
    times_of_day = serializers.ListField(
        child=serializers.ChoiceField(choices=TIMES_OF_DAY), required=False, default=list
    )
    minutes_per_call = serializers.IntegerField(required=False, allow_null=True)
    double_handed = serializers.BooleanField(default=False)
    start_date = serializers.DateField()
    urgency = serializers.ChoiceField(choices=Referral.Urgency.choices)
    needs = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Specialism.objects.all(),
        default=list,
    )
    outcomes = serializers.CharField(max_length=4000)
    different_person = serializers.BooleanField(
        default=False,
        help_text="True when a person with the same name, date of birth and postcode is "
        "known but this is someone else.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("person_reference") and not attrs.get("person"):
            raise serializers.ValidationError(
                {"person": "Give person_reference, or the new person's details."}
            )
        return attrs

    def referral_input(self) -> referrals.ReferralInput:
        """The body as the service's input, the same one the web form gives: the fields are
        named as the input's, so nothing is copied by hand."""
        names = {f.name for f in dataclasses.fields(referrals.ReferralInput)}
        return referrals.ReferralInput(
            **{k: v for k, v in self.validated_data.items() if k in names}
        )

    def new_person(self) -> referrals.PersonInput:
        return referrals.PersonInput(**self.validated_data["person"])


class OfferSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    referral = ReferralSummarySerializer(read_only=True)
    status = serializers.SerializerMethodField()
    unit_price = serializers.DecimalField(
        max_digits=9, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = Offer
        fields = [
            "id",
            "referral",
            "provider",
            "kind",
            "round",
            "sent_at",
            "deadline",
            "status",
            "responded_at",
            "unit",
            "unit_price",
            "decline_reason",
            "decline_detail",
        ]

    def get_status(self, offer: Offer) -> str:
        return offer.effective_status(self.context["now"])

    def to_representation(self, offer: Offer) -> dict[str, Any]:
        data = super().to_representation(offer)
        if offer_price_seen_by(viewer(self), offer) is None:  # a lead's own price, to its sub
            data["unit_price"] = None
        state_now = getattr(offer, "referral_state_now", None)
        if state_now:  # the referral as it is now, deadlines included (see waiting.py)
            data["referral"]["state"] = state_now
        return data


class DeclineSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Offer.DeclineReason.choices)
    detail = serializers.CharField(required=False, allow_blank=True, default="", max_length=400)


class AcceptSerializer(serializers.Serializer):
    quote = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True, default=None
    )


class SubcontractSerializer(serializers.Serializer):
    member = serializers.CharField(help_text="The subcontractor's slug.")


class AwardRequestSerializer(serializers.Serializer):
    chosen_offer = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=400)


class SpotSerializer(serializers.Serializer):
    provider = serializers.CharField(help_text="The provider's slug.")
    unit_price = serializers.DecimalField(max_digits=9, decimal_places=2)
    reason = serializers.CharField(max_length=2000)
    below_band_reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="False (the default): nothing is bought; the weekly and yearly cost and the "
        "price band come back (200) to confirm. True: buy (201).",
    )


class SpotQuoteSerializer(serializers.Serializer):
    unit = serializers.CharField()
    units_per_week = serializers.DecimalField(max_digits=9, decimal_places=2)
    unit_price = serializers.DecimalField(max_digits=9, decimal_places=2)
    weekly_cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    yearly_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    band_low = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    band_high = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    approval_needed = serializers.CharField(
        help_text="Why confirming would wait for a second person's approval (empty: it would not)."
    )


class SpotApprovalSerializer(serializers.Serializer):
    """A confirmed spot purchase waiting for a second person (202): nothing is bought yet."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    unit = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=9, decimal_places=2)
    weekly_cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    yearly_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    needs_approval_because = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=400)


class AwaitingTotalSerializer(serializers.Serializer):
    zone = serializers.CharField()
    zone_number = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    people = serializers.IntegerField()


class AwaitingSerializer(serializers.Serializer):
    reference = serializers.CharField()
    person = serializers.CharField(source="person.reference")
    zone = serializers.IntegerField(source="zone.number")
    hours_per_week = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    urgency = serializers.CharField()
    days_waiting = serializers.IntegerField()
    interim_arrangement = serializers.CharField()
    next_action = serializers.CharField()


class AwaitingPageSerializer(serializers.Serializer):
    """The documented answer of ``GET /awaiting-care/``: the rows and the totals by zone,
    as the council's page shows them (one object, not an array)."""

    totals = AwaitingTotalSerializer(many=True)
    results = AwaitingSerializer(many=True)
