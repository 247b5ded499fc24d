"""The choice of quarter (and, for platform staff, of council) on the Client Level Data page:
a GET form, so a return is a bookmarkable address and needs no JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms

from caremarket.core.forms import GovukForm
from caremarket.market.models import Commissioner


class CldForm(GovukForm):
    quarter = forms.ChoiceField(
        label="Quarter",
        required=False,
        help_text="The return covers the 12 months that end with the quarter.",
    )
    council = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, quarters: list[str], councils: list[Commissioner], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q, q) for q in quarters]
        self.fields["quarter"].initial = quarters[0]
        if len(councils) > 1:  # platform staff choose; council staff have only their own
            self.fields["council"] = forms.ChoiceField(
                label="Council", required=False, choices=[(c.slug, c.name) for c in councils]
            )
        self.default_council = councils[0].slug if councils else ""

    def choice(self) -> tuple[str, str]:
        """The council's slug and the quarter asked for (the defaults before any is asked).
        A council's slug is not checked here: the selector answers 404 for one not the
        user's, as for any record outside the user's scope."""
        data = self.cleaned_data if self.is_bound else {}
        quarter = data.get("quarter") or self.fields["quarter"].initial
        return data.get("council") or self.default_council, quarter
