"""Forms check types and shapes; the services check the rules (and say which field failed)."""

from __future__ import annotations

from typing import Any

from django import forms

from caremarket.brokerage.models import ServiceAgreement
from caremarket.core.forms import GovukDateField, GovukForm
from caremarket.supported_living import rules as room_rules


class SearchForm(GovukForm):
    """What a referral needs of a room. Sent by GET, so a search can be bookmarked."""

    group = forms.ChoiceField(label="Group", required=False)
    zone = forms.ChoiceField(label="Zone", required=False)
    postcode = forms.CharField(
        label="Or near a postcode",
        required=False,
        max_length=10,
        help_text="Rooms within the distance below, nearest first.",
    )
    within_km = forms.IntegerField(
        label="Distance (km)",
        required=False,
        min_value=1,
        max_value=100,
        initial=10,
        error_messages={
            "min_value": "Enter a distance from 1 to 100 km.",
            "max_value": "Enter a distance from 1 to 100 km.",
            "invalid": "Enter the distance as a whole number of kilometres, like 10.",
        },
    )
    needs = forms.MultipleChoiceField(
        label="Accessibility needed",
        required=False,
        choices=room_rules.ACCESSIBILITY,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label="Kind of home",
        required=False,
        choices=[("", "Either"), *room_rules.PROPERTY_KINDS],
    )
    gender = forms.ChoiceField(
        label="The person is",
        required=False,
        choices=[("", "Not stated"), ("female", "A woman"), ("male", "A man")],
    )
    has_pets = forms.BooleanField(label="The person has a pet", required=False)
    smokes = forms.BooleanField(label="The person smokes", required=False)

    def __init__(self, *args: Any, groups: Any = (), zones: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "Any group"), *((g.code, str(g)) for g in groups)]
        self.fields["zone"].choices = [("", "Any zone"), *((str(z.pk), z.label) for z in zones)]


class HoldForm(GovukForm):
    room = forms.IntegerField(widget=forms.HiddenInput)
    group = forms.CharField(required=False, widget=forms.HiddenInput)


class ConfirmForm(GovukForm):
    move_in_date = GovukDateField(
        label="Move-in date",
        help_text="The tenancy and the care start on this date. For example, 27 3 2027",
    )


class DeclineForm(GovukForm):
    reason = forms.CharField(
        label="Why are you declining?",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you are declining this hold."},
    )


class EndTenancyForm(GovukForm):
    """The person moved out: the service checks the date against the move-in and today."""

    moved_out_on = GovukDateField(
        label="Date the person moved out",
        help_text="The room is empty from this date and the care ends on it. For example, "
        "27 3 2027",
    )
    reason = forms.ChoiceField(
        label="Why did the tenancy end?",
        choices=ServiceAgreement.EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the tenancy ended."},
    )
    note = forms.CharField(label="Anything to add (optional)", required=False, max_length=200)


class WithdrawForm(GovukForm):
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=400)


class DirectPaymentForm(GovukForm):
    where = forms.CharField(
        label="Which scheme or address did the person choose?",
        max_length=240,
        error_messages={"required": "Say which scheme or address the person chose."},
    )
    care_bought_from = forms.CharField(
        label="Who will they buy their care from (if known)?", required=False, max_length=160
    )
    start_date = GovukDateField(label="Start date", help_text="For example, 27 3 2027")
    room = forms.IntegerField(
        label="Room number here, if the room is listed (optional)",
        required=False,
        min_value=1,
        help_text="The room's id, shown on the search results.",
    )

    def cleaned_data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["room_id"] = data.pop("room")
        return data
