"""Providers are told why they won, never with the scores: the agreement page, the award API
and the award email all give the winning provider the public reason; council staff see the
full reason with every score.

The scores matter because a winner shown its price score (lowest price / its price x 100)
can work out the cheapest rival's price. The scenario makes exactly that so: Living Well at
Home in Devon zone 4 (council-coordinated, weighted quality 60 / price 40), two acceptances
at distinctive prices, and the dearer, better provider wins. Any of the rival's price or the
score figures on a provider's page is then a leak and not a coincidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from caremarket.brokerage.models import Award, Notification, Offer
from caremarket.brokerage.presenters import award_seen_by
from caremarket.brokerage.services import awards
from caremarket.brokerage.services.worker import send_notifications
from caremarket.frameworks.models import Appointment
from tests.brokerage.support import (
    accept,
    account,
    framework_offers,
    provider_user,
    raise_referral,
)

pytestmark = pytest.mark.django_db

WINNER_PRICE, RIVAL_PRICE = Decimal("27.83"), Decimal("21.47")
WINNER_QUALITY, RIVAL_QUALITY = Decimal("95"), Decimal("50")
# 21.47 / 27.83 x 100 = 77.15; 60% x 95 + 40% x 77.15 = 87.86; the rival 60% x 50 + 40 = 70.
EXPECTED_SCORES = ("87.86", "95.00", "77.15")


@dataclass
class Won:
    award: Award
    winner: Offer
    rival: Offer
    username: str  # a user of the winning provider


def _awarded_by_weighted_score(clock) -> Won:  # type: ignore[no-untyped-def]
    referral = raise_referral("devon", 4, "personal-care", hours="12.5")
    assert referral.framework.award_rule == "weighted"
    winner, rival = [o for o in framework_offers(referral) if o.appointment is not None][:2]
    for offer, price, quality in (
        (winner, WINNER_PRICE, WINNER_QUALITY),
        (rival, RIVAL_PRICE, RIVAL_QUALITY),
    ):
        Offer.objects.filter(pk=offer.pk).update(unit_price=price)
        Appointment.objects.filter(pk=offer.appointment_id).update(quality_score=quality)
        offer.refresh_from_db()
    username = provider_user(winner.provider).username  # before the award, so it is emailed
    accept(rival)  # the rival is first, so the order of answers cannot decide it
    clock.advance(minutes=5)
    accept(winner)
    award = awards.confirm(referral.pk, by=account("devon.broker"))
    assert award.offer_id == winner.pk, "the dearer, better provider wins on 60/40"
    return Won(award, winner, rival, username)


def _secrets(won: Won) -> list[str]:
    """What a provider must not see: the rival's price and every figure of the record."""
    figures = set(re.findall(r"\d+\.\d+", won.award.reason))
    assert figures == set(EXPECTED_SCORES), won.award.reason  # the record does have them
    return [str(RIVAL_PRICE), *sorted(figures)]


def _assert_none_in(text: str, secrets: list[str], where: str) -> None:
    leaked = [s for s in secrets if s in text]
    assert not leaked, f"{where} shows {leaked}"


def test_the_award_keeps_both_reasons(clock) -> None:  # type: ignore[no-untyped-def]
    won = _awarded_by_weighted_score(clock)
    name = won.winner.provider.display_name
    assert won.award.reason == (
        "Highest weighted score among 2 acceptances (quality 60%, price 40%): "
        f"{name} scored 87.86 (quality 95.00, price 77.15)."
    )
    assert won.award.public_reason == (
        f"Highest weighted score among 2 acceptances (quality 60%, price 40%): {name}."
    )
    assert award_seen_by(won.winner.provider_id, won.award).reason == won.award.public_reason
    rival_row = next(s for s in won.award.scores if s["offer"] == won.rival.pk)
    assert rival_row["price"] == str(RIVAL_PRICE)  # the council's record keeps everything


