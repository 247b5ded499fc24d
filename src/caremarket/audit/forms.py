"""The filters of the audit pages (GET forms: bookmarkable, no JavaScript)."""

from __future__ import annotations

from typing import Any

from django import forms

from caremarket.audit.selectors import ACTIONS, AccessCriteria, TrailCriteria
from caremarket.audit.sources import Source
from caremarket.core.forms import GovukDateField, GovukForm


class _Window(GovukForm):
    since = GovukDateField(label="From", required=False, help_text="For example, 1 4 2026")
    until = GovukDateField(label="To", required=False, help_text="For example, 30 4 2026")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be the same as or after the start date")
        return data


class TrailFilterForm(_Window):
    record = forms.ChoiceField(label="Kind of record", required=False)
    action = forms.ChoiceField(
        label="What happened",
        required=False,
        choices=[("", "Any"), *((k, v) for k, v in ACTIONS.items())],
    )
    who = forms.CharField(label="Who (user name, or part of it)", required=False, max_length=150)
    record_id = forms.IntegerField(
        label="Record id", required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args: Any, kinds: list[Source], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", "Any")] + [
            (s.key, f"{s.area}: {s.label}") for s in kinds
        ]

    def criteria(self) -> TrailCriteria:
        d = self.cleaned_data
        return TrailCriteria(
            since=d.get("since"),
            until=d.get("until"),
            record=d.get("record") or "",
            who=(d.get("who") or "").strip(),
            action=d.get("action") or "",
            record_id=d.get("record_id"),
        )


class AccessFilterForm(_Window):
    person = forms.CharField(label="Person's reference", required=False, max_length=20)
    who = forms.CharField(label="Who (user name, or part of it)", required=False, max_length=150)
    provider = forms.CharField(
        label="Provider (name, or part of it)", required=False, max_length=160
    )

    def criteria(self) -> AccessCriteria:
        d = self.cleaned_data
        return AccessCriteria(
            since=d.get("since"),
            until=d.get("until"),
            who=(d.get("who") or "").strip(),
            person=(d.get("person") or "").strip(),
            provider=(d.get("provider") or "").strip(),
        )
