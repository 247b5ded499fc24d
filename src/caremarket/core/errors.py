"""The one error family every service raises, whatever the app.

A service that refuses a change raises one of these before it writes anything (or inside the
transaction it is about to roll back), with a message for the person who asked and, where one
field is at fault, that field's name. The web maps them in one place
(``core.forms.apply_error``: the GOV.UK error summary, on the field where the form has it);
the API maps them in one place (``caremarket.api.errors.exception_handler``: a 4xx with the
field). Nothing else catches them to build its own message. Whether a role may act at all is
``core.permissions``' question, answered before a service is called.

- ``Invalid`` (400): the input is wrong; ``errors`` maps each field at fault to its message.
- ``NotFound`` (404): there is no such record among those the user may see.
- ``Conflict`` (409): someone else got there first (already placed, already answered).
"""

from __future__ import annotations

from collections.abc import Mapping

NON_FIELD = "__all__"


class CaremarketError(Exception):
    """A rule stopped the change; nothing was changed. ``status`` is the HTTP status the API
    answers with; ``field`` names the field at fault, or is None for the whole request."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str, str]:
        """Field -> message (``NON_FIELD`` for a message about the whole request)."""
        return {self.field or NON_FIELD: self.message}


class Invalid(CaremarketError):
    """Bad input. Either one message (with the field it is about) or a mapping of every
    field at fault to its message, so a form shows them all at once."""

    status = 400

    def __init__(self, message: str | Mapping[str, str], field: str | None = None) -> None:
        if isinstance(message, Mapping):
            self.field_errors: dict[str, str] = dict(message)
            text = " ".join(self.field_errors.values()) or "The request is not valid."
            first = next(iter(self.field_errors), None)
            super().__init__(text, field if field is not None else first)
        else:
            self.field_errors = {}
            super().__init__(message, field)

    @property
    def errors(self) -> dict[str, str]:
        return self.field_errors or super().errors


class NotFound(CaremarketError):
    status = 404


class Conflict(CaremarketError):
    """Someone else got there first (the referral is already placed, the offer answered)."""

    status = 409


class DeadlinePassed(Conflict):
    """The offer's or competition's deadline has gone; the answer came too late."""
