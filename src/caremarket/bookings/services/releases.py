"""Releasing rooms: a broker withdraws a hold, the worker writes down holds that ran out,
and a person who chooses a room outside the call-off gets a direct payment at the band's
weekly rate instead of a booking (seed 004, paragraph 18: self-directed support)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from caremarket.bookings import rules
from caremarket.bookings.models import Booking, DirectPayment
from caremarket.bookings.services.holds import (
    lock_referral,
    refuse_if_booked,
    refuse_unless_free,
    tidy,
)
from caremarket.brokerage.models import Award, Referral
from caremarket.brokerage.routing import band_in_force
from caremarket.brokerage.services import referrals as referral_services
from caremarket.brokerage.services.common import notify, provider_addresses
from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.engine.lifecycle import OPEN
from caremarket.engine.pricing import money
from caremarket.supported_living import rules as room_rules
from caremarket.supported_living import services as rooms


@transaction.atomic
def withdraw(booking_id: int, *, by: Any, reason: str = "") -> Booking:
    """The broker lets a hold go before the provider answers; the room is free again."""
    found = Booking.objects.filter(pk=booking_id).values("referral_id", "room_id").first()
    if found is None:
        raise NotFound("No hold here that you can see.")
    referral = lock_referral(found["referral_id"], by)
    room = rooms.lock_room(found["room_id"])
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    if booking.effective_state(clock.now()) != rules.HELD:
        raise Conflict(f"This hold is already {booking.state_label.lower()}.")
    booking.state, booking.note = rules.WITHDRAWN, (reason.strip() or booking.note)[:400]
    booking.decided_at, booking.decided_by = clock.now(), by if getattr(by, "pk", None) else None
    booking.save()
    rooms.free(room, by=by, reason=f"Hold for {referral.reference} withdrawn")
    scheme = room.property.scheme
    if scheme.care_provider is not None:
        notify(
            provider_addresses(scheme.care_provider),
            f"{room} is no longer held",
            f"The council withdrew the hold for {referral.reference}.",
        )
    return booking


def release_for_award(award: Award) -> int:
    """An award placed the referral some other way (a call-off competition, an offer, a
    spot purchase): let go of its room hold, with the reason, and tell the provider. Runs
    in the award's transaction (``post_save`` of ``Award``, connected in ``apps``), which
    holds the referral's lock; the room's and booking's are taken after it, in the usual
    order. Returns how many holds were released (0 or 1)."""
    if award.referral_id is None or award.rule == rules.ROOM_BOOKING_RULE:
        return 0
    released = 0
    for pk, room_id in Booking.objects.filter(
        referral_id=award.referral_id, state=rules.HELD
    ).values_list("pk", "room_id"):
        room = rooms.lock_room(room_id)
        booking = Booking.objects.select_for_update().get(pk=pk)
        if booking.state != rules.HELD:
            continue
        how = f"competition {award.competition.reference}" if award.competition_id else "an award"
        why = f"{award.referral.reference} was placed through {how}: the hold is released."
        booking.state, booking.note = rules.WITHDRAWN, why[:400]
        booking.decided_at = clock.now()
        booking.save()
        if room.status == room_rules.HELD:
            rooms.free(room, by=None, reason=why)
        scheme = room.property.scheme
        if scheme.care_provider is not None:
            notify(provider_addresses(scheme.care_provider), f"{room} is no longer held", why)
        released += 1
    return released


def on_award_saved(sender: Any, instance: Award, created: bool, **kwargs: Any) -> None:
    if created:
        release_for_award(instance)


def expire_lapsed() -> int:
    """The worker's job: write down holds that ran out and free their rooms. Only makes it
    visible sooner; every read already treats them as expired (``rules.effective_state``)."""
    now = clock.now()
    done = 0
    for pk, referral_id, room_id in Booking.objects.lapsed(now).values_list(
        "pk", "referral_id", "room_id"
    )[:500]:
        with transaction.atomic():
            Referral.objects.select_for_update(of=("self",)).filter(pk=referral_id).first()
            room = rooms.lock_room(room_id)
            booking = Booking.objects.select_for_update().get(pk=pk)
            if booking.effective_state(now) != rules.EXPIRED or booking.state != rules.HELD:
                continue
            booking.state = rules.EXPIRED
            booking.save(update_fields=["state"])
            if room.status == room_rules.HELD and room.held_until and room.held_until <= now:
                rooms.free(room, by=None, reason="Hold ran out")
            if booking.held_by:
                notify(
                    [booking.held_by.email],
                    f"The hold on {room} ran out",
                    "The provider did not answer in time; the room is free again.",
                )
            done += 1
    return done


@transaction.atomic
def record_direct_payment(
    referral_id: int,
    *,
    by: Any,
    where: str,
    start_date: date | None,
    room_id: int | None = None,
    care_bought_from: str = "",
) -> DirectPayment:
    """The person chooses a room outside the call-off and buys their own care: a direct
    payment at the band's weekly rate on the start date. The referral is closed with that
    reason (it will not be sourced); a room listed here becomes occupied."""
    referral = lock_referral(referral_id, by)
    room = rooms.lock_room(room_id) if room_id else None
    now = clock.now()
    if room is not None and room.property.scheme.commissioner_id != referral.commissioner_id:
        raise NotFound("No room here that you can see.")
    tidy(room, referral, now)
    if referral.state not in OPEN:
        raise Conflict(f"{referral.reference} is not open, so it cannot be given a room.")
    refuse_if_booked(referral)
    errors: dict[str, str] = {}
    if referral.band is None:
        errors["band"] = f"Record {referral.reference}'s band first: the payment is its rate."
    if not where.strip():
        errors["where"] = "Say which scheme or address the person chose."
    problem = rules.move_in_problem(start_date, clock.today())
    if problem:
        errors["start_date"] = problem.replace("move-in date", "start date")
    if errors:
        raise Invalid(errors)
    if room is not None:
        refuse_unless_free(room, now)
    assert start_date is not None and referral.band is not None
    rate = money(band_in_force(referral.band, start_date).weekly_rate)
    try:
        with transaction.atomic():
            payment = DirectPayment.objects.create(
                commissioner_id=referral.commissioner_id,
                referral=referral,
                band=referral.band,
                weekly_amount=rate,
                start_date=start_date,
                room=room,
                where=where.strip()[:240],
                care_bought_from=care_bought_from.strip()[:160],
                recorded_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError as exc:
        raise Conflict(rules.already_booked(referral.reference)) from exc
    if room is not None:
        rooms.occupy(room, on=start_date, by=by, reason=f"{referral.reference}: direct payment")
    referral_services.cancel(
        referral,
        by=by,
        reason=f"Self-directed support: a direct payment of £{rate} a week (the band's rate) "
        f"from {start_date:%d %B %Y}, for {payment.where}.",
    )
    return payment
