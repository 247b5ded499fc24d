from __future__ import annotations

from django import forms

from caremarket.brokerage.services.errors import BrokerageError


def apply_error(form: forms.Form, error: BrokerageError) -> None:
    """Show a service's refusal on the form: on its field where it names one that exists."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
