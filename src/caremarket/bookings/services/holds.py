"""Holding a room for a referral, and the provider's answer: confirm (the person moves in:
the award, the tenancy and a service agreement at the band's weekly rate) or decline (the
room is free again).

Every write locks rows in one order, the referral's, then the room's, then the booking's,
so that two callers never wait on each other in a circle; each re-reads what it found under
those locks before it writes. The partial unique constraints on ``Booking`` (one live
booking per room, one per referral) refuse a second even if a lock were ever missed, and
losers get a ``Conflict`` with one message (``rules.room_taken`` / ``rules.already_booked``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from caremarket.bookings import rules
from caremarket.bookings.models import Booking, DirectPayment
from caremarket.bookings.selectors import hold_hours
from caremarket.brokerage.models import Award, Competition, Referral
from caremarket.brokerage.routing import band_in_force
from caremarket.brokerage.services import competitions
from caremarket.brokerage.services.awards import record_award
from caremarket.brokerage.services.common import notify, provider_addresses
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.errors import Conflict, DeadlinePassed, Invalid, NotFound
from caremarket.engine.lifecycle import OPEN
from caremarket.engine.pricing import money
from caremarket.supported_living import rules as room_rules
from caremarket.supported_living import services as rooms
from caremarket.supported_living.models import Room, SupportGroup

NOT_SEEN = "No referral here that you can see."


def lock_referral(referral_id: int, by: Any) -> Referral:
    """The referral's row, locked, if it is the acting council's (or any, for platform)."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("framework", "band", "commissioner")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or not (
        access.is_platform(by) or referral.commissioner_id == access.commissioner_id_of(by)
    ):
        raise NotFound(NOT_SEEN)
    return referral


def tidy(room: Room | None, referral: Referral | None, now: datetime) -> None:
    """Under the locks: write down holds that ran out, and end a confirmed booking whose
    room the provider has since said is empty (the tenancy ended)."""
    scope = Q(pk__in=[])
    if room is not None:
        scope |= Q(room=room)
    if referral is not None:
        scope |= Q(referral=referral)
    Booking.objects.filter(scope).lapsed(now).update(state=rules.EXPIRED)
    if room is not None and room.status != room_rules.OCCUPIED:
        Booking.objects.filter(room=room, state=rules.CONFIRMED).update(state=rules.ENDED)


def refuse_if_booked(referral: Referral) -> None:
    live = Booking.objects.filter(referral=referral, state__in=rules.LIVE_STATES).exists()
    if live or DirectPayment.objects.filter(referral=referral).exists():
        raise Conflict(rules.already_booked(referral.reference))


def refuse_unless_open(referral: Referral) -> None:
    if referral.state not in OPEN:
        raise Conflict(
            f"{referral.reference} is {referral.get_state_display().lower()}: "
            "only an open referral can be given a room."
        )


def refuse_unless_free(room: Room, now: datetime) -> None:
    status = room.effective_status(now)
    if status == room_rules.OCCUPIED:
        raise Invalid("This room is occupied: choose a vacant room.", "room")
    if status == room_rules.UNAVAILABLE:
        raise Invalid(f"This room is unavailable ({room.unavailable_reason}).", "room")
    if status == room_rules.HELD:
        raise Conflict(rules.room_taken(), "room")


def _suitability(referral: Referral, room: Room, group: str) -> dict[str, str]:
    scheme = room.property.scheme
    if referral.band is None:
        return {"band": f"Record {referral.reference}'s band before holding a room."}
    if scheme.lot.framework_id != referral.framework_id:
        return {
            "room": "This room's scheme is outside the call-off for this referral: record a "
            "direct payment if the person chooses it."
        }
    if not scheme.serves_band(referral.band.level):
        return {"room": f"{scheme} does not serve the {referral.band.get_level_display()} band."}
    if group and not scheme.groups.filter(code=group).exists():
        return {"group": f"{scheme} does not serve group {group}."}
    if scheme.care_provider_id is None:
        return {"room": f"{scheme} has no care provider to confirm a booking yet."}
    return {}


@transaction.atomic
def hold(referral_id: int, room_id: int, *, by: Any, group: str = "", note: str = "") -> Booking:
    """Hold a room for a referral until the framework's hold time runs out (48 hours unless
    the framework sets its own), and tell the provider."""
    referral = lock_referral(referral_id, by)
    room = rooms.lock_room(room_id)
    scheme = room.property.scheme
    if scheme.commissioner_id != referral.commissioner_id:
        raise NotFound("No room here that you can see.")
    now = clock.now()
    tidy(room, referral, now)
    refuse_unless_open(referral)
    refuse_if_booked(referral)
    refuse_unless_free(room, now)
    problem = _suitability(referral, room, group.strip())
    if problem:
        raise Invalid(problem)
    expires = rules.hold_expires_at(now, hold_hours(referral.framework))
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                commissioner_id=referral.commissioner_id,
                room=room,
                referral=referral,
                group=SupportGroup.objects.filter(
                    commissioner_id=referral.commissioner_id, code=group.strip()
                ).first(),
                band=referral.band,
                held_at=now,
                held_by=by if getattr(by, "pk", None) else None,
                expires_at=expires,
                note=note.strip()[:400],
            )
    except IntegrityError as exc:  # the database's own guard, should a lock be missed
        raise Conflict(rules.room_taken(), "room") from exc
    rooms.hold(room, until=expires, by=by, reason=f"Held for {referral.reference}")
    notify(
        provider_addresses(scheme.care_provider),
        f"{room} is held for {referral.reference}",
        f"Please confirm or decline by {clock.local(expires):%H:%M on %d %B %Y}. The "
        "person's details are shared once you confirm.",
    )
    return booking


