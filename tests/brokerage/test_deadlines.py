"""Deadlines hold without a worker.

An offer past its deadline reads as expired everywhere (the model, the inbox, the offer page,
the referral page, the API) and cannot be answered, whether or not the worker has run; a
referral whose every offer expired, or that was not placed by its start date, is on the
awaiting-care list straight away. The worker only writes that down promptly and sends the
emails.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse

from caremarket.brokerage import awarding, selectors
from caremarket.brokerage.models import Notification, Offer, Referral
from caremarket.brokerage.services import offers
from caremarket.core import clock as clock_module
from caremarket.core.errors import DeadlinePassed
from caremarket.engine.lifecycle import State
from tests.brokerage.support import (
    account,
    framework_offers,
    offer_to,
    provider_user,
    raise_referral,
    run_worker_until_idle,
    snapshot,
)

pytestmark = pytest.mark.django_db


def _section(html: str, heading: str) -> str:
    """The part of a page from a heading to the next heading of the same size."""
    start = html.index(heading)
    nxt = html.find('<h2 class="govuk-heading-m">', start + len(heading))
    return html[start : nxt if nxt != -1 else len(html)]


def _expired_referral(clock):  # type: ignore[no-untyped-def]
    """A Supporting Independence referral offered to provider.devon (and others), with the
    clock moved a minute past the 72-hour window and no worker run."""
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    mine = offer_to(referral, account("provider.devon").provider)
    clock.set(mine.deadline + timedelta(minutes=1))
    return referral, mine


def test_an_offer_past_its_deadline_reads_as_expired_and_cannot_be_answered(clock) -> None:  # type: ignore[no-untyped-def]
    """Nothing has written 'expired' down, yet the offer is expired, and accepting or
    declining it is refused with the time it closed; nothing changes."""
    _referral, mine = _expired_referral(clock)
    devon = account("provider.devon")
    assert Offer.objects.get(pk=mine.pk).status == Offer.Status.OPEN  # no worker has run
    assert mine.effective_status(clock.moment) == Offer.Status.EXPIRED
    assert not Offer.objects.filter(Offer.live_q(clock.moment), pk=mine.pk).exists()
    assert Offer.objects.filter(Offer.expired_q(clock.moment), pk=mine.pk).exists()
    closed = clock_module.local(mine.deadline)
    before = snapshot()
    with pytest.raises(DeadlinePassed) as refused:
        offers.accept(mine.pk, provider=devon.provider, by=devon)
    assert refused.value.message == (
        f"The deadline to answer passed at {closed:%H:%M on %d %B %Y}."
    )
    with pytest.raises(DeadlinePassed):
        offers.decline(mine.pk, provider=devon.provider, by=devon, reason="no_capacity")
    assert snapshot() == before


def test_the_inbox_offer_page_referral_page_and_api_all_say_expired(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral, mine = _expired_referral(clock)
    provider = client_for("provider.devon")

    inbox = provider.get("/inbox/").content.decode()
    assert f"/inbox/offers/{mine.pk}/" not in _section(inbox, "To answer")
    answered = _section(inbox, "Recently answered")
    row = re.search(rf"{referral.reference}.*?</li>", answered, re.S)
    assert row is not None and "Expired" in row.group(0)

    page = provider.get(f"/inbox/offers/{mine.pk}/").content.decode()
    assert "The time to answer passed at" in page
    assert ">Accept<" not in page and ">Decline<" not in page
    assert 'govuk-tag--grey">Expired' in page

    council = client_for("devon.broker").get(f"/referrals/{referral.pk}/").content.decode()
    offers_table = _section(council, ">Offers<")
    assert offers_table.count(">Expired<") == referral.offers.count()
    assert "Awaiting care for" in council  # every offer expired, none accepted

    try:
        api = reverse("api:offer-detail", kwargs={"pk": mine.pk})
    except NoReverseMatch:  # the API's brokerage endpoints are newer than the pages
        return
    assert provider.get(api).json()["status"] == "expired"


def test_the_awaiting_care_list_needs_no_worker_and_the_worker_then_writes_it_down(  # type: ignore[no-untyped-def]
    clock, mailoutbox
) -> None:
    """Two ways onto the list: every offer expired, or the start date passed unplaced (here
    with offers still open). Both are listed before any worker runs; after ``tick()`` their
    state says so, the offers say expired, and the providers' emails have gone."""
    expired = raise_referral("devon", 1, "individualised-support", group="PD")
    clock.advance(hours=24)
    late = raise_referral(
        "devon", 2, "individualised-support", group="PD", start=clock.today() + timedelta(days=1)
    )
    clock.advance(hours=49)  # past expired's 72-hour window; past late's start, not its window
    assert all(
        o.effective_status(clock.moment) == Offer.Status.EXPIRED for o in framework_offers(expired)
    )
    assert all(
        o.effective_status(clock.moment) == Offer.Status.OPEN for o in framework_offers(late)
    )
    broker = account("devon.broker")
    waiting, totals = selectors.awaiting_care(broker, clock.moment)
    assert expired in waiting and late in waiting
    assert {r.state for r in (expired, late)} == {State.OFFERED}  # nobody wrote it down yet
    zone_one = next(t for t in totals if t.zone_number == 1)
    assert zone_one.hours >= expired.hours_per_week

    run_worker_until_idle()

    for referral, why in ((expired, "Every offer was declined or expired."), (late, None)):
        referral.refresh_from_db()
        assert referral.state == State.AWAITING_CARE
        assert referral.awaiting_since == clock.today()
        if why:
            assert referral.events.filter(to_state=State.AWAITING_CARE, note=why).exists()
    assert late.events.filter(note="Not placed by its start date.").exists()
    assert set(expired.offers.values_list("status", flat=True)) == {Offer.Status.EXPIRED}
    subject = f"Offer for {expired.reference} expired"
    notes = Notification.objects.filter(subject=subject)
    assert notes.count() >= expired.offers.count()
    assert not notes.filter(sent_at__isnull=True).exists()
    assert sum(m.subject == subject for m in mailoutbox) == notes.count()
    devon = account("provider.devon")
    assert any(m.subject == subject and devon.email in m.to for m in mailoutbox)


