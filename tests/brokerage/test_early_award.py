"""Awards before the offer window closes (``rules.withdrawn_note``, ``services.awards
.record_award``, ``services.inbox.offers_withdrawn``): where a framework allows it, the
framework page says so, and every provider whose offer was still open is told why it was
withdrawn, in its inbox, on the offer and in its history.

The old behaviour this catches: a broker confirmed an award a minute after offers went out,
and seven providers with hours still to answer were withdrawn with no reason.
"""

from __future__ import annotations

import pytest

from caremarket.brokerage import provider_history
from caremarket.brokerage.models import InboxItem, Offer, Referral
from caremarket.brokerage.services import awards, offers
from caremarket.frameworks.models import Framework
from tests.brokerage.support import account, framework_offers, provider_user, raise_referral

pytestmark = pytest.mark.django_db
EARLY = "before your time to answer ran out"


def _awarded_early(clock) -> tuple[Referral, list[Offer]]:  # type: ignore[no-untyped-def]
    referral = raise_referral("devon", 4, "personal-care")
    framework = referral.framework
    assert framework is not None and framework.award_before_window_closes
    first, *others = framework_offers(referral)
    assert others, "several providers were offered it"
    for offer in others:
        provider_user(offer.provider)  # someone at each provider to be told
    clock.advance(minutes=1)
    offers.accept(first.pk, provider=first.provider, by=provider_user(first.provider))
    awards.confirm(referral.pk, by=account("devon.broker"))
    return referral, others


def test_providers_still_within_their_time_are_told_why(clock) -> None:  # type: ignore[no-untyped-def]
    _, others = _awarded_early(clock)
    for offer in others:
        offer.refresh_from_db()
        assert offer.status == Offer.Status.WITHDRAWN
        assert offer.deadline > clock.moment  # they still had time to answer
        assert EARLY in offer.decline_detail
        told = InboxItem.objects.filter(offer=offer, kind=InboxItem.Kind.OFFER_WITHDRAWN)
        assert told.exists() and EARLY in told.first().body
        outcome, reason = provider_history.outcome_of(offer, clock.moment, offer.provider_id)
        assert outcome == provider_history.WITHDRAWN and EARLY in reason


def test_the_provider_sees_the_reason_on_its_pages(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    _, others = _awarded_early(clock)
    offer = others[0]
    user = provider_user(offer.provider)
    client = client_for(user.username)
    for path in (f"/inbox/offers/{offer.pk}/", "/inbox/history/", "/notifications/"):
        page = client.get(path).content.decode()
        assert EARLY in page, path


def test_the_framework_page_says_whether_it_awards_early(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("devon.broker")
    early = Framework.objects.filter(award_before_window_closes=True, commissioner__slug="devon")
    late = Framework.objects.filter(award_before_window_closes=False, commissioner__slug="devon")
    page = client.get(f"/frameworks/{early.first().pk}/").content.decode()
    assert "Allowed: the council may award as soon as a provider accepts" in page
    page = client.get(f"/frameworks/{late.first().pk}/").content.decode()
    assert "Not allowed: the council awards once every provider has answered" in page
