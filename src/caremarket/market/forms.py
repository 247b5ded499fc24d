from __future__ import annotations

from django import forms

from caremarket.core.forms import GovukForm


class PostcodeForm(GovukForm):
    postcode = forms.CharField(
        label="Postcode",
        help_text="For example, EX39 1AB. Any case and spacing is fine.",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "postal-code",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter a postcode, like EX39 1AB"},
    )
