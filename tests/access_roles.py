"""The expected-status maps the access matrices share (tests/test_access_matrix.py and each
app's tests/<app>/matrix.py): status by role for a kind of route."""

from __future__ import annotations

from tests.conftest import ROLES

OK, LOGIN, FORBIDDEN, REDIRECT, MOVED, UNAUTHENTICATED = 200, 302, 403, 302, 301, 401
ANY = dict.fromkeys(ROLES, OK)
SIGNED_IN = {**ANY, "anonymous": LOGIN}
COUNCIL = {**SIGNED_IN, "provider": FORBIDDEN}
PROVIDER_ONLY = dict.fromkeys(ROLES, FORBIDDEN) | {"anonymous": LOGIN, "provider": OK}
BROKER = dict.fromkeys(ROLES, FORBIDDEN) | {"anonymous": LOGIN, "broker": OK, "platform": OK}
RAISERS = BROKER | {"practitioner": OK, "platform": REDIRECT}  # a platform admin has no council
NOT_FOUND = 404
COUNCIL_RECORD = {**COUNCIL, "provider": FORBIDDEN}
SOMEONE_ELSES = {**SIGNED_IN, "provider": NOT_FOUND}  # council sees; another provider: 404
STAFFS_ONLY = {**dict.fromkeys(ROLES, NOT_FOUND), "anonymous": LOGIN, "platform": OK}
METHOD_NOT_ALLOWED = 405
API_POST_ONLY = {**dict.fromkeys(ROLES, METHOD_NOT_ALLOWED), "anonymous": 401}
API_SIGNED_IN = {**ANY, "anonymous": UNAUTHENTICATED}
API_COUNCIL = {**API_SIGNED_IN, "provider": FORBIDDEN}
