"""Search by name, reference, postcode or provider on referrals, awaiting care and
agreements; a provider finds only within what it may see (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Q

from caremarket.brokerage import search
from caremarket.brokerage.models import ServiceAgreement
from caremarket.providers.models import Provider
from tests.brokerage.support import raise_referral, unique_person

pytestmark = pytest.mark.django_db


def test_every_word_must_match_and_nothing_typed_matches_everything() -> None:
    assert search.referral_q("") == Q()
    assert len(search.words("a b c d e f g h")) == search.MAX_WORDS


def test_referrals_are_found_by_name_reference_and_postcode(client_for: Any) -> None:
    details = unique_person()
    referral = raise_referral("devon", 1, "personal-care", details=details)
    client = client_for("devon.broker")
    for q in (details.family_name, referral.reference, referral.person.postcode):
        page = client.get("/referrals/", {"q": q}).content.decode()
        assert referral.reference in page, q
    page = client.get("/referrals/", {"q": f"{details.given_name} Nobody-Has-This"}).content
    assert referral.reference not in page.decode()


def test_agreements_are_found_by_provider_and_a_provider_only_finds_its_own(
    client_for: Any,
) -> None:
    # The list shows 50 rows a page, newest first: take a provider whose agreements all fit
    # on the first page, so a search by its name must show this one.
    held = Count("agreements", distinct=True) + Count("agreements_delivered", distinct=True)
    small = Provider.objects.annotate(held=held).filter(held__lte=50).values("pk")
    agreement = (
        ServiceAgreement.objects.filter(
            commissioner__slug="devon", person__isnull=False, provider__in=small
        )
        .select_related("provider", "person")
        .order_by("pk")
        .first()
    )
    assert agreement is not None
    council = client_for("devon.commissioner")
    for q in (agreement.provider.name, agreement.person.family_name, agreement.reference):
        page = council.get("/agreements/", {"q": q, "show": "all"}).content.decode()
        assert f'href="/agreements/{agreement.pk}/"' in page, q
    # A provider searching for an agreement that is not its own finds nothing.
    other = (
        ServiceAgreement.objects.exclude(provider__users__username="provider.harbour")
        .exclude(delivering_provider__users__username="provider.harbour")
        .order_by("pk")
        .first()
    )
    assert other is not None
    page = client_for("provider.harbour").get("/agreements/", {"q": other.reference, "show": "all"})
    # The search box echoes what was typed; no row of the results links to the agreement.
    assert f'href="/agreements/{other.pk}/"' not in page.content.decode()


def test_awaiting_care_is_searchable(client_for: Any) -> None:
    page = client_for("devon.broker").get("/awaiting-care/", {"q": "Zzyzx-no-such-name"})
    assert page.status_code == 200
    assert "Nobody is waiting for care." in page.content.decode()
