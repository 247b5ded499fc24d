"""Who may use each route added in issue 15 (Open Referral UK, two-factor sign-in): merged into
tests/test_access_matrix.py's MATRIX. The feed is public: every role reads it; an id that
names nothing is 404 for everyone."""

from __future__ import annotations

from caremarket.directory import oruk
from tests.access_roles import ANY, SIGNED_IN
from tests.conftest import ROLES

NOBODY = "00000000-0000-0000-0000-000000000000"
MISSING = dict.fromkeys(ROLES, 404)

MATRIX = {
    # accounts (issue 15): the second step of signing in (TWO_FACTOR_REQUIRED is off in tests)
    "accounts:two-factor": (lambda: "/sign-in/two-factor/", SIGNED_IN),
    "api:oruk-taxonomy": (
        lambda: f"/api/oruk/taxonomies/{oruk.oid('taxonomy', 'care-group')}",
        ANY,
    ),
    "api:oruk-taxonomy-term": (lambda: f"/api/oruk/taxonomy_terms/{NOBODY}", MISSING),
    "api:oruk-service-at-locations": (lambda: "/api/oruk/service_at_locations", ANY),
    "api:oruk-service-at-location": (lambda: f"/api/oruk/service_at_locations/{NOBODY}", MISSING),
    "api:oruk-organizations": (lambda: "/api/oruk/organizations", ANY),
    "api:oruk-organization": (lambda: f"/api/oruk/organizations/{NOBODY}", MISSING),
}
