"""Forms check types and shapes; the services check the rules (and say which field failed)."""

from __future__ import annotations

from django import forms

from caremarket.core.forms import GovukDateField, GovukForm
from caremarket.market.models import Commissioner


class UploadForm(GovukForm):
    commissioner = forms.ModelChoiceField(
        Commissioner.objects.none(),
        label="Council",
        error_messages={"required": "Choose the council the visits are for"},
    )
    file = forms.FileField(
        label="ECM visits file (CSV)",
        help_text="The columns are listed below. Every row is checked before anything is saved.",
        error_messages={"required": "Choose a CSV file to upload"},
    )

    def __init__(self, *args: object, commissioners: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if commissioners is not None:
            self.fields["commissioner"].queryset = commissioners  # type: ignore[attr-defined]


class RespondForm(GovukForm):
    kind = forms.ChoiceField(
        label="Your answer",
        choices=[("explain", "Explain it"), ("dispute", "Dispute it (hold payment for review)")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you explain or dispute the exception"},
    )
    text = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say what happened"},
    )


class ExtraTimeForm(GovukForm):
    reason = forms.CharField(
        label="Why the extra time was needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the extra time was needed"},
    )


class OpenRunForm(GovukForm):
    period_start = GovukDateField(
        label="First period starts",
        required=False,
        help_text="Only for the first run: later runs follow on from the last one.",
    )


class PaidForm(GovukForm):
    paid_on = GovukDateField(label="Paid on")


class MessageForm(GovukForm):
    text = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Write a message"},
    )


class AdjustForm(GovukForm):
    minutes = forms.IntegerField(
        label="Minutes to add (negative to take back)",
        min_value=-10000,
        max_value=10000,
        error_messages={
            "required": "Enter the minutes",
            "invalid": "Enter whole minutes, like 30 or -15",
        },
    )
    reason = forms.CharField(
        label="Why", max_length=240, error_messages={"required": "Say why the line is adjusted"}
    )


class ShareForm(GovukForm):
    """One button per panel member: which subcontractor to share with (or stop)."""

    subcontractor = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
