"""Forms check types and shapes; the services check the rules (and say which field failed)."""

from __future__ import annotations

from django import forms

from caremarket.core.forms import GovukDateField, GovukForm
from caremarket.supported_living import rules


class RoomStatusForm(GovukForm):
    status = forms.ChoiceField(
        label="What is the room now?",
        choices=[(s, rules.STATUS_LABELS[s]) for s in rules.PROVIDER_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose vacant, occupied or unavailable."},
    )
    reason = forms.CharField(
        label="Reason, if unavailable",
        required=False,
        max_length=240,
        help_text="For example, repairs to the bathroom until March.",
    )
    void_since = GovukDateField(
        label="Empty since (for a vacant room)",
        required=False,
        help_text="Leave blank to keep the date already recorded, or today for a room that "
        "has just been vacated. For example, 27 3 2026",
    )


class ResidentsUploadForm(GovukForm):
    file = forms.FileField(
        label="Census file (CSV)",
        help_text="Columns: group, lot (optional), band, residents, counted_on.",
        error_messages={"required": "Choose a CSV file to upload."},
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload", "accept": ".csv"}),
    )
