"""Who may use each insight route: merged into tests/test_access_matrix.py's MATRIX.

url name -> (path function, expected status by role); the helpers and role maps are those of
tests/test_access_matrix.py (import them from tests.access_roles).

The dashboard and the records behind it are council pages (a platform administrator picks a
commissioner); set-up and writing are the commissioner's; statements are listed for every
signed-in user, and a provider sees the published ones (the demo's are published).
"""

from __future__ import annotations

from collections.abc import Callable

from caremarket.insight.models import Statement
from tests.access_roles import (
    API_SIGNED_IN,
    COUNCIL,
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    OK,
    SIGNED_IN,
)
from tests.conftest import ROLES

COMMISSIONER = dict.fromkeys(ROLES, FORBIDDEN) | {
    "anonymous": LOGIN,
    "commissioner": OK,
    "platform": OK,
}
PUBLISH = COMMISSIONER | {"commissioner": METHOD_NOT_ALLOWED, "platform": METHOD_NOT_ALLOWED}


def devon_statement() -> Statement:
    return Statement.objects.filter(commissioner__slug="devon").order_by("pk").first()


def statement_path(suffix: str = "") -> Callable[[], str]:
    return lambda: f"/statements/{devon_statement().pk}/{suffix}"


MATRIX: dict[str, tuple[Callable[[], str], dict[str, int]]] = {
    "insight:dashboard": (lambda: "/sufficiency/", COUNCIL),
    "insight:packages": (lambda: "/sufficiency/packages/?zone=1", COUNCIL),
    "insight:awaiting": (lambda: "/sufficiency/awaiting/?zone=4", COUNCIL),
    "insight:day-services": (lambda: "/sufficiency/day-opportunities/", COUNCIL),
    "insight:replacement-care": (lambda: "/sufficiency/replacement-care/", COUNCIL),
    "insight:projections": (lambda: "/sufficiency/projections/", COUNCIL),
    "insight:rates": (lambda: "/sufficiency/rates/", COMMISSIONER),
    "insight:parameters": (lambda: "/sufficiency/parameters/", COMMISSIONER),
    "insight:upload": (lambda: "/sufficiency/imports/", COMMISSIONER),
    "insight:statements": (lambda: "/statements/", SIGNED_IN),
    "insight:statement": (statement_path(), SIGNED_IN),
    "insight:statement-edit": (statement_path("edit/"), COMMISSIONER),
    "insight:action-new": (statement_path("actions/new/"), COMMISSIONER),
    "insight:action-edit": (
        lambda: (
            f"/statements/{devon_statement().pk}/actions/{devon_statement().actions.first().pk}/"
        ),
        COMMISSIONER,
    ),
    "insight:statement-publish": (statement_path("publish/"), PUBLISH),
    "api:insight-statement-list": (lambda: "/api/v1/sufficiency/statements/", API_SIGNED_IN),
    "api:insight-statement-detail": (
        lambda: f"/api/v1/sufficiency/statements/{devon_statement().pk}/",
        API_SIGNED_IN,
    ),
}
