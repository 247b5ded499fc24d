"""Who may use the Client Level Data page: merged into tests/test_access_matrix.py's MATRIX.
A commissioner (its own council only: another council's slug is a 404, tests/returns/
test_pages.py) and platform staff; every other role is refused, providers included."""

from __future__ import annotations

from tests.access_roles import FORBIDDEN, LOGIN, OK
from tests.conftest import ROLES

COMMISSIONER = dict.fromkeys(ROLES, FORBIDDEN) | {
    "anonymous": LOGIN,
    "commissioner": OK,
    "platform": OK,
}

MATRIX = {
    "returns:cld": (lambda: "/returns/cld/", COMMISSIONER),
}
