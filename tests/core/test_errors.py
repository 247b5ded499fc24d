"""The one error family (``core.errors``) and its two mappings: the web's
(``core.forms.apply_error``) and the API's (``caremarket.api.errors.exception_handler``)."""

from __future__ import annotations

from django import forms

from caremarket.api.errors import exception_handler
from caremarket.core.errors import NON_FIELD, Conflict, DeadlinePassed, Invalid, NotFound
from caremarket.core.forms import apply_error


class HoursForm(forms.Form):
    hours_per_week = forms.DecimalField()
    start_date = forms.DateField()


def test_one_message_names_its_field() -> None:
    error = Invalid("Give hours in quarters of an hour.", field="hours_per_week")
    assert (error.status, error.message, error.field) == (
        400,
        "Give hours in quarters of an hour.",
        "hours_per_week",
    )
    assert error.errors == {"hours_per_week": "Give hours in quarters of an hour."}


def test_many_fields_keep_every_message_and_name_the_first() -> None:
    error = Invalid({"start_date": "Too early.", "hours_per_week": "Too many."})
    assert error.errors == {"start_date": "Too early.", "hours_per_week": "Too many."}
    assert error.field == "start_date"
    assert error.message == "Too early. Too many."


def test_statuses() -> None:
    assert NotFound("x").status == 404
    assert Conflict("x").status == 409
    assert DeadlinePassed("x").status == 409 and isinstance(DeadlinePassed("x"), Conflict)
    assert Conflict("Already placed.").errors == {NON_FIELD: "Already placed."}


def test_the_web_puts_each_message_on_its_field_or_the_summary() -> None:
    form = HoursForm({"hours_per_week": "1", "start_date": "2026-12-01"})
    assert form.is_valid()
    apply_error(form, Invalid({"hours_per_week": "Too many.", "person": "Unknown person."}))
    assert form.errors["hours_per_week"] == ["Too many."]
    assert form.non_field_errors() == ["Unknown person."]  # the form has no "person" field


def test_the_api_answers_with_the_status_and_the_field() -> None:
    one = exception_handler(Conflict("Already placed."), {})
    assert one is not None and one.status_code == 409
    assert one.data == {"detail": "Already placed."}
    named = exception_handler(Invalid("Too many.", field="hours_per_week"), {})
    assert named is not None and named.status_code == 400
    assert named.data == {"detail": "Too many.", "field": "hours_per_week"}
    many = exception_handler(Invalid({"a": "A.", "b": "B."}), {})
    assert many is not None and many.status_code == 400
    assert many.data == {"a": "A.", "b": "B."}
    missing = exception_handler(NotFound("No referral here that you can see."), {})
    assert missing is not None and missing.status_code == 404
