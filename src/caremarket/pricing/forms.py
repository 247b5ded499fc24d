"""The pricing forms. Fields are named as the services name what they take; the services
check every rule (a form only parses), so the web, the API and the command refuse alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from caremarket.core.forms import GovukDateField, GovukForm
from caremarket.engine.cost_of_care import PRESETS
from caremarket.frameworks.models import Band
from caremarket.pricing.models import FeeReview
from caremarket.pricing.rules import LineInput
from caremarket.pricing.services.reviews import Proposal

LINES = 5


def _decimal(label: str, help_text: str = "", required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        max_digits=9,
        decimal_places=4,
        error_messages={"invalid": f"Enter {label.lower()} as a number."},
    )


class ProposalForm(GovukForm):
    title = forms.CharField(label="Title", max_length=160, initial="Annual fee review")
    effective_from = GovukDateField(label="New rates take effect from")
    current_rate = _decimal("Current rate (£)", "The fixed rate being reviewed, for example 19.28.")
    method = forms.ChoiceField(
        label="How the rate moves",
        choices=FeeReview.Method.choices,
        widget=forms.RadioSelect,
        initial=FeeReview.Method.NLW_CPI,
    )
    staff_share = _decimal("Staff pay share of the rate (%)", "For example 70.")
    nlw_from = _decimal("Last year's National Living Wage (£)", "For example 12.21.")
    nlw_to = _decimal("This year's National Living Wage (£)", "For example 12.71.")
    cpi = _decimal("CPI, 12-month rate (%)", "For example 3.8.")

    def __init__(self, *args: Any, frameworks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"] = forms.ModelChoiceField(
            label="Framework under review",
            queryset=frameworks,
            error_messages={"required": "Choose the framework under review."},
        )
        self.order_fields(["framework"])
        for n in range(1, LINES + 1):
            self.fields[f"line{n}_name"] = forms.CharField(
                label=f"Cost line {n}", required=False, max_length=120
            )
            self.fields[f"line{n}_weight"] = _decimal(f"Line {n} weight (%)")
            self.fields[f"line{n}_change"] = _decimal(f"Line {n} change (%)")

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        lines = [
            LineInput(
                data[f"line{n}_name"],
                data[f"line{n}_weight"] or Decimal("0"),
                data[f"line{n}_change"] or Decimal("0"),
            )
            for n in range(1, LINES + 1)
            if data.get(f"line{n}_name")
        ]
        return Proposal(
            title=data["title"],
            effective_from=data["effective_from"],
            method=data["method"],
            current_rate=data.get("current_rate"),
            staff_share=data.get("staff_share"),
            nlw_from=data.get("nlw_from"),
            nlw_to=data.get("nlw_to"),
            cpi=data.get("cpi"),
            lines=lines,
        )


class ConsultForm(GovukForm):
    closes = GovukDateField(label="Comments close on")


class DecideForm(GovukForm):
    approve = forms.ChoiceField(
        label="Decision",
        choices=[("yes", "Approve the proposed rates"), ("no", "Reject the proposal")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Reason for the decision", widget=forms.Textarea, max_length=2000)


class CommentForm(GovukForm):
    text = forms.CharField(label="Your comment", widget=forms.Textarea, max_length=5000)
    evidence = forms.FileField(label="Evidence (optional, up to 5 MB)", required=False)


class PresetForm(GovukForm):
    preset = forms.ChoiceField(
        label="Cost model", choices=[(k, p.name) for k, p in PRESETS.items()], required=False
    )


class BandReviewForm(GovukForm):
    level = forms.ChoiceField(
        label="New band", choices=Band.Level.choices, widget=forms.RadioSelect
    )
    effective_from = GovukDateField(label="From")
    reason = forms.CharField(label="Why the band changes", widget=forms.Textarea, max_length=2000)
    evidence = forms.CharField(
        label="Evidence (assessment, visits, daily logs)", widget=forms.Textarea, max_length=4000
    )


class ApplicationForm(GovukForm):
    """Built for a lot: a price per zone, an answer (and evidence) per published question,
    and yes or no for each pass/fail item. Names say what the service takes."""

    def __init__(self, *args: Any, zones: Any, questions: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for zone in zones:
            self.fields[f"price_{zone.pk}"] = forms.DecimalField(
                label=f"Your price an hour in {zone.name} (leave empty if you do not serve it)",
                required=False,
                max_digits=9,
                decimal_places=2,
                error_messages={"max_decimal_places": "Give the price in pounds and pence."},
            )
        for q in questions:
            self.fields[f"answer_{q.pk}"] = forms.CharField(
                label=f"Question {q.number} ({q.weight}%): {q.text}",
                help_text=f"Scored 0 to {q.scale_max}: {q.criteria}",
                widget=forms.Textarea,
                required=False,
                max_length=10000,
            )
            self.fields[f"evidence_{q.pk}"] = forms.FileField(
                label=f"Evidence for question {q.number} (optional, up to 5 MB)", required=False
            )
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                required=False,
            )

    def by_prefix(self, prefix: str) -> dict[int, Any]:
        return {
            int(name.removeprefix(prefix)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix) and value not in (None, "")
        }


class ScoreForm(GovukForm):
    answer = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.IntegerField(
        label="Your score", error_messages={"invalid": "Enter a whole number."}
    )
    note = forms.CharField(label="Why (against the criteria)", required=False, max_length=2000)


class ModerateForm(GovukForm):
    answer = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.IntegerField(
        label="Moderated score", error_messages={"invalid": "Enter a whole number."}
    )
    feedback = forms.CharField(
        label="Feedback for the provider", widget=forms.Textarea, max_length=4000
    )


class OutcomeForm(GovukForm):
    feedback = forms.CharField(
        label="Overall feedback for the outcome letter", widget=forms.Textarea, max_length=4000
    )


# --- the terms an entry window publishes (frameworks.services.entry_terms checks the rules) ---


class QuestionForm(GovukForm):
    question = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.IntegerField(
        label="Question number", error_messages={"invalid": "Enter a whole number."}
    )
    text = forms.CharField(
        label="Question", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    criteria = forms.CharField(
        label="Criteria each score is judged by",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    weight = forms.DecimalField(
        label="Weight (%)",
        help_text="The question's share of the quality score; all the weights add up to 100.",
        max_digits=6,
        decimal_places=2,
        error_messages={"invalid": "Enter the weight as a number, for example 25."},
    )
    scale_max = forms.IntegerField(
        label="Top score",
        initial=5,
        help_text="Evaluators score from 0 to this.",
        error_messages={"invalid": "Enter a whole number."},
    )


class PassFailForm(GovukForm):
    number = forms.IntegerField(
        label="Item number", error_messages={"invalid": "Enter a whole number."}
    )
    text = forms.CharField(label="What a provider must have", max_length=240)
    cqc_only = forms.BooleanField(
        label="Asked only on lots buying a CQC-regulated service", required=False
    )


class PassMarkForm(GovukForm):
    threshold = forms.DecimalField(
        label="Pass mark (quality score out of 100)",
        max_digits=5,
        decimal_places=2,
        error_messages={"invalid": "Enter the pass mark as a number, for example 60."},
    )
