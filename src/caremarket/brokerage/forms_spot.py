"""The spot purchase forms: the broker's purchase (asked twice: the costs, then confirm) and
the second person's decision on one that needs approval. The rules are the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from caremarket.core.forms import GovukForm
from caremarket.providers.models import Provider


class SpotForm(GovukForm):
    provider = forms.ModelChoiceField(
        label="Provider", queryset=Provider.objects.all(), empty_label="Choose the provider"
    )
    unit_price = forms.DecimalField(
        label="Agreed price per unit", min_value=Decimal("0.01"), decimal_places=2, max_digits=9
    )
    reason = forms.CharField(
        label="Why off-framework",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Record why this care is bought spot"},
    )
    below_band_reason = forms.CharField(
        label="If the price is below the band: how can the provider deliver at this price?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class RefuseSpotForm(GovukForm):
    reason = forms.CharField(
        label="Why it is refused",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the purchase is refused"},
    )
