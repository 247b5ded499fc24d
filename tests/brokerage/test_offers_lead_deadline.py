"""A lead provider's own deadline comes back when its subcontractor declines.

While a lead waits on a subcontractor, its offer takes the subcontractor's deadline (at least
four hours from placing), so the referral stays live as long as the member may confirm. The
lead's own deadline is kept in ``Offer.own_deadline``; when the member declines it is put
back. Otherwise a lead could stretch its window by four hours at a time, placing with one
member after another just before its deadline.

If the lead's own deadline has passed by the time the member declines, the lead's offer is
expired at once, and, with nobody else asked on this route, the referral goes onto the
awaiting-care list there and then (``fail_if_nobody_left``), without waiting for a worker.

All on the Isle of Wight, whose lead has 24 hours to answer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from caremarket.brokerage import routing, selectors
from caremarket.brokerage.models import Notification, Offer, Referral
from caremarket.brokerage.services import offers
from caremarket.brokerage.waiting import is_awaiting
from caremarket.core import clock as clock_module
from caremarket.core.errors import DeadlinePassed
from caremarket.engine.lifecycle import State
from tests.brokerage.support import account, provider_user, raise_referral, snapshot

pytestmark = pytest.mark.django_db


def _lead_and_panel(clock):  # type: ignore[no-untyped-def]
    referral = raise_referral("iow", 2, "personal-care")
    lead_offer = referral.offers.get(kind=Offer.Kind.LEAD)
    panel = routing.panel_for(lead_offer, clock.today())
    assert len(panel) >= 2
    return referral, lead_offer, panel


def _subcontract(lead_offer: Offer, member) -> Offer:  # type: ignore[no-untyped-def]
    lead = account("provider.iow")
    return offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=member, by=lead)


def _decline(sub: Offer) -> None:
    offers.decline(
        sub.pk, provider=sub.provider, by=provider_user(sub.provider), reason="no_capacity"
    )


def _lead_offer(pk: int) -> Offer:
    return Offer.objects.get(pk=pk)


def test_the_leads_deadline_before_during_and_after_a_declined_placement(clock) -> None:  # type: ignore[no-untyped-def]
    """An hour before its deadline the lead places the referral: its offer now runs to the
    member's deadline (four hours on), remembering its own. The member declines half an
    hour later: the lead's offer is open again, to its own deadline and no later."""
    referral, lead_offer, panel = _lead_and_panel(clock)
    own = lead_offer.deadline
    assert own == clock.moment + timedelta(hours=24)
    assert lead_offer.own_deadline is None and lead_offer.status == Offer.Status.OPEN

    clock.set(own - timedelta(hours=1))
    sub = _subcontract(lead_offer, panel[0])
    placing = _lead_offer(lead_offer.pk)
    assert sub.deadline == clock.moment + timedelta(hours=4) == own + timedelta(hours=3)
    assert placing.status == Offer.Status.PLACING
    assert placing.deadline == sub.deadline
    assert placing.own_deadline == own

    clock.advance(minutes=30)
    _decline(sub)
    restored = _lead_offer(lead_offer.pk)
    assert restored.status == Offer.Status.OPEN
    assert restored.deadline == own
    assert restored.effective_status(clock.moment) == Offer.Status.OPEN
    assert Referral.objects.get(pk=referral.pk).state == State.OFFERED

    # Past its own deadline (though before the member's would have been) it is expired:
    # the lead cannot now deliver it, and trying changes nothing.
    clock.set(own + timedelta(minutes=1))
    assert restored.effective_status(clock.moment) == Offer.Status.EXPIRED
    lead = account("provider.iow")
    before = snapshot()
    with pytest.raises(DeadlinePassed) as refused:
        offers.lead_delivers(lead_offer.pk, provider=lead.provider, by=lead)
    assert f"{clock_module.local(own):%H:%M on %d %B %Y}" in refused.value.message
    assert snapshot() == before
    assert is_awaiting(referral, clock.moment)  # on the list before any worker runs


