from __future__ import annotations

from django import forms

from caremarket.core.forms import GovukForm
from caremarket.engine import postcodes
from caremarket.market.models import CareGroup, ServiceType, Zone


class ZoneChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Zone) -> str:  # type: ignore[override]
        return f"{obj.commissioner.name}: {obj.label}"


class DirectorySearchForm(GovukForm):
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=12,
        help_text="Where the person lives, for example EX39 1AB.",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "postal-code",
                "spellcheck": "false",
            }
        ),
    )
    zone = ZoneChoiceField(
        label="Or choose a zone",
        required=False,
        empty_label="Any zone",
        queryset=Zone.objects.select_related("commissioner").order_by(
            "commissioner__name", "number"
        ),
    )
    service_type = forms.ModelChoiceField(
        label="Type of service",
        required=False,
        empty_label="Any service",
        queryset=ServiceType.objects.all(),
    )
    care_group = forms.ModelChoiceField(
        label="Who it supports",
        required=False,
        empty_label="Anyone",
        queryset=CareGroup.objects.all(),
    )

    def clean_postcode(self) -> str:
        text: str = self.cleaned_data["postcode"]
        if not text.strip():
            return ""
        try:
            return str(postcodes.parse(text))
        except postcodes.InvalidPostcode as exc:
            raise forms.ValidationError(str(exc)) from exc
