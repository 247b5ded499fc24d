"""The forms of market sufficiency: the date a dashboard is read for, a new statement, its
narrative, an action, the stated parameters, a prevalence rate and an upload."""

from __future__ import annotations

from django import forms

from caremarket.core.forms import GovukDateField, GovukForm
from caremarket.insight.models import ActionPlanItem, OperatingStatus, PrevalenceRate, Sector
from caremarket.market.models import CareGroup

ISO = ["%Y-%m-%d"]


class AsOfForm(GovukForm):
    """A GET form: which date the figures describe, and an earlier one to compare with."""

    as_of = forms.DateField(
        label="Figures as of",
        input_formats=ISO,
        required=False,
        help_text="For example, 2019-08-21.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    compare_with = forms.DateField(
        label="Compare with",
        input_formats=ISO,
        required=False,
        help_text="An earlier date, for example 2019-01-01.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class StatementForm(GovukForm):
    title = forms.CharField(max_length=160, label="Title")
    as_of = GovukDateField(label="Figures as of", help_text="For example, 21 8 2019.")
    compare_with = GovukDateField(
        label="Compare with (optional)", required=False, help_text="An earlier date."
    )


class NarrativeForm(GovukForm):
    introduction = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for value, label in Sector.choices:
            self.fields[value] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 5})
            )


class ActionForm(GovukForm):
    sector = forms.ChoiceField(choices=Sector.choices)
    action = forms.CharField(max_length=240)
    activities = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    impact = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    timescale = forms.CharField(max_length=120)
    owner = forms.CharField(max_length=160)
    status = forms.ChoiceField(choices=ActionPlanItem.Status.choices)


class ParametersForm(GovukForm):
    hours_per_worker = forms.DecimalField(
        label="Hours a care worker delivers a week",
        max_digits=5,
        decimal_places=1,
        help_text="Worker shortfall is unmet hours a week divided by this.",
    )
    hours_per_worker_source = forms.CharField(label="Where this figure comes from", max_length=240)
    vacancy_risk_percent = forms.DecimalField(
        label="Vacancy rate that puts a care home at risk (%)", max_digits=4, decimal_places=1
    )


class RateForm(GovukForm):
    care_group = forms.ModelChoiceField(queryset=CareGroup.objects.all(), to_field_name="code")
    age_band = forms.CharField(max_length=8, help_text="For example 65-69 or 90+.")
    sex = forms.ChoiceField(choices=PrevalenceRate.Sex.choices)
    per_hundred = forms.DecimalField(
        label="People with the need per 100", max_digits=6, decimal_places=3
    )
    source = forms.CharField(max_length=240)
    assumption = forms.BooleanField(label="This rate is an assumption", required=False)


class UploadForm(GovukForm):
    kind = forms.ChoiceField(label="What the file holds")
    file = forms.FileField(label="CSV file")

    def __init__(self, *args: object, kinds: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = kinds


class DayStatusForm(GovukForm):
    """A day opportunity service's operating status from a day (the services are the
    commissioner's own, passed in)."""

    appointment = forms.TypedChoiceField(label="Day opportunity service", coerce=int)
    status = forms.ChoiceField(label="Operating status", choices=OperatingStatus.choices)
    effective_from = GovukDateField(label="From", help_text="For example, 3 6 2019.")
    note = forms.CharField(
        label="Note (optional)", max_length=240, required=False, help_text="What has changed."
    )

    def __init__(self, *args: object, services: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["appointment"].choices = [("", "Choose a service"), *services]
