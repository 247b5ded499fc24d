"""API shapes for providers: the organisation (also the public directory's shape, with no
prices) and its declared capacity."""

from __future__ import annotations

from rest_framework import serializers

from caremarket.market.models import ServiceType
from caremarket.providers.models import CapacityDeclaration, Location, Provider


class CapacitySerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    commissioner = serializers.CharField(source="zone.commissioner.slug", read_only=True)
    zone = serializers.IntegerField(source="zone.number", read_only=True)
    service_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CapacityDeclaration
        fields = [
            "id",
            "provider",
            "commissioner",
            "zone",
            "service_type",
            "hours_per_week",
            "valid_from",
            "declared_at",
        ]


class CapacityCreateSerializer(serializers.Serializer):
    commissioner = serializers.SlugField(help_text="The commissioner whose zone it is.")
    zone = serializers.IntegerField(help_text="The zone's number within that commissioner.")
    service_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceType.objects.all()
    )
    hours_per_week = serializers.DecimalField(max_digits=7, decimal_places=2)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["name", "address", "town", "postcode", "cqc_location_id"]


class ProviderSerializer(serializers.ModelSerializer):
    care_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    specialisms = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    service_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    locations = LocationSerializer(many=True, read_only=True)

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "slug",
            "is_fictitious",
            "website",
            "phone",
            "email",
            "care_groups",
            "specialisms",
            "service_types",
            "locations",
        ]
