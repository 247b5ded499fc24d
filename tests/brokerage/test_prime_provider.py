"""Route 2, prime provider: the zone's lead provider delivers, or places the referral with a
subcontractor on its panel who must confirm; a share of referred hours (30% on the Isle of
Wight) must be subcontracted, measured over a rolling window.

The Isle of Wight pays a fixed £19.28 an hour, so every price here is that rate.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.brokerage import routing, selectors
from caremarket.brokerage.models import Notification, Offer, ServiceAgreement
from caremarket.brokerage.services import offers
from caremarket.core.errors import CaremarketError, Conflict
from caremarket.engine.lifecycle import State
from caremarket.frameworks.models import PanelMember
from caremarket.providers.models import Provider
from tests.brokerage.support import account, provider_user, raise_referral

pytestmark = pytest.mark.django_db

IOW_RATE = Decimal("19.28")


def _iow_referral(hours: str = "10", **kwargs):  # type: ignore[no-untyped-def]
    referral = raise_referral("iow", 2, "personal-care", hours=hours, **kwargs)
    return referral, referral.offers.get(kind=Offer.Kind.LEAD)


def _panel(lead_offer: Offer, clock) -> list[Provider]:  # type: ignore[no-untyped-def]
    panel = routing.panel_for(lead_offer, clock.today())
    assert len(panel) >= 2, "the Isle of Wight leads have four subcontractors each"
    return panel


def test_the_lead_is_referred_to_at_the_fixed_rate(clock) -> None:  # type: ignore[no-untyped-def]
    """A referral in a lead's locality goes to that lead alone, priced at the council's
    fixed rate, with the framework's answer window."""
    referral, lead_offer = _iow_referral()
    iow = account("provider.iow").provider
    assert referral.route == "prime_provider" and referral.state == State.OFFERED
    assert referral.offers.count() == 1
    assert lead_offer.provider == iow and lead_offer.unit_price == IOW_RATE
    assert lead_offer.deadline == clock.moment + timedelta(hours=24)


def test_the_lead_delivers_it_itself(clock) -> None:  # type: ignore[no-untyped-def]
    """The lead takes the referral: one award to the lead, delivered by the lead, at the
    fixed rate; the agreement costs hours x £19.28 a week."""
    referral, lead_offer = _iow_referral("7.25")
    lead = account("provider.iow")
    offers.lead_delivers(lead_offer.pk, provider=lead.provider, by=lead)

    referral.refresh_from_db()
    award = referral.award
    assert referral.state == State.AWARDED
    assert award.provider == award.delivering_provider == lead.provider
    assert award.unit_price == IOW_RATE and award.offer_id == lead_offer.pk
    assert "who delivers it" in award.reason
    assert Offer.objects.get(pk=lead_offer.pk).status == Offer.Status.AWARDED
    terms = ServiceAgreement.objects.get(award=award).variations.get()
    assert terms.weekly_cost == Decimal("139.78")  # 7.25 x 19.28


def test_the_lead_subcontracts_and_the_subcontractor_confirms(clock) -> None:  # type: ignore[no-untyped-def]
    """The lead places it with a panel member, and waits (placing) until the member
    confirms; the award is then the lead's, delivered by the member."""
    referral, lead_offer = _iow_referral()
    lead = account("provider.iow")
    member = _panel(lead_offer, clock)[0]
    sub = offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=member, by=lead)

    assert Offer.objects.get(pk=lead_offer.pk).status == Offer.Status.PLACING
    assert sub.kind == Offer.Kind.SUBCONTRACT and sub.parent_id == lead_offer.pk
    assert sub.unit_price == IOW_RATE
    assert sub.deadline >= clock.moment + timedelta(hours=4)
    assert Notification.objects.filter(
        to=member.email, subject=f"{lead.provider} asks you to deliver {referral.reference}"
    ).exists()
    with pytest.raises(CaremarketError, match="Only an open referral to you as lead"):
        offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=member, by=lead)

    offers.subcontractor_confirms(sub.pk, provider=member, by=provider_user(member))

    referral.refresh_from_db()
    award = referral.award
    assert award.provider == lead.provider and award.delivering_provider == member
    assert f"delivered by {member}" in award.reason
    assert Offer.objects.get(pk=lead_offer.pk).status == Offer.Status.AWARDED
    assert Offer.objects.get(pk=sub.pk).status == Offer.Status.AWARDED
    agreement = ServiceAgreement.objects.get(award=award)
    assert agreement.provider == lead.provider and agreement.delivering_provider == member


