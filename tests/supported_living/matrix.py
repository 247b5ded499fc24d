"""Who may use each supported_living route: merged into tests/test_access_matrix.py's MATRIX.

url name -> (path function, expected status by role); the helpers and role maps are those of
tests/test_access_matrix.py (import them from tests.access_roles). The matrix's accounts are
Devon's; the records named are Staffordshire's, so Devon's staff and provider get 404.
"""

from __future__ import annotations

from collections.abc import Callable

from caremarket.supported_living.models import Room
from tests.access_roles import (
    API_POST_ONLY,
    API_SIGNED_IN,
    COUNCIL,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    PROVIDER_ONLY,
)
from tests.conftest import ROLES


def staffs_room() -> Room:
    return Room.objects.filter(property__scheme__commissioner__slug="staffordshire").order_by("pk")[
        0
    ]


SOMEONE_ELSES_ROOM = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "provider": NOT_FOUND}
API_ONLY_PLATFORM = {**dict.fromkeys(ROLES, NOT_FOUND), "anonymous": 401, "platform": OK}

MATRIX: dict[str, tuple[Callable[[], str], dict[str, int]]] = {
    "supported_living:overview": (lambda: "/supported-living/", COUNCIL),
    "supported_living:rooms": (lambda: "/supported-living/rooms/?show=available", COUNCIL),
    "supported_living:properties": (lambda: "/supported-living/properties/", COUNCIL),
    "supported_living:voids": (lambda: "/supported-living/voids/", COUNCIL),
    "supported_living:residents-import": (
        lambda: "/supported-living/residents/import/",
        {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "commissioner": OK, "platform": OK},
    ),
    "supported_living:my-rooms": (lambda: "/supported-living/my-rooms/", PROVIDER_ONLY),
    "supported_living:my-room": (
        lambda: f"/supported-living/my-rooms/{staffs_room().pk}/",
        SOMEONE_ELSES_ROOM,
    ),
    "api:sl-room-list": (lambda: "/api/v1/supported-living/rooms/", API_SIGNED_IN),
    "api:sl-room-detail": (
        lambda: f"/api/v1/supported-living/rooms/{staffs_room().pk}/",
        API_ONLY_PLATFORM,
    ),
    "api:sl-room-status": (
        lambda: f"/api/v1/supported-living/rooms/{staffs_room().pk}/status/",
        API_POST_ONLY,
    ),
    "api:sl-room-confirm": (
        lambda: f"/api/v1/supported-living/rooms/{staffs_room().pk}/confirm/",
        API_POST_ONLY,
    ),
}
