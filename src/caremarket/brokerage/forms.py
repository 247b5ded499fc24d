"""Forms check types and shapes; the services check the rules (and say which field failed)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.db.models import QuerySet

from caremarket.brokerage.models import Bid, Offer, Referral
from caremarket.brokerage.services.referrals import TIMES_OF_DAY
from caremarket.core import idempotency
from caremarket.core.forms import GovukDateField, GovukForm
from caremarket.frameworks.models import Band
from caremarket.market.models import CareGroup, ServiceType, Specialism, Zone
from caremarket.providers.models import Provider

HOURS: dict[str, Any] = {
    "min_value": Decimal("0.25"),
    "max_value": Decimal("168"),
    "decimal_places": 2,
    "error_messages": {
        "min_value": "Hours a week must be more than 0 and at most 168.",
        "max_value": "Hours a week must be more than 0 and at most 168.",
        "max_decimal_places": "Give hours in quarters of an hour, like 7.5 or 10.25.",
        "invalid": "Enter hours as a number, like 7.5",
    },
}
Input = TypeVar("Input")


def radios(label: str, choices: Any, required: str = "") -> forms.ChoiceField:
    """A GOV.UK radios question; ``required`` is the message when nothing is chosen."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required} if required else {},
    )


class SubmittedOnce(GovukForm):
    """A form that creates something carries a one-time submission token, so a second click
    (or a reload of the POST) finds the first result instead of making another
    (``core.idempotency``)."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", idempotency.new_token())

    @property
    def token(self) -> str:
        return str(self.cleaned_data.get("submission_token") or "")


class ReferralForm(SubmittedOnce):
    # The person
    person_reference = forms.CharField(
        label="Person's reference, if the council already knows them",
        required=False,
        help_text="For example DEV-P-000123. Leave blank and fill in the details below for "
        "someone new.",
        max_length=20,
    )
    given_name = forms.CharField(label="First name", required=False, max_length=80)
    family_name = forms.CharField(label="Last name", required=False, max_length=80)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 31 3 1944"
    )
    address = forms.CharField(label="Address", required=False, max_length=240)
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )
    care_group = forms.ModelChoiceField(
        label="Care group",
        queryset=CareGroup.objects.all(),
        required=False,
        empty_label="Choose a care group",
    )
    unpaid_carer = forms.BooleanField(label="An unpaid carer is involved", required=False)
    different_person = forms.BooleanField(
        label="This is a different person from the one with the same name, date of birth and "
        "postcode",
        required=False,
    )
    # The care
    service_type = forms.ModelChoiceField(
        label="Service",
        queryset=ServiceType.objects.all(),
        empty_label="Choose a service",
        error_messages={"required": "Choose a service"},
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        required=False,
        **HOURS,
        help_text="For hourly services. Quarters of an hour, like 7.5 or 10.25. Leave blank "
        "to take it from the calls a day and minutes a call (every day of the week).",
    )

    sessions_per_week = forms.IntegerField(
        label="Sessions or nights a week",
        required=False,
        min_value=1,
        max_value=21,
        help_text="For day opportunities and night sitting.",
    )
    band_level = forms.ChoiceField(
        label="Band",
        required=False,
        choices=[("", "Not banded"), *Band.Level.choices],
        help_text="For supported living: the band the social worker assessed.",
    )
    calls_per_day = forms.IntegerField(
        label="Calls a day", required=False, min_value=1, max_value=8
    )
    times_of_day = forms.MultipleChoiceField(
        label="Times of day",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(t, t.capitalize()) for t in TIMES_OF_DAY],
    )
    minutes_per_call = forms.IntegerField(
        label="Minutes a call", required=False, min_value=15, max_value=720
    )
    double_handed = forms.BooleanField(
        label="Two carers needed at each call (double-handed)", required=False
    )
    start_date = GovukDateField(
        label="Start date", error_messages={"required": "Enter the start date"}
    )
    urgency = radios("Urgency", Referral.Urgency.choices, "Choose how urgent this is")
    needs = forms.ModelMultipleChoiceField(
        label="Needs only some providers can meet",
        required=False,
        queryset=Specialism.objects.exclude(code="double-handed"),
        widget=forms.CheckboxSelectMultiple,
    )
    outcomes = forms.CharField(
        label="What matters to the person",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The outcomes they want, in their words.",
        max_length=4000,
        error_messages={"required": "Say what matters to the person"},
    )

    NEW_PERSON = ("given_name", "family_name", "date_of_birth", "address", "postcode", "care_group")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("person_reference"):
            for name in self.NEW_PERSON:
                if not data.get(name) and name not in self.errors:
                    label = self.fields[name].label
                    self.add_error(
                        name, f"Enter the {str(label).lower()}, or the person's reference"
                    )
        return data

    def clean_needs(self) -> list[Any]:
        return list(self.cleaned_data.get("needs") or [])

    def as_input(self, kind: type[Input]) -> Input:
        """The cleaned data as a service's input (``ReferralInput``, ``PersonInput``): the
        form's fields are named as the input's, so nothing is copied by hand."""
        names = {f.name for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
        return kind(**{k: v for k, v in self.cleaned_data.items() if k in names})


class DeclineForm(GovukForm):
    reason = radios(
        "Why are you declining?", Offer.DeclineReason.choices, "Choose a reason for declining"
    )
    detail = forms.CharField(
        label="More detail (required for another reason)",
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuoteForm(GovukForm):
    quote = forms.DecimalField(
        label="Your price",
        min_value=Decimal("0.01"),
        decimal_places=2,
        max_digits=9,
        help_text="Per unit, in pounds.",
    )


class SubcontractForm(GovukForm):
    member = forms.ModelChoiceField(
        label="Subcontractor from your panel",
        queryset=Provider.objects.none(),
        empty_label="Choose a subcontractor",
        error_messages={"required": "Choose a subcontractor"},
    )

    def __init__(self, *args: Any, panel: list[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Provider.objects.filter(pk__in=[p.pk for p in panel])  # type: ignore[attr-defined]


class WidenForm(GovukForm):
    zones = forms.ModelMultipleChoiceField(
        label="Also ask providers in",
        required=False,
        queryset=Zone.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, zone: Zone, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zones"].queryset = zone.neighbours.order_by("number")  # type: ignore[attr-defined]
        self.fields["zones"].label_from_instance = lambda z: z.label  # type: ignore[attr-defined]


class AwardForm(GovukForm):
    chosen_offer = forms.TypedChoiceField(
        label="The person chose", coerce=int, required=False, widget=forms.RadioSelect, choices=[]
    )
    note = forms.CharField(label="Note for the record (optional)", required=False, max_length=400)

    def __init__(self, *args: Any, offers: list[Offer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen_offer"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.provider.display_name}, £{o.unit_price} per {o.unit}") for o in offers
        ]


class WaitingForm(GovukForm):
    interim_arrangement = radios(
        "What does the person have meanwhile?",
        [c for c in Referral.Interim.choices if c[0]],
        "Choose what the person has meanwhile",
    )
    next_action = forms.CharField(label="Next action", max_length=240, required=False)


class NoteForm(GovukForm):
    note = forms.CharField(
        label="Why",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why"},
    )


class BidForm(GovukForm):
    weekly_price = forms.DecimalField(
        label="Weekly price", min_value=Decimal("0.01"), decimal_places=2, max_digits=9
    )
    low_price_explanation = forms.CharField(
        label="If your price is far under the most a bid may ask: how you can deliver at it",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A price under half the cap must be explained before the bid counts.",
    )

    def __init__(self, *args: Any, questions: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            self.fields[f"answer_{q['key']}"] = forms.CharField(
                label=f"{q['text']} ({q['weight']}% of the quality score)",
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=4000,
                error_messages={"required": "Answer every quality question"},
            )

    @classmethod
    def changing(cls, bid: Bid, *, questions: list[dict[str, Any]]) -> BidForm:
        """The form for a provider changing its bid: it starts from the bid it made."""
        answers = {f"answer_{k}": v for k, v in bid.answers.items()}
        initial = {
            "weekly_price": bid.weekly_price,
            "low_price_explanation": bid.low_price_explanation,
            **answers,
        }
        return cls(questions=questions, initial=initial)


class ScoreForm(GovukForm):
    def __init__(self, *args: Any, questions: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            self.fields[f"score_{q['key']}"] = forms.DecimalField(
                label=f"Score for: {q['text']}",
                min_value=0,
                max_value=100,
                decimal_places=1,
            )


class CompetitionForm(SubmittedOnce):
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = GovukDateField(
        label="Bids close at 5pm on",
        help_text="A day after today and within six months.",
    )
    contract_weeks = forms.IntegerField(
        label="Contract length in weeks", required=False, min_value=1, max_value=520
    )


class MergePeopleForm(GovukForm):
    keep = forms.CharField(label="Reference of the record to keep", max_length=20)
    duplicate = forms.CharField(
        label="Reference of the duplicate",
        max_length=20,
        help_text="Its referrals and agreements move to the record kept; it stays, marked merged.",
    )
    reason = forms.CharField(
        label="Why these are the same person",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SchemeCompetitionForm(CompetitionForm):
    band_level = forms.ChoiceField(
        label="Band whose weekly rate caps each room's bid",
        required=False,
        choices=[("", "The highest band the schemes serve"), *Band.Level.choices],
        help_text="Where the framework caps bids, the cap is this rate times the rooms.",
    )


class CapacityForm(GovukForm):
    zone = forms.ModelChoiceField(
        label="Zone", queryset=Zone.objects.none(), empty_label="Choose a zone"
    )
    service_type = forms.ModelChoiceField(
        label="Service", queryset=ServiceType.objects.none(), empty_label="Choose a service"
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week you can take on",
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        decimal_places=2,
        help_text="New packages you could start now. 0 if none.",
    )

    def __init__(
        self,
        *args: Any,
        zones: list[Zone],
        services: QuerySet[ServiceType],
        appointed: set[tuple[int, int]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.appointed = appointed
        self.fields["zone"].queryset = (  # type: ignore[attr-defined]
            Zone.objects.filter(pk__in=[z.pk for z in zones])
            .select_related("commissioner")
            .order_by("commissioner__name", "number")
        )
        self.fields["zone"].label_from_instance = lambda z: f"{z.commissioner.name}: {z.label}"  # type: ignore[attr-defined]
        self.fields["service_type"].queryset = services  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """Capacity only where the provider is appointed for that service in that zone."""
        data = super().clean()
        zone, service = data.get("zone"), data.get("service_type")
        pair = (zone.pk, service.pk) if zone and service else None
        if self.appointed is not None and pair and pair not in self.appointed:
            self.add_error(
                "service_type",
                f"You are not appointed for {service.name.lower()} in {zone.label}.",
            )
        return data


def ticked_placements(values: list[str]) -> list[tuple[int, int, int]]:
    """The suggestions a broker ticked, each ``referral:placed_with:delivered_by`` (ids);
    anything else posted is ignored."""
    ticked = []
    for value in values:
        try:
            referral, placed, delivered = (int(x) for x in value.split(":"))
        except ValueError:
            continue
        ticked.append((referral, placed, delivered))
    return ticked