def test_a_subcontractor_declining_hands_it_back_to_the_lead(clock) -> None:  # type: ignore[no-untyped-def]
    """The member declines: the lead's referral is open again (and the lead is told why),
    so the lead can try another member or deliver it itself."""
    referral, lead_offer = _iow_referral()
    lead = account("provider.iow")
    first, second = _panel(lead_offer, clock)[:2]
    sub = offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=first, by=lead)
    offers.decline(sub.pk, provider=first, by=provider_user(first), reason="no_capacity")

    assert Offer.objects.get(pk=lead_offer.pk).status == Offer.Status.OPEN
    assert Offer.objects.get(pk=sub.pk).status == Offer.Status.DECLINED
    referral.refresh_from_db()
    assert referral.state == State.OFFERED
    told = Notification.objects.get(to=lead.provider.email, subject__contains="declined")
    assert "No capacity at the moment" in told.body

    again = offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=second, by=lead)
    offers.subcontractor_confirms(again.pk, provider=second, by=provider_user(second))
    referral.refresh_from_db()
    assert referral.award.delivering_provider == second


def test_the_lead_declining_puts_the_person_on_the_awaiting_care_list(clock) -> None:  # type: ignore[no-untyped-def]
    """Nobody else is asked on this route: when the lead declines, the referral is waiting."""
    referral, lead_offer = _iow_referral()
    lead = account("provider.iow")
    offers.decline(lead_offer.pk, provider=lead.provider, by=lead, reason="travel")
    referral.refresh_from_db()
    assert referral.state == State.AWAITING_CARE
    assert referral.awaiting_since == clock.today()
    assert referral.next_action
    waiting, _ = selectors.awaiting_care(account("iow.broker"), clock.moment)
    assert referral in waiting


def test_only_a_panel_member_for_the_zone_can_be_asked(clock) -> None:  # type: ignore[no-untyped-def]
    """A provider off the lead's panel (here, another lead's subcontractor) is refused, and
    nothing changes."""
    referral, lead_offer = _iow_referral()
    lead = account("provider.iow")
    elsewhere = (
        PanelMember.objects.exclude(prime=lead_offer.appointment)
        .filter(prime__lot=lead_offer.appointment.lot)
        .exclude(provider__in=_panel(lead_offer, clock))
        .first()
        .provider
    )
    with pytest.raises(CaremarketError, match="is not on your panel for"):
        offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=elsewhere, by=lead)
    assert Offer.objects.get(pk=lead_offer.pk).status == Offer.Status.OPEN
    assert referral.offers.count() == 1


def test_a_subcontractor_cannot_take_the_leads_own_action(clock) -> None:  # type: ignore[no-untyped-def]
    """Each offer answers only to its own provider and kind."""
    referral, lead_offer = _iow_referral()
    lead = account("provider.iow")
    member = _panel(lead_offer, clock)[0]
    sub = offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=member, by=lead)
    with pytest.raises(CaremarketError, match="No such offer"):
        offers.lead_delivers(lead_offer.pk, provider=member, by=provider_user(member))
    with pytest.raises(CaremarketError, match="Only the lead provider's referral"):
        offers.lead_delivers(sub.pk, provider=member, by=provider_user(member))
    with pytest.raises(CaremarketError, match="This is not a subcontract placement"):
        offers.subcontractor_confirms(lead_offer.pk, provider=lead.provider, by=lead)
    referral.refresh_from_db()
    assert referral.state == State.OFFERED


