"""Ending a tenancy: the person moves out on a date. The booking ends, the room is vacant
from that day (its void start date), and the service agreement the booking started ends
on the same day with the reason given.

The provider that cares for the room or the council that booked it may record it (each
knows when someone leaves). Locks are taken in the bookings' one order (referral, room,
booking); the agreement's row is locked by ``brokerage.services.agreements.end``. Saying
the same thing twice (same booking, same date, same reason) changes nothing and answers
with the booking as it is, so a double click or a retried API call is harmless.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from caremarket.bookings import rules
from caremarket.bookings.models import Booking
from caremarket.bookings.selectors import tenancy_in_force
from caremarket.brokerage.models import Referral, ServiceAgreement
from caremarket.brokerage.services import agreements
from caremarket.brokerage.services.common import notify, provider_addresses
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.supported_living import rules as room_rules
from caremarket.supported_living import services as rooms

NOT_SEEN = "No booking here that you can see."
END_REASONS = ServiceAgreement.EndReason


def _may_end(booking: Booking, scheme: Any, by: Any) -> bool:
    if access.is_platform(by):
        return True
    if access.is_provider(by):
        return scheme.care_provider_id == access.provider_id_of(by)
    return access.is_council(by) and booking.commissioner_id == access.commissioner_id_of(by)


@transaction.atomic
def end_tenancy(
    booking_id: int, *, by: Any, moved_out_on: date | None, reason: str, note: str = ""
) -> Booking:
    """The person moved out on ``moved_out_on``: end the booking, make the room vacant
    from that day and end the service agreement then, with ``reason`` (one of the
    agreement's end reasons). Refuses, changing nothing, a booking not confirmed, a date in
    the future or before the move-in, and a reason not on the list."""
    found = Booking.objects.filter(pk=booking_id).values("referral_id", "room_id").first()
    if found is None:
        raise NotFound(NOT_SEEN)
    Referral.objects.select_for_update(of=("self",)).filter(pk=found["referral_id"]).first()
    room = rooms.lock_room(found["room_id"])
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    scheme = room.property.scheme
    if not _may_end(booking, scheme, by):
        raise NotFound(NOT_SEEN)
    if booking.state == rules.ENDED and booking.moved_out_on is not None:
        if booking.moved_out_on == moved_out_on and booking.end_reason == reason:
            return booking  # said twice: nothing changes
        raise Conflict(f"This tenancy already ended on {booking.moved_out_on:%d %B %Y}.")
    if booking.state != rules.CONFIRMED:
        raise Conflict(
            f"Only a confirmed booking has a tenancy to end; this one is "
            f"{rules.STATE_LABELS[booking.effective_state()].lower()}."
        )
    errors: dict[str, str] = {}
    assert booking.move_in_date is not None  # a confirmed booking has one (constraint)
    today = clock.today()
    problem = rules.move_out_problem(moved_out_on, move_in=booking.move_in_date, today=today)
    if problem:
        errors["moved_out_on"] = problem
    if reason not in END_REASONS.values:
        errors["reason"] = "Choose why the tenancy ended."
    if errors:
        raise Invalid(errors)
    assert moved_out_on is not None
    label = END_REASONS(reason).label.lower()
    why = f"{booking.referral.reference} moved out on {moved_out_on:%d %B %Y} ({label})"
    if note.strip():
        why = f"{why}: {note.strip()}"
    booking.state, booking.moved_out_on, booking.end_reason = rules.ENDED, moved_out_on, reason
    booking.decided_by = by if getattr(by, "pk", None) else booking.decided_by
    booking.note = why[:400]
    booking.save()
    if room.status == room_rules.OCCUPIED:
        rooms.vacate(room, on=moved_out_on, by=by, reason=why)
    agreement = ServiceAgreement.objects.filter(award_id=booking.award_id).first()
    if agreement is not None and agreement.end_date is None:
        agreements.end(agreement.pk, by=by, end_date=moved_out_on, reason=reason)
    _tell(booking, scheme, by, why)
    return booking


def lives_here(room: Any) -> str | None:
    """Why a provider may not set ``room`` vacant or unavailable by hand: someone lives in
    it, and only ending the tenancy ends the service agreement too (and dates the move-out).
    Registered with ``supported_living.services.register_tenancy_check``."""
    booking = tenancy_in_force(room)
    if booking is None:
        return None
    return (
        f"{booking.referral.reference} lives in this room: end the tenancy from its booking "
        "(with the move-out date), so that the service agreement ends too."
    )


def _tell(booking: Booking, scheme: Any, by: Any, why: str) -> None:
    """The side that did not record it hears of it: the provider, or the broker who held
    the room."""
    subject = f"Tenancy ended: {booking.room}"
    if access.is_provider(by):
        if booking.held_by is not None:
            notify([booking.held_by.email], subject, why)
    elif scheme.care_provider is not None:
        notify(provider_addresses(scheme.care_provider), subject, why)
