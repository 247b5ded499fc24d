"""The agreement page's forms: vary (or correct a variation on its own date), withdraw a
variation not yet in effect, end. Named as ``services.agreements`` names the terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from caremarket.brokerage.forms import HOURS, radios
from caremarket.brokerage.models import AgreementVariation, ServiceAgreement
from caremarket.core.forms import GovukDateField, GovukForm


class VaryForm(GovukForm):
    """``price_fixed``: the framework sets the price (``agreements.price_follows_framework``),
    so the form does not ask for one: only a fee review or a band review changes it."""

    effective_from = GovukDateField(label="From")
    units_per_week = forms.DecimalField(label="Units a week", **HOURS)
    unit_price = forms.DecimalField(
        label="New price per unit (as agreed with the provider)",
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
        max_digits=9,
    )
    reason = forms.CharField(label="Why", max_length=240)
    correcting = forms.BooleanField(
        label="This corrects the variation already made for that date",
        required=False,
        help_text="Only a variation of today or later; the agreement's history keeps what "
        "it said before.",
    )

    def __init__(self, *args: Any, price_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if price_fixed:
            del self.fields["unit_price"]


class WithdrawVariationForm(GovukForm):
    variation = forms.ModelChoiceField(
        label="Variation",
        queryset=AgreementVariation.objects.none(),
        empty_label="Choose the variation",
        error_messages={"required": "Choose the variation to withdraw"},
    )
    reason = forms.CharField(
        label="Why it is withdrawn",
        max_length=240,
        error_messages={"required": "Say why the variation is withdrawn"},
    )

    def __init__(self, *args: Any, pending: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["variation"]
        field.queryset = pending if pending is not None else AgreementVariation.objects.none()  # type: ignore[attr-defined]
        field.label_from_instance = lambda v: (  # type: ignore[attr-defined]
            f"From {v.effective_from:%d %B %Y}: {v.units_per_week} a week ({v.reason})"
        )


class EndForm(GovukForm):
    end_date = GovukDateField(label="Last day of care")
    end_reason = radios("Why it ends", ServiceAgreement.EndReason.choices)
    resource = forms.BooleanField(
        label="Source this person's care again (when handed back)", required=False, initial=True
    )


class ProposalNoteForm(GovukForm):
    """Declining (the provider) or withdrawing (the council) a proposed change: why."""

    reason = forms.CharField(
        label="Why",
        max_length=400,
        error_messages={"required": "Say why"},
    )
