"""Recording a day opportunity service's operating status: dated, one record a day per
service; the same status again for the same day changes nothing (idempotent), a different
one corrects the day's record and its history keeps what it said before."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.frameworks.models import Appointment
from caremarket.insight.models import DAY_SERVICE, DayServiceStatus, OperatingStatus
from caremarket.market.models import Commissioner

EARLIEST = date(2000, 1, 1)


@transaction.atomic
def record_status(
    commissioner: Commissioner,
    *,
    appointment_id: int,
    status: str,
    effective_from: date,
    note: str = "",
    by: Any = None,
) -> tuple[DayServiceStatus, bool]:
    """Record (or correct) the status of one of the commissioner's day opportunity services
    from a day. Returns the record and whether anything changed."""
    appointment = (
        Appointment.objects.filter(
            pk=appointment_id,
            lot__framework__commissioner=commissioner,
            lot__service_types__code=DAY_SERVICE,
        )
        .select_for_update(of=("self",))
        .first()
    )
    if appointment is None:
        raise Invalid("Choose one of your day opportunity services.", "appointment")
    if status not in OperatingStatus.values:
        raise Invalid("Choose open, reduced service, at risk or closed.", "status")
    if effective_from > clock.today():
        raise Invalid("The status can be recorded from today or an earlier day.", "effective_from")
    if effective_from < max(EARLIEST, appointment.appointed_on):
        raise Invalid(
            f"The service was appointed on {appointment.appointed_on:%-d %B %Y}: choose that "
            "day or later.",
            "effective_from",
        )
    note = note.strip()
    if len(note) > 240:
        raise Invalid("Keep the note to 240 characters.", "note")
    found = DayServiceStatus.objects.filter(
        appointment=appointment, effective_from=effective_from
    ).first()
    if found is not None and (found.status, found.note) == (status, note):
        return found, False
    if found is None:
        found = DayServiceStatus(
            commissioner=commissioner, appointment=appointment, effective_from=effective_from
        )
    found.status, found.note = status, note
    found.recorded_by, found.recorded_at = by, clock.now()
    found.save()
    return found, True