def test_a_lead_cannot_stretch_its_window_by_placing_again_and_again(clock) -> None:  # type: ignore[no-untyped-def]
    """Two placements, each just before the deadline, each declined: the lead's deadline
    goes back to the first one both times, not to the end of the first placement."""
    _referral, lead_offer, panel = _lead_and_panel(clock)
    own = lead_offer.deadline

    clock.set(own - timedelta(hours=1))
    first = _subcontract(lead_offer, panel[0])
    clock.set(own - timedelta(minutes=30))
    _decline(first)
    assert _lead_offer(lead_offer.pk).deadline == own

    clock.set(own - timedelta(minutes=10))
    second = _subcontract(lead_offer, panel[1])
    placing = _lead_offer(lead_offer.pk)
    assert placing.deadline == second.deadline == clock.moment + timedelta(hours=4)
    assert placing.own_deadline == own  # not the first placement's deadline

    clock.set(own - timedelta(minutes=5))
    _decline(second)
    assert _lead_offer(lead_offer.pk).deadline == own


def test_a_decline_after_the_leads_own_deadline_puts_the_referral_on_the_waiting_list(  # type: ignore[no-untyped-def]
    clock,
) -> None:
    """The member declines an hour after the lead's own deadline (within its own four
    hours, so the decline itself is allowed). The lead's offer reads expired, the referral
    is written awaiting care at that moment, and the lead is still told why."""
    referral, lead_offer, panel = _lead_and_panel(clock)
    own = lead_offer.deadline
    clock.set(own - timedelta(hours=1))
    sub = _subcontract(lead_offer, panel[0])

    clock.set(own + timedelta(hours=1))
    # While the member may still confirm, the referral is live, not waiting.
    assert _lead_offer(lead_offer.pk).effective_status(clock.moment) == Offer.Status.PLACING
    assert not is_awaiting(referral, clock.moment)

    _decline(sub)

    lead_now = _lead_offer(lead_offer.pk)
    assert lead_now.deadline == own
    assert lead_now.effective_status(clock.moment) == Offer.Status.EXPIRED
    assert Offer.objects.get(pk=sub.pk).status == Offer.Status.DECLINED
    referral.refresh_from_db()
    assert referral.state == State.AWAITING_CARE  # written now, by the decline
    assert referral.awaiting_since == clock.today()
    assert referral.next_action == "Widen to a neighbouring zone, escalate, or buy spot."
    assert referral.events.filter(
        to_state=State.AWAITING_CARE, note="Every offer was declined or expired."
    ).exists()
    waiting, _ = selectors.awaiting_care(account("iow.broker"), clock.moment)
    assert referral in waiting
    lead = account("provider.iow")
    assert Notification.objects.filter(
        to=lead.provider.email, subject=f"{sub.provider} declined {referral.reference}"
    ).exists()


def test_once_the_own_deadline_has_passed_the_lead_can_neither_deliver_nor_place_again(  # type: ignore[no-untyped-def]
    clock,
) -> None:
    referral, lead_offer, panel = _lead_and_panel(clock)
    own = lead_offer.deadline
    clock.set(own - timedelta(hours=1))
    _decline(_subcontract(lead_offer, panel[0]))  # declined in time: the lead is open again
    clock.set(own + timedelta(minutes=1))

    lead = account("provider.iow")
    before = snapshot()
    with pytest.raises(DeadlinePassed):
        offers.lead_delivers(lead_offer.pk, provider=lead.provider, by=lead)
    with pytest.raises(DeadlinePassed):
        _subcontract(lead_offer, panel[1])
    assert snapshot() == before
    assert Referral.objects.get(pk=referral.pk).state == State.OFFERED  # nobody wrote it yet
    assert is_awaiting(referral, clock.moment)


def test_a_member_may_still_confirm_after_the_leads_own_deadline(clock) -> None:  # type: ignore[no-untyped-def]
    """The other way round: the member confirms within its four hours, after the lead's own
    deadline; the placement stands and the referral is placed."""
    referral, lead_offer, panel = _lead_and_panel(clock)
    own = lead_offer.deadline
    clock.set(own - timedelta(hours=1))
    sub = _subcontract(lead_offer, panel[0])
    clock.set(own + timedelta(hours=2))
    offers.subcontractor_confirms(sub.pk, provider=sub.provider, by=provider_user(sub.provider))
    referral.refresh_from_db()
    assert referral.state == State.AWARDED
    assert referral.award.delivering_provider == sub.provider
