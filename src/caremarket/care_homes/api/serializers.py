"""Shapes of care homes and returns over the API (data only; rules are the service's)."""

from __future__ import annotations

from rest_framework import serializers

from caremarket.care_homes.models import CareHome, VacancyReturn, VacancyReturnLine
from caremarket.care_homes.services import WORKFORCE_FIELDS
from caremarket.engine import vacancy


class RegisteredBedsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    bed_type = serializers.CharField()
    beds = serializers.IntegerField()


class CareHomeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(source="location.name")
    provider = serializers.CharField(source="location.provider.slug")
    postcode = serializers.CharField(source="location.postcode")
    cqc_location_id = serializers.CharField(source="location.cqc_location_id", allow_null=True)
    commissioner = serializers.CharField(source="zone.commissioner.slug")
    zone = serializers.IntegerField(source="zone.number")
    beds = RegisteredBedsSerializer(many=True)

    class Meta:
        model = CareHome
        fields = [
            "id",
            "name",
            "provider",
            "kind",
            "postcode",
            "cqc_location_id",
            "commissioner",
            "zone",
            "beds",
            "closed_on",
        ]


class ReturnLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = VacancyReturnLine
        fields = ["bed_type", "maximum_capacity", "occupied", "vacant_reserved", "vacant_accepting"]


class VacancyReturnSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    lines = ReturnLineSerializer(many=True)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = VacancyReturn
        fields = [
            "id",
            "care_home",
            "month",
            "version",
            "in_force",
            "supersedes",
            "submitted_at",
            "source",
            *WORKFORCE_FIELDS,
            "lines",
        ]

    def get_in_force(self, obj: VacancyReturn) -> bool:
        return not hasattr(obj, "superseded_by")


class ReturnLineInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    bed_type = serializers.ChoiceField(choices=[code for code, _ in vacancy.BED_TYPES])
    maximum_capacity = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_BEDS)
    occupied = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_BEDS)
    vacant_reserved = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_BEDS)
    vacant_accepting = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_BEDS)


class VacancyReturnCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A month's return for one home: the month as its first day (2026-11-01) or any day."""

    care_home = serializers.IntegerField()
    month = serializers.DateField()
    lines = ReturnLineInputSerializer(many=True, allow_empty=False)
    nurses_employed = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_HEADCOUNT)
    care_staff_employed = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_HEADCOUNT)
    non_care_staff_employed = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_HEADCOUNT)
    nurses_agency = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_HEADCOUNT)
    care_staff_agency = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_HEADCOUNT)
    non_care_staff_agency = serializers.IntegerField(min_value=0, max_value=vacancy.MAX_HEADCOUNT)