def test_the_winning_provider_sees_the_rule_and_itself_but_no_figure(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    won = _awarded_by_weighted_score(clock)
    secrets = _secrets(won)
    client = client_for(won.username)
    agreement = won.award.agreement

    page = client.get(f"/agreements/{agreement.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Why this provider" in html
    assert won.award.public_reason in html
    assert f"£{WINNER_PRICE}" in html  # its own price it does see
    _assert_none_in(html, secrets, "the agreement page")

    detail = client.get(f"/api/v1/awards/{won.award.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["reason"] == won.award.public_reason
    assert "scores" not in body
    _assert_none_in(detail.content.decode(), secrets, "the award API")

    listed = client.get("/api/v1/awards/", {"limit": 500}).json()["results"]
    mine = next(a for a in listed if a["id"] == won.award.pk)
    assert mine["reason"] == won.award.public_reason and "scores" not in mine


def test_the_award_email_carries_the_public_reason_only(clock, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    won = _awarded_by_weighted_score(clock)
    secrets = _secrets(won)
    referral = won.award.referral
    subject = f"{referral.reference} is yours from {referral.start_date:%d %B %Y}"
    winner_user = account(won.username)

    told = Notification.objects.filter(subject=subject)
    assert set(told.values_list("to", flat=True)) == {won.winner.provider.email, winner_user.email}
    for note in told:
        assert note.body == won.award.public_reason
    while send_notifications()[0]:
        pass
    sent = [m for m in mailoutbox if m.subject == subject]
    assert {address for m in sent for address in m.to} == {
        won.winner.provider.email,
        winner_user.email,
    }
    for message in sent:
        _assert_none_in(message.body, secrets, f"the email to {message.to}")
    # The rival is told it was placed elsewhere, with no reason at all.
    elsewhere = Notification.objects.get(
        to=won.rival.provider.email, subject=f"{referral.reference} was placed elsewhere"
    )
    _assert_none_in(elsewhere.body, [*secrets, str(WINNER_PRICE)], "the rival's email")
    # The practitioner who raised it is council staff: the full record.
    raiser = Notification.objects.get(
        to=referral.raised_by.email, subject=f"{referral.reference} is placed"
    )
    assert raiser.body == won.award.reason


def test_council_staff_see_the_full_reason_with_every_score(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    won = _awarded_by_weighted_score(clock)
    broker = client_for("devon.broker")

    html = broker.get(f"/agreements/{won.award.agreement.pk}/").content.decode()
    assert won.award.reason in html
    for figure in EXPECTED_SCORES:
        assert figure in html

    body = broker.get(f"/api/v1/awards/{won.award.pk}/").json()
    assert body["reason"] == won.award.reason
    prices = {row["offer"]: row["price"] for row in body["scores"]}
    assert prices == {won.winner.pk: str(WINNER_PRICE), won.rival.pk: str(RIVAL_PRICE)}

    referral_page = broker.get(f"/referrals/{won.award.referral_id}/").content.decode()
    assert won.award.reason in referral_page


def test_the_rival_cannot_read_the_award_at_all(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    won = _awarded_by_weighted_score(clock)
    rival = client_for(provider_user(won.rival.provider).username)
    assert rival.get(f"/api/v1/awards/{won.award.pk}/").status_code == 404
    assert rival.get(f"/agreements/{won.award.agreement.pk}/").status_code == 404


def test_an_award_made_before_public_reasons_existed_still_hides_the_scores(  # type: ignore[no-untyped-def]
    clock, client_for
) -> None:
    won = _awarded_by_weighted_score(clock)
    # As every award row stood right after migration 0003 ran on an existing database.
    Award.objects.filter(pk=won.award.pk).update(public_reason="")
    body = client_for(won.username).get(f"/api/v1/awards/{won.award.pk}/").json()
    _assert_none_in(body["reason"], _secrets(won), "a pre-0003 award in the API")
