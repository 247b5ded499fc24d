"""The care home forms: a month's return (fields per registered bed type), an upload, and
the broker's bed search. They parse input only; the rules are the service's and the engine's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django import forms

from caremarket.care_homes.rules import parse_month
from caremarket.care_homes.services import WORKFORCE_FIELDS, WORKFORCE_LABELS, ReturnInput
from caremarket.core.forms import GovukForm
from caremarket.engine import vacancy


def _count(label: str, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be {maximum} or fewer",
        },
    )


class ReturnForm(GovukForm):
    """One month's return for one home: four bed fields per registered bed type, then the
    six workforce headcounts (Capacity Tracker's care home fields)."""

    month = forms.TypedChoiceField(
        label="Month",
        coerce=parse_month,
        error_messages={
            "invalid_choice": "Choose a month from the list: a return cannot be made for a "
            "future month, nor before its window opens on the 8th."
        },
    )

    def __init__(
        self,
        *args: Any,
        registered: Mapping[str, int],
        months: Sequence[date],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]
        self.registered = dict(registered)
        for bed_type in self.registered:
            name = vacancy.BED_TYPE_LABELS[bed_type]
            for field in vacancy.LINE_FIELDS:
                self.fields[f"{bed_type}-{field}"] = _count(
                    f"{name}: {vacancy.LINE_LABELS[field].lower()}", vacancy.MAX_BEDS
                )
        for field in WORKFORCE_FIELDS:
            self.fields[field] = _count(WORKFORCE_LABELS[field], vacancy.MAX_HEADCOUNT)

    def bed_groups(self) -> list[dict[str, Any]]:
        """For the template: a fieldset per bed type with its four fields."""
        return [
            {
                "bed_type": bed_type,
                "label": vacancy.BED_TYPE_LABELS[bed_type],
                "registered": beds,
                "fields": [self[f"{bed_type}-{f}"] for f in vacancy.LINE_FIELDS],
            }
            for bed_type, beds in self.registered.items()
        ]

    def workforce_fields(self) -> list[forms.BoundField]:
        return [self[f] for f in WORKFORCE_FIELDS]

    def to_input(self) -> ReturnInput:
        d = self.cleaned_data
        return ReturnInput(
            month=d["month"],
            lines=[
                vacancy.BedLine(bed_type, *(d[f"{bed_type}-{f}"] for f in vacancy.LINE_FIELDS))
                for bed_type in self.registered
            ],
            workforce={f: d[f] for f in WORKFORCE_FIELDS},
        )


def initial_from(existing: Any) -> dict[str, Any]:
    """The form's starting values from the return in force (to correct it)."""
    if existing is None:
        return {}
    initial: dict[str, Any] = {f: getattr(existing, f) for f in WORKFORCE_FIELDS}
    for line in existing.lines.all():
        for field in vacancy.LINE_FIELDS:
            initial[f"{line.bed_type}-{field}"] = getattr(line, field)
    return initial


class UploadForm(GovukForm):
    file = forms.FileField(
        label="CSV file",
        help_text="One row per home, month and bed type, with the columns listed above.",
        error_messages={"required": "Choose a CSV file to upload"},
    )


class BedSearchForm(GovukForm):
    bed_type = forms.ChoiceField(
        label="Type of bed needed",
        choices=[("", "Choose a bed type"), *vacancy.BED_TYPES],
        error_messages={"required": "Choose the type of bed the person needs"},
    )
    postcode = forms.CharField(
        label="Person's postcode",
        max_length=10,
        help_text="Homes are listed nearest first: by distance where homes' locations are "
        "known, else same sector, district, zone, neighbouring zone.",
        error_messages={"required": "Enter the person's postcode"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
