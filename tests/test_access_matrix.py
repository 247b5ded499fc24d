"""Every page and API endpoint, for every role: allowed or refused as it should be.

The matrix is checked against the URL map, so a new route without a line here fails the
suite: nobody can add a page without saying who may see it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from caremarket.frameworks.models import Appointment, Framework
from caremarket.market.models import Zone
from caremarket.providers.models import Provider
from tests.conftest import ACCOUNT_FOR_ROLE, ROLES

pytestmark = pytest.mark.django_db

OK, LOGIN, FORBIDDEN, REDIRECT, MOVED, UNAUTHENTICATED = 200, 302, 403, 302, 301, 401
ANY = dict.fromkeys(ROLES, OK)
SIGNED_IN = {**ANY, "anonymous": LOGIN}
COUNCIL = {**SIGNED_IN, "provider": FORBIDDEN}
PROVIDER_ONLY = dict.fromkeys(ROLES, FORBIDDEN) | {"anonymous": LOGIN, "provider": OK}
API_SIGNED_IN = {**ANY, "anonymous": UNAUTHENTICATED}
API_COUNCIL = {**API_SIGNED_IN, "provider": FORBIDDEN}


def si() -> Framework:
    return Framework.objects.get(slug="supporting-independence")


def si_provider() -> Provider:
    """The organisation of provider.devon, the provider account the matrix signs in as."""
    return Provider.objects.get(users__username="provider.devon")


# url name -> (path, expected status by role). Paths are functions: they read the demo data.
MATRIX: dict[str, tuple[Callable[[], str], dict[str, int]]] = {
    "home:home": (lambda: "/", ANY),
    "home:dashboard": (lambda: "/home/", ANY),
    "accounts:sign-in": (lambda: "/sign-in/", {**dict.fromkeys(ROLES, REDIRECT), "anonymous": OK}),
    "accounts:sign-out": (lambda: "/sign-out/", ANY),
    "market:zones": (lambda: "/zones/", COUNCIL),
    "frameworks:list": (lambda: "/frameworks/", SIGNED_IN),
    "frameworks:detail": (lambda: f"/frameworks/{si().pk}/", SIGNED_IN),
    "frameworks:lot": (lambda: f"/lots/{si().lots.get(number=2).pk}/", SIGNED_IN),
    "providers:list": (lambda: "/providers/", COUNCIL),
    "providers:detail": (lambda: f"/providers/{si_provider().pk}/", COUNCIL),
    "providers:mine": (lambda: "/my-organisation/", PROVIDER_ONLY),
    "directory:search": (lambda: "/directory/?postcode=EX39+1AB", ANY),
    "directory:open-data": (lambda: "/directory/open-data/", ANY),
    "directory:provider": (lambda: f"/directory/{si_provider().slug}/", ANY),
    "api:api-root": (lambda: "/api/v1/", API_SIGNED_IN),
    "api:zone-list": (lambda: "/api/v1/zones/", API_COUNCIL),
    "api:zone-detail": (
        lambda: f"/api/v1/zones/{Zone.objects.get(commissioner__slug='devon', number=1).pk}/",
        API_COUNCIL,
    ),
    "api:zone-lookup": (lambda: "/api/v1/zones/lookup/?postcode=ex391ab", API_COUNCIL),
    "api:framework-list": (lambda: "/api/v1/frameworks/", API_SIGNED_IN),
    "api:framework-detail": (lambda: f"/api/v1/frameworks/{si().pk}/", API_SIGNED_IN),
    "api:appointment-list": (lambda: "/api/v1/appointments/", API_SIGNED_IN),
    "api:appointment-detail": (
        lambda: (
            f"/api/v1/appointments/{Appointment.objects.filter(provider=si_provider()).first().pk}/"
        ),
        API_SIGNED_IN,
    ),
    "api:price-list": (lambda: "/api/v1/prices/", API_SIGNED_IN),
    "api:provider-list": (lambda: "/api/v1/providers/", API_SIGNED_IN),
    "api:provider-detail": (lambda: f"/api/v1/providers/{si_provider().pk}/", API_SIGNED_IN),
    "api:directory-list": (lambda: "/api/v1/directory/?postcode=EX39+1AB", ANY),
    "api:schema": (lambda: "/api/schema/", ANY),
    "api:docs": (lambda: "/api/docs/", ANY),
    "api:oruk-meta": (lambda: "/api/oruk/", ANY),
    "api:oruk-services": (lambda: "/api/oruk/services", ANY),
    "api:oruk-service": (
        lambda: "/api/oruk/services/00000000-0000-0000-0000-000000000000",
        dict.fromkeys(ROLES, 404),
    ),
    "api:oruk-taxonomies": (lambda: "/api/oruk/taxonomies", ANY),
    "api:oruk-taxonomy-terms": (lambda: "/api/oruk/taxonomy_terms", ANY),
    "govuk-assets": (lambda: "/assets/images/favicon.ico", dict.fromkeys(ROLES, MOVED)),
    "healthz": (lambda: "/healthz", ANY),
}

# The provider in the matrix is provider.devon, which holds this appointment; the detail
# routes it may not see are checked in tests/test_scoping.py.


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _names(p.url_patterns, ns)
        elif p.name:
            names.add(f"{namespace}{p.name}")
    return names


def test_every_route_is_in_the_matrix() -> None:
    missing = _names(get_resolver().url_patterns) - set(MATRIX)
    assert not missing, f"Say who may use these routes in MATRIX: {sorted(missing)}"


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_route_allows_or_refuses_the_role(name: str, role: str, client_for) -> None:  # type: ignore[no-untyped-def]
    path, expected = MATRIX[name]
    client = client_for(ACCOUNT_FOR_ROLE[role])
    response = client.get(path())
    assert response.status_code == expected[role], (
        f"{role} GET {path()} gave {response.status_code}, expected {expected[role]}"
    )
    if role == "anonymous" and expected[role] == LOGIN:
        assert response["Location"].startswith("/sign-in/")
