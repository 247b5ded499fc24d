"""Who may use the audit pages: merged into tests/test_access_matrix.py's MATRIX.
The audit trail is the commissioner's (and platform staff's); the personal-data access log
is the data protection officer's only (a Django permission through a group, which no
account in the matrix holds but the platform administrator)."""

from __future__ import annotations

from tests.access_roles import FORBIDDEN, LOGIN, OK
from tests.conftest import ROLES

COMMISSIONER = dict.fromkeys(ROLES, FORBIDDEN) | {
    "anonymous": LOGIN,
    "commissioner": OK,
    "platform": OK,
}
DPO = dict.fromkeys(ROLES, FORBIDDEN) | {"anonymous": LOGIN, "platform": OK}

MATRIX = {
    "audit:trail": (lambda: "/audit/", COMMISSIONER),
    "audit:access-log": (lambda: "/audit/personal-data/", DPO),
}
