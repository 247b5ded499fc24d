"""Entry-point writes that also tell someone: the outcome letter's notice to the provider.
The rules are the frameworks' (``frameworks.services.entry``); notices are brokerage's
outbox, which sits above frameworks, so the telling is done here."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from caremarket.brokerage.services.common import notify, provider_addresses
from caremarket.frameworks.models import Application
from caremarket.frameworks.services import entry


@transaction.atomic
def decide_outcome(application_id: int, *, by: Any, feedback: str) -> Application:
    application = entry.decide_outcome(application_id, by=by, feedback=feedback)
    word = "successful" if application.status == Application.Status.SUCCESSFUL else "unsuccessful"
    start = ""
    if application.appointment is not None:
        start = f" Your appointment starts on {application.appointment.appointed_on:%d %B %Y}."
    notify(
        provider_addresses(application.provider),
        f"Your application to {application.lot.framework}: {word}",
        f"{application.outcome_feedback}{start} Your outcome letter is on caremarket.",
    )
    return application
