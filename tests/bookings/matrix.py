"""Who may use each bookings route: merged into tests/test_access_matrix.py's MATRIX.

url name -> (path function, expected status by role); the helpers and role maps are those of
tests/test_access_matrix.py (import them from tests.access_roles). The matrix's accounts are
Devon's; the referral and booking named are Staffordshire's (the demo's hold), so Devon's
staff and provider get 404 where their role may use the page at all.
"""

from __future__ import annotations

from collections.abc import Callable

from caremarket.bookings.models import Booking
from caremarket.brokerage.models import Referral
from tests.access_roles import (
    API_POST_ONLY,
    API_SIGNED_IN,
    BROKER,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    PROVIDER_ONLY,
)
from tests.conftest import ROLES


def staffs_referral() -> Referral:
    return Referral.objects.filter(
        commissioner__slug="staffordshire", service_type__code="supported-living"
    ).order_by("pk")[0]


def staffs_booking() -> Booking:
    return Booking.objects.filter(commissioner__slug="staffordshire").order_by("pk")[0]


RAISERS_HERE = BROKER | {"practitioner": OK}
SOMEONE_ELSES_REFERRAL = RAISERS_HERE | {"broker": NOT_FOUND, "practitioner": NOT_FOUND}
SOMEONE_ELSES_BOOKING = {
    **dict.fromkeys(ROLES, NOT_FOUND),
    "anonymous": LOGIN,
    "provider": FORBIDDEN,
    "platform": OK,
}
SOMEONE_ELSES_HOLD = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "provider": NOT_FOUND}
API_ONLY_PLATFORM = {**dict.fromkeys(ROLES, NOT_FOUND), "anonymous": 401, "platform": OK}
API_VACANCIES = {
    **dict.fromkeys(ROLES, FORBIDDEN),
    "anonymous": 401,
    "broker": NOT_FOUND,
    "practitioner": NOT_FOUND,
    "platform": OK,
}

MATRIX: dict[str, tuple[Callable[[], str], dict[str, int]]] = {
    "bookings:find": (lambda: "/bookings/", RAISERS_HERE),
    "bookings:search": (
        lambda: f"/bookings/referrals/{staffs_referral().pk}/rooms/?zone=",
        SOMEONE_ELSES_REFERRAL,
    ),
    "bookings:direct-payment": (
        lambda: f"/bookings/referrals/{staffs_referral().pk}/direct-payment/",
        SOMEONE_ELSES_REFERRAL,
    ),
    "bookings:booking": (lambda: f"/bookings/{staffs_booking().pk}/", SOMEONE_ELSES_BOOKING),
    "bookings:holds": (lambda: "/bookings/holds/", PROVIDER_ONLY),
    "bookings:hold": (lambda: f"/bookings/holds/{staffs_booking().pk}/", SOMEONE_ELSES_HOLD),
    "api:room-booking-list": (lambda: "/api/v1/bookings/", API_SIGNED_IN),
    "api:room-booking-detail": (
        lambda: f"/api/v1/bookings/{staffs_booking().pk}/",
        API_ONLY_PLATFORM,
    ),
    "api:room-booking-end": (
        lambda: f"/api/v1/bookings/{staffs_booking().pk}/end/",
        API_POST_ONLY,
    ),
    "api:room-hold-list": (lambda: "/api/v1/bookings/holds/", API_SIGNED_IN),
    "api:room-hold-detail": (
        lambda: f"/api/v1/bookings/holds/{staffs_booking().pk}/",
        API_ONLY_PLATFORM,
    ),
    **{
        f"api:room-hold-{verb}": (
            lambda verb=verb: f"/api/v1/bookings/holds/{staffs_booking().pk}/{verb}/",
            API_POST_ONLY,
        )
        for verb in ("confirm", "decline", "withdraw")
    },
    "api:room-vacancy-list": (
        lambda: f"/api/v1/bookings/vacancies/?referral={staffs_referral().pk}",
        API_VACANCIES,
    ),
}