def test_a_provider_can_still_answer_until_the_last_moment(clock) -> None:  # type: ignore[no-untyped-def]
    """One minute before the deadline the offer is open and the acceptance stands."""
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    mine = offer_to(referral, account("provider.devon").provider)
    clock.set(mine.deadline - timedelta(minutes=1))
    offers.accept(mine.pk, provider=mine.provider, by=provider_user(mine.provider))
    assert Offer.objects.get(pk=mine.pk).status == Offer.Status.ACCEPTED
    clock.set(mine.deadline + timedelta(hours=1))
    run_worker_until_idle()
    assert Offer.objects.get(pk=mine.pk).status == Offer.Status.ACCEPTED  # answered in time
    assert Referral.objects.get(pk=referral.pk).state == State.OFFERED  # waiting for award


def test_the_worker_does_not_change_what_the_broker_may_do(clock) -> None:  # type: ignore[no-untyped-def]
    """A provider accepted; the start date passes before the broker confirms. Before the
    worker runs the broker may award the acceptance; after it runs, the same must hold."""

    referral = raise_referral("devon", 4, "personal-care", start=clock.today() + timedelta(days=1))
    first = framework_offers(referral)[0]
    offers.accept(first.pk, provider=first.provider, by=provider_user(first.provider))
    clock.advance(days=2)
    referral.refresh_from_db()
    before_worker = awarding.ready_to_award(referral, clock.moment)
    assert before_worker[0], before_worker
    run_worker_until_idle()
    referral.refresh_from_db()
    assert awarding.ready_to_award(referral, clock.moment) == before_worker
