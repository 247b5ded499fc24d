"""Brokerage API routes with an id take digits only: anything else is 404, never a 500.

The handlers turn the id into a number (``int(pk)``) before looking anything up, so the
routes must not match a non-numeric id in the first place (``lookup_value_regex =
"[0-9]+"``). The routes are read from the API router at run time: every brokerage viewset,
every route with an id, every method it answers, as a council broker and as a provider.
A refused write changes nothing.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, reverse

from caremarket.api.urls import router
from caremarket.brokerage.api import agreements, competitions, offers, referrals
from caremarket.brokerage.models import Offer
from tests.brokerage.support import snapshot

pytestmark = pytest.mark.django_db

SENTINEL = "987654321"
NOT_IDS = ["abc", "12abc", "1e3"]


def _brokerage_viewsets_with_ids() -> list[type]:
    """Registered brokerage viewsets that have a route with an id (the awaiting-care list,
    bids and capacity have none)."""
    with_ids = {viewset for _name, _method, viewset in _id_routes()}
    return [viewset for _prefix, viewset, _basename in router.registry if viewset in with_ids]


def _id_routes() -> list[tuple[str, str, type]]:
    """(URL name, method, viewset) for every brokerage route that takes an id."""
    found = []
    for pattern in router.urls:
        if not isinstance(pattern, URLPattern) or "format" in pattern.pattern.regex.groupindex:
            continue
        if "pk" not in pattern.pattern.regex.groupindex:
            continue
        viewset = pattern.callback.cls  # type: ignore[attr-defined]
        if not viewset.__module__.startswith("caremarket.brokerage.api."):
            continue
        for method in sorted(pattern.callback.actions):  # type: ignore[attr-defined]
            found.append((pattern.name, method, viewset))
    return found


def _params() -> list[object]:
    return [pytest.param(name, method, id=f"{method}-{name}") for name, method, _v in _id_routes()]


def test_the_routes_were_found() -> None:
    """Guard for the test itself: it sees the id routes of the brokerage API."""
    names = {name for name, _method, _viewset in _id_routes()}
    assert {
        "referral-detail",
        "referral-award",
        "offer-detail",
        "offer-accept",
        "competition-detail",
        "award-detail",
        "agreement-detail",
        "agreement-vary",
    } <= names
    assert {
        referrals.ReferralViewSet,
        offers.OfferViewSet,
        competitions.CompetitionViewSet,
        agreements.AwardViewSet,
        agreements.AgreementViewSet,
    } <= set(_brokerage_viewsets_with_ids())


@pytest.mark.parametrize(
    "viewset",
    [pytest.param(v, id=v.__name__) for v in _brokerage_viewsets_with_ids()],
)
def test_every_brokerage_viewset_with_ids_takes_digits_only(viewset: type) -> None:
    assert getattr(viewset, "lookup_value_regex", None) == "[0-9]+"


def _url(name: str, pk: str) -> str:
    return reverse(f"api:{name}", kwargs={"pk": SENTINEL}).replace(f"/{SENTINEL}/", f"/{pk}/")


@pytest.mark.parametrize(("name", "method"), _params())
@pytest.mark.parametrize("who", ["devon.broker", "provider.devon"])
def test_a_non_numeric_id_is_not_found(client_for, who: str, name: str, method: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(who)
    client.raise_request_exception = False  # a crash must show as the 500 it would be
    before = snapshot()
    for pk in NOT_IDS:
        url = _url(name, pk)
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 404, (
            f"{method.upper()} {url} as {who}: {response.status_code}"
        )
    assert snapshot() == before


def test_a_numeric_id_still_finds_the_record(client_for) -> None:  # type: ignore[no-untyped-def]
    """The control: the same routes with digits answer, and scope still applies."""
    provider = client_for("provider.devon")
    mine = Offer.objects.filter(provider__users__username="provider.devon").first()
    theirs = Offer.objects.exclude(provider__users__username="provider.devon").first()
    assert provider.get(f"/api/v1/offers/{mine.pk}/").json()["id"] == mine.pk
    assert provider.get(f"/api/v1/offers/{theirs.pk}/").status_code == 404
    broker = client_for("devon.broker")
    referral = mine.referral
    assert broker.get(f"/api/v1/referrals/{referral.pk}/").json()["reference"] == (
        referral.reference
    )
