"""API shapes for frameworks, appointments and prices. They shape data; they hold no rules
(those live in selectors and services), so the API and the web pages cannot disagree about
who sees what."""

from __future__ import annotations

from rest_framework import serializers

from caremarket.core import clock
from caremarket.frameworks.models import (
    Appointment,
    Band,
    CommissionerRate,
    EntryWindow,
    ExtensionOption,
    Framework,
    Lot,
)


class EntryWindowSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = EntryWindow
        fields = ["opens", "closes", "contracts_commence", "state"]

    def get_state(self, window: EntryWindow) -> str:
        return str(window.as_window().state(clock.today()))


class ExtensionOptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionOption
        fields = ["sequence", "months", "exercised", "decided_on"]


class RateSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommissionerRate
        fields = ["unit", "amount", "effective_from", "basis"]


class BandSerializer(serializers.ModelSerializer):
    weekly_rate = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True)

    class Meta:
        model = Band
        fields = ["level", "typical_hours_per_week", "hourly_rate", "weekly_rate", "effective_from"]


class LotSerializer(serializers.ModelSerializer):
    service_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    care_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    zones = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Lot
        fields = [
            "id",
            "framework",
            "number",
            "name",
            "description",
            "service_types",
            "care_groups",
            "zones",
        ]


class FrameworkSerializer(serializers.ModelSerializer):
    commissioner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lots = LotSerializer(many=True, read_only=True)
    entry_windows = EntryWindowSerializer(many=True, read_only=True)
    extension_options = ExtensionOptionSerializer(many=True, read_only=True)
    rates = RateSerializer(many=True, read_only=True)
    bands = BandSerializer(many=True, read_only=True)
    current_end = serializers.SerializerMethodField()
    latest_possible_end = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = [
            "id",
            "commissioner",
            "name",
            "slug",
            "reference",
            "kind",
            "start_date",
            "end_date",
            "current_end",
            "latest_possible_end",
            "route_to_market",
            "award_rule",
            "quality_weight",
            "price_weight",
            "pricing_model",
            "offer_window_hours",
            "urgent_offer_window_hours",
            "reopening_allowed",
            "min_subcontract_share",
            "bids_capped_at_band_rate",
            "max_schemes_per_block",
            "lots",
            "entry_windows",
            "extension_options",
            "rates",
            "bands",
        ]

    def get_current_end(self, framework: Framework) -> str:
        return framework.term().current_end.isoformat()

    def get_latest_possible_end(self, framework: Framework) -> str:
        return framework.term().latest_possible_end.isoformat()


class AppointmentSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    framework = serializers.IntegerField(source="lot.framework_id", read_only=True)
    zones = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    prime_zones = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "provider",
            "framework",
            "lot",
            "zones",
            "prime_zones",
            "status",
            "appointed_on",
            "ends_on",
            "quality_score",
        ]


class ProviderAppointmentSerializer(AppointmentSerializer):
    """For providers: no quality scores, which are the council's judgement of each provider."""

    class Meta(AppointmentSerializer.Meta):
        fields = [f for f in AppointmentSerializer.Meta.fields if f != "quality_score"]


class PriceRowSerializer(serializers.Serializer):
    appointment_id = serializers.IntegerField()
    provider_id = serializers.IntegerField()
    provider = serializers.CharField()
    zone_number = serializers.IntegerField()
    zone = serializers.CharField()
    unit = serializers.CharField()
    amount = serializers.DecimalField(max_digits=9, decimal_places=2)
    effective_from = serializers.DateField()
    next_amount = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    next_effective_from = serializers.DateField(allow_null=True)
