"""Forms that render as the GOV.UK Design System's markup, with no per-form templates.

Every widget gets the GOV.UK class for its kind, the error modifier when its field has an
error, and aria-describedby pointing at its hint and error message, so that screen readers
hear what sighted users see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates

from caremarket.core.errors import CaremarketError

_WIDGET_CLASSES: dict[type[forms.Widget], tuple[str, str]] = {
    forms.Textarea: ("govuk-textarea", "govuk-textarea--error"),
    forms.Select: ("govuk-select", "govuk-select--error"),
    forms.NumberInput: ("govuk-input govuk-input--width-5", "govuk-input--error"),
    forms.DateInput: ("govuk-input govuk-input--width-10", "govuk-input--error"),
    forms.PasswordInput: ("govuk-input govuk-input--width-20", "govuk-input--error"),
    forms.TextInput: ("govuk-input", "govuk-input--error"),
    forms.EmailInput: ("govuk-input", "govuk-input--error"),
}


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three boxes."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget
    default_error_messages = {
        "required": "Enter a date",
        "invalid": "Enter a real date, like 27 3 2027",
        "incomplete": "Enter a day, a month and a year",
    }

    def __init__(self, **kwargs: Any) -> None:
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        if not all(data_list):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            parts = [str(part).strip() for part in data_list]
            if any(len(part) > 4 for part in parts):  # a 20-digit year overflows dt.date
                raise ValueError
            day, month, year = (int(part) for part in parts)
            if year < 1900:
                raise ValueError
            return dt.date(year, month, day)
        except (ValueError, OverflowError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class GovukBoundField(forms.BoundField):
    @property
    def date_parts(self) -> list[str]:
        value = self.value()
        if isinstance(value, dt.date):
            value = [value.day, value.month, value.year]
        if not isinstance(value, list | tuple):
            value = [None, None, None]
        return ["" if v is None else str(v) for v in (list(value) + [None] * 3)[:3]]

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        for kind, (base, error) in _WIDGET_CLASSES.items():
            if isinstance(widget, kind):
                classes = [attrs.get("class", widget.attrs.get("class", base)) or base]
                if self.errors:
                    classes.append(error)
                attrs["class"] = " ".join(classes)
                break
        described = []
        if self.help_text:
            described.append(f"{self.auto_id}-hint")
        if self.errors:
            described.append(f"{self.auto_id}-error")
        if described and not isinstance(
            widget, forms.RadioSelect | forms.CheckboxSelectMultiple | GovukDateWidget
        ):
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class GovukForm(forms.Form):
    bound_field_class = GovukBoundField
    default_renderer = GovukFormRenderer


def apply_error(form: forms.Form, error: CaremarketError) -> None:
    """The web's one mapping of a service's refusal: each message on its field where the form
    has that field, otherwise in the error summary for the whole form."""
    for field, message in error.errors.items():
        form.add_error(field if field in form.fields else None, message)
