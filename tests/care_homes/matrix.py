"""Who may use each care_homes route: merged into tests/test_access_matrix.py's MATRIX.

url name -> (path function, expected status by role); the helpers and role maps are those of
tests/test_access_matrix.py (import them from tests.access_roles).

The matrix's provider is provider.devon, which has no care home: its own pages are empty for
it, and a Devon home's pages are not found (404), as any other provider's would be.
"""

from __future__ import annotations

from collections.abc import Callable

from caremarket.care_homes.models import CareHome, VacancyReturn
from tests.access_roles import (
    API_SIGNED_IN,
    BROKER,
    COUNCIL,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    PROVIDER_ONLY,
    UNAUTHENTICATED,
)
from tests.conftest import ROLES


def devon_home() -> CareHome:
    return CareHome.objects.filter(zone__commissioner__slug="devon").order_by("pk").first()


def devon_return() -> VacancyReturn:
    return VacancyReturn.objects.filter(care_home=devon_home()).order_by("pk").first()


RETURNERS = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN}
RETURNERS |= {"provider": OK, "commissioner": OK, "platform": OK}
SOMEONE_ELSES_HOME = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN}
SOMEONE_ELSES_HOME |= {"provider": NOT_FOUND}
API_DEVON_RECORD = {**API_SIGNED_IN, "provider": NOT_FOUND, "anonymous": UNAUTHENTICATED}

MATRIX: dict[str, tuple[Callable[[], str], dict[str, int]]] = {
    "care_homes:market": (lambda: "/care-homes/", COUNCIL),
    "care_homes:bed-search": (
        lambda: "/care-homes/beds/?bed_type=general_nursing&postcode=EX4+1AA",
        BROKER | {"practitioner": OK},
    ),
    "care_homes:upload": (lambda: "/care-homes/returns/upload/", RETURNERS),
    "care_homes:my-homes": (lambda: "/care-homes/mine/", PROVIDER_ONLY),
    "care_homes:my-home": (lambda: f"/care-homes/mine/{devon_home().pk}/", SOMEONE_ELSES_HOME),
    "care_homes:return-form": (
        lambda: f"/care-homes/mine/{devon_home().pk}/return/",
        SOMEONE_ELSES_HOME,
    ),
    "api:care-homes-home-list": (lambda: "/api/v1/care-homes/homes/", API_SIGNED_IN),
    "api:care-homes-home-detail": (
        lambda: f"/api/v1/care-homes/homes/{devon_home().pk}/",
        API_DEVON_RECORD,
    ),
    "api:care-homes-return-list": (lambda: "/api/v1/care-homes/returns/", API_SIGNED_IN),
    "api:care-homes-return-detail": (
        lambda: f"/api/v1/care-homes/returns/{devon_return().pk}/",
        API_DEVON_RECORD,
    ),
}
