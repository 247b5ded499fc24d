"""API shapes for the market's zones."""

from __future__ import annotations

from rest_framework import serializers

from caremarket.market.models import Zone


class ZoneSerializer(serializers.ModelSerializer):
    commissioner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    label = serializers.CharField(read_only=True)
    towns = serializers.SerializerMethodField()
    postcode_areas = serializers.SerializerMethodField()

    class Meta:
        model = Zone
        fields = ["id", "commissioner", "number", "name", "label", "towns", "postcode_areas"]

    def get_towns(self, zone: Zone) -> list[str]:
        return [t.name for t in zone.towns.all()]

    def get_postcode_areas(self, zone: Zone) -> list[str]:
        return [a.code for a in zone.postcode_areas.all()]


class PostcodeLookupSerializer(serializers.Serializer):
    postcode = serializers.CharField()
    zone = ZoneSerializer()
