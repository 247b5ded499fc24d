"""The referral form, shaped by the chosen service: it asks only what that service is bought
by. Home care by the hour asks hours and the visit pattern; day opportunities and night
sitting, sessions or nights; supported living, the assessed band; a care home place, the
kind of bed. The service is chosen first (a plain GET form, no JavaScript needed); the full
form then shows that service's questions, and posting another service shows its questions
with a message naming what is missing. Fields of other services are not on the form at all,
so nothing typed for one service can slip into a referral for another.
"""

from __future__ import annotations

from typing import Any

from django import forms

from caremarket.brokerage.forms import ReferralForm
from caremarket.core.forms import GovukForm
from caremarket.engine.vacancy import BED_TYPES
from caremarket.market.models import ServiceType

# The service's unit -> the questions that say how much care, and the section's heading.
PATTERN = ("hours_per_week", "calls_per_day", "times_of_day", "minutes_per_call", "double_handed")
BY_UNIT: dict[str, tuple[str, tuple[str, ...]]] = {
    "hour": ("Hours and visits", PATTERN),
    "session": ("Sessions", ("sessions_per_week",)),
    "night": ("Nights", ("sessions_per_week",)),
    "week": ("Band", ("band_level",)),
    "bed_week": ("The care home bed", ("bed_type",)),
}
AMOUNT_FIELDS = frozenset(name for _, names in BY_UNIT.values() for name in names)


def amount_fields(unit: str | None) -> tuple[str, ...]:
    """The amount questions a service of ``unit`` asks (none before a service is chosen)."""
    return BY_UNIT[unit][1] if unit in BY_UNIT else ()


def service_from(value: Any) -> ServiceType | None:
    """The service a GET (``?service=code``) or a POST (``service_type=pk``) names, if any."""
    if isinstance(value, ServiceType):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    found = ServiceType.objects.filter(code=text).first()
    if found is None and text.isdigit():
        found = ServiceType.objects.filter(pk=int(text)).first()
    return found


class ChooseServiceForm(GovukForm):
    """Step one, by GET: which service, so the form can ask the right questions."""

    service = forms.ModelChoiceField(
        label="Which service does the person need?",
        queryset=ServiceType.objects.all(),
        to_field_name="code",
        empty_label="Choose a service",
        error_messages={"required": "Choose a service", "invalid_choice": "Choose a service"},
    )


class ServiceReferralForm(ReferralForm):
    """``ReferralForm`` with only the chosen service's amount questions (and, for a care home
    place, the bed type). Whether the amount is given is the service's to say (the same
    message on the web and the API), so none of these questions is required here."""

    bed_type = forms.ChoiceField(
        label="Kind of bed",
        required=False,  # the service asks for it, in the one message API and web share
        choices=[("", "Choose the kind of bed"), *BED_TYPES],
        help_text="As care homes report their vacancies (Capacity Tracker's bed types).",
    )

    def __init__(self, *args: Any, service: ServiceType | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            service = service_from(self.data.get("service_type")) or service
        if service is not None and not self.is_bound:
            self.initial["service_type"] = service.pk
        self.service = service
        unit = service.unit if service else None
        self.section_title = BY_UNIT[unit][0] if unit in BY_UNIT else ""
        keep = set(amount_fields(unit))
        for name in AMOUNT_FIELDS - keep:
            del self.fields[name]
        if "hours_per_week" in self.fields:
            self.fields["hours_per_week"].help_text = (
                "Quarters of an hour, like 7.5 or 10.25. Leave blank to take it from the calls "
                "a day and minutes a call (every day of the week)."
            )
        if "sessions_per_week" in self.fields:
            self.fields["sessions_per_week"].label = (
                "Nights a week" if unit == "night" else "Sessions a week"
            )
            self.fields["sessions_per_week"].help_text = ""
        if "band_level" in self.fields:
            field = self.fields["band_level"]
            field.choices = [("", "Choose the band"), *list(field.choices)[1:]]
            field.help_text = (
                "The band the social worker assessed. The person's care group (above) decides "
                "which providers and rooms fit."
            )

    @property
    def amount_questions(self) -> list[Any]:
        """The amount questions on this form (bound fields), in order, for the template."""
        return [self[name] for name in amount_fields(self.service.unit if self.service else None)]
