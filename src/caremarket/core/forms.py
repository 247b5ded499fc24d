"""Forms that render as the GOV.UK Design System's markup, with no per-form templates.

Every widget gets the GOV.UK class for its kind, the error modifier when its field has an
error, and aria-describedby pointing at its hint and error message, so that screen readers
hear what sighted users see.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates

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


class GovukBoundField(forms.BoundField):
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
        if described and not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class GovukForm(forms.Form):
    bound_field_class = GovukBoundField
    default_renderer = GovukFormRenderer


class GovukModelForm(forms.ModelForm):
    bound_field_class = GovukBoundField
    default_renderer = GovukFormRenderer