def _lock_answer(booking_id: int, by: Any) -> tuple[Referral, Room, Booking]:
    """Lock, in order, the referral's open call-off competition (if any: awarding one
    locks it before the referral, so this must too), the referral, the room and the
    booking a provider is answering."""
    found = Booking.objects.filter(pk=booking_id).values("referral_id", "room_id").first()
    if found is None:
        raise NotFound("No hold here that you can see.")
    list(
        Competition.objects.select_for_update()
        .filter(referral_id=found["referral_id"], status=Competition.Status.OPEN)
        .values_list("pk", flat=True)
    )
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("framework", "band")
        .get(pk=found["referral_id"])
    )
    room = rooms.lock_room(found["room_id"])
    mine = access.is_provider(by) and (
        room.property.scheme.care_provider_id == access.provider_id_of(by)
    )
    if not (mine or access.is_platform(by)):
        raise NotFound("No hold here that you can see.")
    return referral, room, Booking.objects.select_for_update().get(pk=booking_id)


def _refuse_unless_held(booking: Booking, now: datetime) -> None:
    state = booking.effective_state(now)
    if state == rules.EXPIRED:
        raise DeadlinePassed(
            f"This hold ran out at {clock.local(booking.expires_at):%H:%M on %d %B %Y}; "
            "the room is free again."
        )
    if state != rules.HELD:
        raise Conflict(f"This hold is already {rules.STATE_LABELS[state].lower()}.")


@transaction.atomic
def confirm(booking_id: int, *, by: Any, move_in_date: date | None) -> Booking:
    """The provider confirms: the person moves in on the date, the referral is awarded to
    the provider, and its service agreement starts then at the band's weekly rate in force
    on that date (``brokerage.services.awards.record_award``)."""
    referral, room, booking = _lock_answer(booking_id, by)
    now = clock.now()
    _refuse_unless_held(booking, now)
    problem = rules.move_in_problem(move_in_date, clock.today())
    if problem:
        raise Invalid(problem, "move_in_date")
    assert move_in_date is not None
    band = band_in_force(booking.band, move_in_date)
    rate = money(band.weekly_rate)
    scheme = room.property.scheme
    provider = scheme.care_provider
    reason = (
        f"{room} at {scheme} confirmed by {provider} for a move-in on {move_in_date:%d %B %Y}: "
        f"a tenancy with {room.property.landlord} and care at the "
        f"{band.get_level_display().lower()} band's weekly rate."
    )
    award = Award(
        commissioner_id=referral.commissioner_id,
        referral=referral,
        provider=provider,
        delivering_provider=provider,
        route=referral.route,
        rule=rules.ROOM_BOOKING_RULE,
        reason=reason,
        public_reason=reason,
        unit="week",
        unit_price=rate,
    )
    record_award(award, units=Decimal("1"), by=by, schemes=[scheme], start=move_in_date)
    booking.state, booking.award = rules.CONFIRMED, award
    booking.move_in_date, booking.weekly_rate = move_in_date, rate
    booking.decided_at, booking.decided_by = now, by if getattr(by, "pk", None) else None
    booking.save()
    rooms.occupy(room, on=move_in_date, by=by, reason=f"{referral.reference} moves in")
    _withdraw_competition(referral, room, by)
    if booking.held_by:
        notify([booking.held_by.email], f"{referral.reference} has a room", reason)
    return booking


def _withdraw_competition(referral: Referral, room: Room, by: Any) -> None:
    """The person has a room, so the call-off competition for them (if one is open) is
    withdrawn, with the reason every invited provider is told; the bids are kept."""
    open_one = Competition.objects.filter(referral=referral, status=Competition.Status.OPEN).first()
    if open_one is not None:
        competitions.withdraw_competition(
            open_one.pk,
            by=by,
            reason=f"{referral.reference} has been given a room ({room}): its booking was "
            "confirmed, so this call-off is no longer needed.",
        )


@transaction.atomic
def decline(booking_id: int, *, by: Any, reason: str) -> Booking:
    """The provider declines, with its reason; the room is free again at once."""
    referral, room, booking = _lock_answer(booking_id, by)
    now = clock.now()
    _refuse_unless_held(booking, now)
    if not reason.strip():
        raise Invalid("Say why you are declining this hold.", "reason")
    booking.state, booking.decline_reason = rules.DECLINED, reason.strip()[:400]
    booking.decided_at, booking.decided_by = now, by if getattr(by, "pk", None) else None
    booking.save()
    rooms.free(room, by=by, reason=f"Hold for {referral.reference} declined")
    if booking.held_by:
        notify(
            [booking.held_by.email],
            f"{room} declined for {referral.reference}",
            f"The provider said: {booking.decline_reason}",
        )
    return booking
