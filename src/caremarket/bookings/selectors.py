"""Reads of room bookings, scoped to the acting user.

Council staff see their own commissioner's bookings; a provider sees the holds and bookings
on rooms in the schemes it cares for, as a summary (the referral's reference, postcode
district, band, group, needs and outcomes) until it confirms: only then do the person's
details reach it (``brokerage.selectors.person_for``, which logs each look, once the
confirmation has made the award to it).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from caremarket.bookings import rules
from caremarket.bookings.models import Booking, DirectPayment, HoldPolicy
from caremarket.brokerage.models import Person, Referral
from caremarket.brokerage.selectors import person_for, referrals_for
from caremarket.core import roles as access
from caremarket.core.errors import NotFound
from caremarket.core.roles import Actor
from caremarket.frameworks.models import Framework
from caremarket.supported_living.models import Room
from caremarket.supported_living.selectors import (
    Near,
    Vacancy,
    VacancyCriteria,
    location_of,
    vacancies,
)

SUPPORTED_LIVING = "supported-living"


def _scope(user: Actor) -> Q:
    if access.is_platform(user):
        return Q()
    if access.is_council(user):
        return Q(commissioner_id=access.commissioner_id_of(user))
    if access.is_provider(user):
        return Q(room__property__scheme__care_provider_id=access.provider_id_of(user))
    return Q(pk__in=[])


def bookings_for(user: Actor) -> QuerySet[Booking]:
    return Booking.objects.filter(_scope(user)).select_related(
        "room__property__scheme__care_provider",
        "room__property__zone",
        "referral__person",
        "referral__zone",
        "band",
        "group",
        "held_by",
        "award",
    )


def booking_for(user: Actor, pk: int) -> Booking:
    booking = bookings_for(user).filter(pk=pk).first()
    if booking is None:
        raise NotFound("No hold or booking here that you can see.")
    return booking


def holds_waiting(user: Actor, at: datetime) -> QuerySet[Booking]:
    """Holds still running: what a provider has to confirm or decline."""
    return bookings_for(user).holding(at).order_by("expires_at")


def person_seen_by(user: Actor, booking: Booking, where: str) -> Person | None:
    """The person's details, for council staff, and for the provider once it has confirmed
    (the confirmation's award is to it); None before then."""
    return person_for(user, booking.referral, where)


def referrals_to_house(user: Actor) -> QuerySet[Referral]:
    """The council's open supported living referrals with no live booking or direct
    payment: the people a broker or practitioner is finding a room for."""
    live = Booking.objects.filter(referral=OuterRef("pk"), state__in=rules.LIVE_STATES)
    return (
        referrals_for(user)
        .filter(
            service_type__code=SUPPORTED_LIVING, state__in=["submitted", "offered", "awaiting_care"]
        )
        .exclude(Exists(live))
        .exclude(room_direct_payment__isnull=False)
        .order_by("start_date", "pk")
    )


def referral_to_house(user: Actor, pk: int) -> Referral:
    referral = referrals_for(user).filter(pk=pk, service_type__code=SUPPORTED_LIVING).first()
    if referral is None:
        raise NotFound("No supported living referral here that you can see.")
    return referral


def tenancy_in_force(room: Room) -> Booking | None:
    """The confirmed booking of someone who still lives in ``room`` (its tenancy not
    ended), or None. Not scoped to a user: ``supported_living.services.set_status`` asks it,
    through the check this app registers, once it has found the room the user's own."""
    return (
        Booking.objects.filter(room=room, state=rules.CONFIRMED).select_related("referral").first()
    )


def hold_hours(framework: Framework | None) -> int:
    """The framework's hold time (``HoldPolicy``), 48 hours where it sets none."""
    policy = HoldPolicy.objects.filter(framework=framework).first() if framework else None
    return policy.hold_hours if policy else rules.DEFAULT_HOLD_HOURS


def search_for_referral(
    referral: Referral,
    at: datetime,
    *,
    group: str = "",
    zone_id: int | None = None,
    postcode: str = "",
    within_km: float = 10.0,
    needs: tuple[str, ...] = (),
    has_pets: bool = False,
    smokes: bool = False,
    gender: str = "",
    kind: str = "",
) -> list[Vacancy]:
    """Rooms that meet a referral: its commissioner's schemes on its framework that serve
    its band (and the group, zone or distance, accessibility and compatibility asked for).
    Raises ``Invalid`` on the postcode when it cannot be placed."""
    near = None
    if postcode.strip():
        lat, lon = location_of(referral.commissioner_id, postcode)
        near = Near(lat, lon, within_km)
    criteria = VacancyCriteria(
        commissioner_id=referral.commissioner_id,
        framework_id=referral.framework_id,
        band=referral.band.level if referral.band else "",
        group=group,
        zone_id=zone_id,
        near=near,
        needs=needs,
        has_pets=has_pets,
        smokes=smokes,
        gender=gender,
        kind=kind,
    )
    return vacancies(criteria, at)


def direct_payments_for(user: Actor) -> QuerySet[DirectPayment]:
    if access.is_provider(user):
        return DirectPayment.objects.none()
    scope = Q() if access.is_platform(user) else Q(commissioner_id=access.commissioner_id_of(user))
    return DirectPayment.objects.filter(scope).select_related("referral", "band", "room")
