"""The referral timeline records each provider's answer and its time; a provider's history
page shows what it answered, won, lost or had withdrawn, with the reasons it may read
(issue 14)."""

from __future__ import annotations

import pytest
from django.test import Client

from caremarket.brokerage.models import Offer
from caremarket.brokerage.services import awards, offers, sourcing
from caremarket.core.templatetags.govuk import govuk_datetime
from tests.brokerage.support import account, provider_user, raise_referral

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

HISTORY = "/inbox/history/"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _two_offers(referral):  # type: ignore[no-untyped-def]
    harbour = account("provider.harbour").provider
    mine = referral.offers.get(provider=harbour)
    other = referral.offers.exclude(provider=harbour).select_related("provider").first()
    return mine, other


def test_the_timeline_shows_each_answer_with_its_time(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral = raise_referral("devon", 4, "personal-care")
    mine, other = _two_offers(referral)
    harbour = account("provider.harbour")
    clock.advance(minutes=17)
    offers.accept(mine.pk, provider=harbour.provider, by=harbour)
    accepted_at = clock.moment
    clock.advance(minutes=3)
    offers.decline(
        other.pk,
        provider=other.provider,
        by=provider_user(other.provider),
        reason="other",
        detail="Our only carer there is on leave",
    )
    page = client_for("devon.broker").get(f"/referrals/{referral.pk}/").content.decode()
    timeline = page[page.index(">Timeline<") :]
    accepted = f"Answer: {harbour.provider.display_name} accepted"
    declined = f"Answer: {other.provider.display_name} declined"
    assert accepted in timeline and declined in timeline
    assert timeline.index(accepted) < timeline.index(declined)  # in the order they happened
    assert "Another reason: Our only carer there is on leave" in timeline
    after = timeline[timeline.index(accepted) :]
    assert after.index(govuk_datetime(accepted_at)) < after.index("</li>")  # its own time
    assert "Offered" in timeline  # the state changes are still there, with the answers


def test_history_shows_won_declined_and_withdrawn_with_reasons(clock) -> None:  # type: ignore[no-untyped-def]
    harbour = account("provider.harbour")
    won = raise_referral("devon", 4, "personal-care")
    mine_won, _ = _two_offers(won)
    offers.accept(mine_won.pk, provider=harbour.provider, by=harbour)

    declined = raise_referral("devon", 4, "personal-care")
    mine_declined, _ = _two_offers(declined)
    offers.decline(mine_declined.pk, provider=harbour.provider, by=harbour, reason="no_capacity")

    withdrawn = raise_referral("devon", 4, "personal-care")
    mine_withdrawn, _ = _two_offers(withdrawn)
    clock.advance(minutes=10)
    sourcing.send_offers(withdrawn, by=account("devon.broker"))  # a new round supersedes it

    clock.advance(days=3)  # every window closes; Harbour is the only acceptance on "won"
    awards.confirm(won.pk, by=account("devon.broker"), chosen_offer=None, note="")

    response = _client(harbour).get(HISTORY)
    assert response.status_code == 200
    rows = {r.reference: r for r in response.context["table"].rows}
    assert rows[won.reference].outcome == "Won" and rows[won.reference].answer == "Accepted"
    assert rows[won.reference].answered_at is not None
    assert harbour.provider.display_name in rows[won.reference].reason
    assert rows[declined.reference].outcome == "Declined"
    assert rows[declined.reference].reason == "No capacity at the moment"
    withdrawn_rows = [r for r in response.context["table"].rows if r.offer == mine_withdrawn]
    assert withdrawn_rows[0].outcome == "Withdrawn"
    assert withdrawn_rows[0].reason == "Superseded by a new round of offers."

    csv = _client(harbour).get(HISTORY + "?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("Referral,Council,What,Kind,Sent,Answered,Answer")
    assert won.reference in csv and "Superseded by a new round of offers." in csv

    only_won = _client(harbour).get(HISTORY + "?outcome=Won").context["table"].rows
    assert only_won and {r.outcome for r in only_won} == {"Won"}


def test_a_lost_award_reads_the_public_reason_not_the_scores(clock) -> None:  # type: ignore[no-untyped-def]
    referral = raise_referral("devon", 4, "personal-care")
    first, second = referral.offers.select_related("provider")[:2]
    for offer in (first, second):
        offers.accept(offer.pk, provider=offer.provider, by=provider_user(offer.provider))
    clock.advance(days=3)
    award = awards.confirm(referral.pk, by=account("devon.broker"), chosen_offer=None, note="")
    loser = second if award.provider_id == first.provider_id else first
    row = next(
        r
        for r in _client(provider_user(loser.provider)).get(HISTORY).context["table"].rows
        if r.reference == referral.reference
    )
    assert row.outcome == "Lost"
    assert row.reason == award.public_reason and row.reason
    assert row.reason != award.reason  # never the council's own reason, with every score


def test_a_provider_sees_only_its_own_offers(clock) -> None:  # type: ignore[no-untyped-def]
    referral = raise_referral("devon", 4, "personal-care")
    harbour = account("provider.harbour")
    rows = _client(harbour).get(HISTORY).context["table"].rows
    assert rows and all(r.offer.provider_id == harbour.provider_id for r in rows)
    assert Offer.objects.filter(referral=referral).exclude(provider=harbour.provider).exists()


@pytest.mark.parametrize("username", ["devon.broker", "devon.commissioner"])
def test_council_staff_have_no_provider_history(client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(username).get(HISTORY).status_code == 403


def test_the_inbox_links_to_the_history(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("provider.harbour").get("/inbox/").content.decode()
    assert f'href="{HISTORY}"' in page
