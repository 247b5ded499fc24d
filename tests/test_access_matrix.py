"""Every page and API endpoint, for every role: allowed or refused as it should be.

The matrix is checked against the URL map, so a new route without a line here fails the
suite: nobody can add a page without saying who may see it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from caremarket.accounts.models import User
from caremarket.brokerage.models import Competition, Offer, Referral, ServiceAgreement
from caremarket.brokerage.services import referrals
from caremarket.core import clock
from caremarket.demo.people import postcode_in
from caremarket.frameworks.models import Appointment, Framework
from caremarket.market.models import ServiceType, Zone
from caremarket.providers.models import Provider
from tests.access_roles import (
    ANY,
    API_COUNCIL,
    API_POST_ONLY,
    API_SIGNED_IN,
    BROKER,
    COUNCIL,
    COUNCIL_RECORD,
    FORBIDDEN,
    LOGIN,
    MOVED,
    NOT_FOUND,
    OK,
    PROVIDER_ONLY,
    RAISERS,
    REDIRECT,
    SIGNED_IN,
    SOMEONE_ELSES,
    STAFFS_ONLY,
)
from tests.audit.matrix import MATRIX as AUDIT
from tests.bookings.matrix import MATRIX as BOOKINGS
from tests.brokerage.matrix_extra import MATRIX as BROKERAGE_EXTRA
from tests.care_homes.matrix import MATRIX as CARE_HOMES
from tests.conftest import ACCOUNT_FOR_ROLE, ROLES
from tests.delivery.matrix import MATRIX as DELIVERY
from tests.directory.matrix import MATRIX as DIRECTORY
from tests.home.matrix import MATRIX as HOME
from tests.insight.matrix import MATRIX as INSIGHT
from tests.pricing.matrix import MATRIX as PRICING
from tests.returns.matrix import MATRIX as RETURNS
from tests.supported_living.matrix import MATRIX as SUPPORTED_LIVING

pytestmark = pytest.mark.django_db


def si() -> Framework:
    return Framework.objects.get(slug="supporting-independence")


def devon_referral() -> Referral:
    """A Devon referral that was never offered to provider.devon."""
    return (
        Referral.objects.filter(commissioner__slug="devon", state="awarded")
        .exclude(offers__provider__users__username="provider.devon")
        .order_by("pk")
        .first()
    )


def devon_agreement() -> ServiceAgreement:
    return ServiceAgreement.objects.filter(award__referral=devon_referral()).get()


def staffs_competition() -> Competition:
    return Competition.objects.filter(commissioner__slug="staffordshire").order_by("pk").first()


def provider_offer() -> Offer:
    """An offer to provider.devon, raised through the services if the demo has none."""
    mine = Offer.objects.filter(provider__users__username="provider.devon").order_by("pk")
    if mine.exists():
        return mine.first()
    user = User.objects.get(username="devon.practitioner")
    appointment = si_provider().appointments.get(
        lot__framework__slug="supporting-independence", lot__number=2
    )
    zone = appointment.zones.order_by("number").first()
    data = referrals.ReferralInput(
        service_type=ServiceType.objects.get(code="individualised-support"),
        start_date=clock.today() + timedelta(days=14),
        urgency="planned",
        outcomes="To get out more",
        hours_per_week=Decimal("5"),
    )
    person = referrals.PersonInput(
        given_name="Matrix",
        family_name="Test",
        date_of_birth=date(1990, 1, 1),
        address="1 Test Street",
        postcode=postcode_in(random.Random(1), zone),
        care_group=appointment.lot.care_groups.get(code="LD"),
    )
    referrals.raise_referral(user, user.commissioner, data, new_person=person)
    return mine.first()


def si_provider() -> Provider:
    """The organisation of provider.devon, the provider account the matrix signs in as."""
    return Provider.objects.get(users__username="provider.devon")


# url name -> (path, expected status by role). Paths are functions: they read the demo data.
MATRIX: dict[str, tuple[Callable[[], str], dict[str, int]]] = {
    "home:home": (lambda: "/", ANY),
    "home:dashboard": (lambda: "/home/", ANY),
    # An import run is its owner's: nobody has one in the demo, so everyone gets 404.
    "core:import-run": (
        lambda: "/imports/999999/",
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN},
    ),
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
    "brokerage:workbench": (lambda: "/brokerage/", BROKER),
    "brokerage:referrals": (lambda: "/referrals/", COUNCIL),
    "brokerage:raise": (lambda: "/referrals/new/", RAISERS),
    "brokerage:referral": (lambda: f"/referrals/{devon_referral().pk}/", COUNCIL_RECORD),
    "brokerage:awaiting": (lambda: "/awaiting-care/", COUNCIL),
    "brokerage:inbox": (lambda: "/inbox/", PROVIDER_ONLY),
    "brokerage:offer": (lambda: f"/inbox/offers/{provider_offer().pk}/", PROVIDER_ONLY),
    "brokerage:competitions": (lambda: "/competitions/", SIGNED_IN),
    "brokerage:competition-new": (lambda: "/competitions/new/", BROKER),
    "brokerage:competition": (lambda: f"/competitions/{staffs_competition().pk}/", STAFFS_ONLY),
    "brokerage:agreements": (lambda: "/agreements/", SIGNED_IN),
    "brokerage:agreement": (lambda: f"/agreements/{devon_agreement().pk}/", SOMEONE_ELSES),
    "brokerage:subcontracting": (lambda: "/subcontracting/", SIGNED_IN),
    "brokerage:suggest": (lambda: "/brokerage/suggest/", BROKER | {"platform": REDIRECT}),
    "brokerage:capacity": (lambda: "/inbox/capacity/", PROVIDER_ONLY),
    "brokerage:provider-history": (lambda: "/inbox/history/", PROVIDER_ONLY),
    "brokerage:notifications": (lambda: "/notifications/", SIGNED_IN),
    "api:capacity-list": (lambda: "/api/v1/capacity/", API_SIGNED_IN),
    "api:referral-list": (lambda: "/api/v1/referrals/", API_SIGNED_IN),
    "api:referral-detail": (
        lambda: f"/api/v1/referrals/{devon_referral().pk}/",
        {**API_SIGNED_IN, "provider": NOT_FOUND},
    ),
    "api:referral-award": (
        lambda: f"/api/v1/referrals/{devon_referral().pk}/award/",
        API_POST_ONLY,
    ),
    "api:referral-send-offers": (
        lambda: f"/api/v1/referrals/{devon_referral().pk}/send-offers/",
        API_POST_ONLY,
    ),
    "api:referral-spot": (lambda: f"/api/v1/referrals/{devon_referral().pk}/spot/", API_POST_ONLY),
    "api:referral-cancel": (
        lambda: f"/api/v1/referrals/{devon_referral().pk}/cancel/",
        API_POST_ONLY,
    ),
    "api:offer-list": (lambda: "/api/v1/offers/", API_SIGNED_IN),
    "api:offer-detail": (
        lambda: f"/api/v1/offers/{provider_offer().pk}/",
        {**dict.fromkeys(ROLES, NOT_FOUND), "anonymous": 401, "provider": OK},
    ),
    **{
        f"api:offer-{verb}": (
            lambda verb=verb: f"/api/v1/offers/{provider_offer().pk}/{verb}/",
            API_POST_ONLY,
        )
        for verb in ("accept", "decline", "deliver", "subcontract", "confirm")
    },
    "api:competition-list": (lambda: "/api/v1/competitions/", API_SIGNED_IN),
    "api:competition-detail": (
        lambda: f"/api/v1/competitions/{staffs_competition().pk}/",
        {**dict.fromkeys(ROLES, NOT_FOUND), "anonymous": 401, "platform": OK},
    ),
    "api:bid-list": (lambda: "/api/v1/bids/", API_SIGNED_IN),
    "api:award-list": (lambda: "/api/v1/awards/", API_SIGNED_IN),
    "api:award-detail": (
        lambda: f"/api/v1/awards/{devon_referral().award.pk}/",
        {**API_SIGNED_IN, "provider": NOT_FOUND},
    ),
    "api:agreement-list": (lambda: "/api/v1/agreements/", API_SIGNED_IN),
    "api:agreement-detail": (
        lambda: f"/api/v1/agreements/{devon_agreement().pk}/",
        {**API_SIGNED_IN, "provider": NOT_FOUND},
    ),
    "api:agreement-vary": (
        lambda: f"/api/v1/agreements/{devon_agreement().pk}/vary/",
        API_POST_ONLY,
    ),
    "api:agreement-end": (lambda: f"/api/v1/agreements/{devon_agreement().pk}/end/", API_POST_ONLY),
    "api:awaiting-care-list": (
        lambda: "/api/v1/awaiting-care/",
        {**API_SIGNED_IN, "provider": FORBIDDEN},
    ),
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


# Each newer app says who may use its routes beside its own tests.
for app_matrix in (
    SUPPORTED_LIVING,
    BOOKINGS,
    CARE_HOMES,
    DELIVERY,
    PRICING,
    INSIGHT,
    DIRECTORY,
    HOME,
    BROKERAGE_EXTRA,
    AUDIT,
    RETURNS,
):
    overlap = set(app_matrix) & set(MATRIX)
    assert not overlap, f"Routes in two matrices: {sorted(overlap)}"
    MATRIX.update(app_matrix)


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