def test_once_placed_every_other_answer_is_a_conflict(clock) -> None:  # type: ignore[no-untyped-def]
    """The lead delivers while its subcontract placement is out: the placement is withdrawn,
    and the member's late confirmation is told, clearly, that it is already placed."""
    referral, lead_offer = _iow_referral()
    lead = account("provider.iow")
    member = _panel(lead_offer, clock)[0]
    sub = offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=member, by=lead)
    offers.lead_delivers(lead_offer.pk, provider=lead.provider, by=lead)
    assert Offer.objects.get(pk=sub.pk).status == Offer.Status.WITHDRAWN
    with pytest.raises(Conflict, match="has already been placed"):
        offers.subcontractor_confirms(sub.pk, provider=member, by=provider_user(member))
    referral.refresh_from_db()
    assert referral.award.delivering_provider == lead.provider


def test_a_lead_that_declines_while_placing_cannot_then_be_awarded(clock) -> None:  # type: ignore[no-untyped-def]
    """The lead asks a member, then declines the referral itself. The referral is on the
    awaiting-care list; the member's placement must no longer stand."""
    referral, lead_offer = _iow_referral()
    lead = account("provider.iow")
    member = _panel(lead_offer, clock)[0]
    sub = offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=member, by=lead)
    offers.decline(lead_offer.pk, provider=lead.provider, by=lead, reason="no_capacity")
    referral.refresh_from_db()
    assert referral.state == State.AWAITING_CARE
    with pytest.raises(CaremarketError):
        offers.subcontractor_confirms(sub.pk, provider=member, by=provider_user(member))


def test_a_live_subcontract_placement_keeps_the_referral_off_the_waiting_list(clock) -> None:  # type: ignore[no-untyped-def]
    """The lead places the referral an hour before its own deadline; the member gets four
    hours to confirm. Two hours later the member still can confirm, so the referral is
    not 'every offer declined or expired'."""
    referral, lead_offer = _iow_referral()
    lead = account("provider.iow")
    member = _panel(lead_offer, clock)[0]
    clock.set(lead_offer.deadline - timedelta(hours=1))
    sub = offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=member, by=lead)
    clock.advance(hours=2)
    assert Offer.objects.get(pk=sub.pk).effective_status(clock.moment) == Offer.Status.OPEN
    waiting, _ = selectors.awaiting_care(account("iow.broker"), clock.moment)
    assert referral not in waiting


def test_subcontracted_share_is_measured_over_a_rolling_window(clock) -> None:  # type: ignore[no-untyped-def]
    """The lead must subcontract at least 30% of referred hours. Four months on (so nothing
    older counts), the lead delivers 10 hours itself (0%, below), subcontracts 4 (28.6%,
    still below) and then 2 more (37.5%, meets it); twelve weeks later those awards have
    rolled out of the window. The lead sees only its own row."""
    clock.advance(days=120)
    lead = account("provider.iow")
    commissioner = account("iow.commissioner")

    def share_row():  # type: ignore[no-untyped-def]
        rows = selectors.subcontracting_shares(commissioner, clock.today())
        return next(r for r in rows if r.lead.provider_id == lead.provider_id)

    def place(hours: str, subcontract: bool) -> None:
        _, lead_offer = _iow_referral(hours)
        if not subcontract:
            offers.lead_delivers(lead_offer.pk, provider=lead.provider, by=lead)
            return
        member = routing.panel_for(lead_offer, clock.today())[0]
        sub = offers.lead_subcontracts(
            lead_offer.pk, provider=lead.provider, member=member, by=lead
        )
        offers.subcontractor_confirms(sub.pk, provider=member, by=provider_user(member))

    assert share_row().share is None and not share_row().below_minimum
    place("10", subcontract=False)
    row = share_row()
    assert (row.referred_hours, row.subcontracted_hours, row.share) == (10, 0, Decimal("0.0"))
    assert row.minimum == Decimal("30") and row.below_minimum
    place("4", subcontract=True)
    row = share_row()
    assert (row.referred_hours, row.subcontracted_hours, row.share) == (14, 4, Decimal("28.6"))
    assert row.below_minimum
    place("2", subcontract=True)
    row = share_row()
    assert (row.referred_hours, row.subcontracted_hours, row.share) == (16, 6, Decimal("37.5"))
    assert not row.below_minimum

    own = selectors.subcontracting_shares(lead, clock.today())
    assert [r.lead.provider_id for r in own] == [lead.provider_id]

    clock.advance(days=85)
    row = share_row()
    assert row.referred_hours == 0 and row.share is None
