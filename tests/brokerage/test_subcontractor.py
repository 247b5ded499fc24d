"""The Isle of Wight demo's subcontractor account (issue 14): provider.subcontractor is on the
panel of provider.iow, the lead for North East, so the prime-provider flow in the README can
be finished by a newcomer: the practitioner raises, the lead subcontracts, the subcontractor
confirms, and the referral is awarded to the lead, delivered by the subcontractor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from caremarket.brokerage.models import InboxItem, Offer, Referral
from caremarket.core import clock as clock_module
from caremarket.engine.lifecycle import State
from caremarket.frameworks.models import PanelMember
from caremarket.market.models import CareGroup
from tests.brokerage.support import account, raise_referral, service

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def _client(username: str) -> Client:
    client = Client()
    client.force_login(account(username))
    return client


def test_the_demo_has_a_subcontractor_on_the_iow_leads_panel() -> None:
    sub, lead = account("provider.subcontractor"), account("provider.iow")
    assert sub.role == "provider" and sub.provider_id != lead.provider_id
    panel = PanelMember.objects.live(clock_module.today()).filter(
        provider=sub.provider, prime__provider=lead.provider
    )
    assert panel.exists()
    assert {z.number for z in panel.get().zones.all()} == {2}  # North East: PO32 to PO35


def test_the_readme_walk_through_lead_subcontracts_subcontractor_confirms(clock) -> None:  # type: ignore[no-untyped-def]
    """The README's steps, through the pages each account uses."""
    start = clock.today() + timedelta(days=7)
    raised = _client("iow.practitioner").post(
        "/referrals/new/?service=personal-care",
        {
            "given_name": "Newcomer",
            "family_name": "Walkthrough",
            **{f"date_of_birth_{i}": v for i, v in enumerate((4, 5, 1938))},
            "address": "1 Union Street, Ryde",
            "postcode": "PO33 1AA",
            "care_group": CareGroup.objects.get(name="Older people").pk,
            "service_type": service("personal-care").pk,
            "hours_per_week": "7.5",
            **{f"start_date_{i}": v for i, v in enumerate((start.day, start.month, start.year))},
            "urgency": "planned",
            "outcomes": "To stay in my flat by the sea.",
        },
    )
    assert raised.status_code == 302, raised.content.decode()[:3000]
    referral = Referral.objects.get(pk=int(raised["Location"].strip("/").split("/")[-1]))
    lead_offer = referral.offers.get(kind=Offer.Kind.LEAD)
    assert lead_offer.provider_id == account("provider.iow").provider_id
    assert lead_offer.deadline == clock.moment + timedelta(hours=24)
    sub = account("provider.subcontractor")

    lead = _client("provider.iow")
    notice = InboxItem.objects.get(user=account("provider.iow"), offer=lead_offer)
    assert notice.title.startswith(f"New offer: {referral.reference}")
    page = lead.get(f"/inbox/offers/{lead_offer.pk}/").content.decode()
    assert "As lead provider" in page and "Subcontractor from your panel" in page
    assert sub.provider.display_name in page  # offered as a panel member to choose
    done = lead.post(
        f"/inbox/offers/{lead_offer.pk}/", {"action": "subcontract", "member": sub.provider_id}
    )
    assert done.status_code == 302
    placement = referral.offers.get(kind=Offer.Kind.SUBCONTRACT)
    assert placement.provider_id == sub.provider_id

    subcontractor = _client("provider.subcontractor")
    assert referral.reference in subcontractor.get("/inbox/").content.decode()
    told = InboxItem.objects.get(user=sub, offer=placement, kind=InboxItem.Kind.OFFER_ARRIVED)
    assert told.title.startswith(f"{lead_offer.provider.display_name} asks you to deliver")
    assert told.title in subcontractor.get("/notifications/").content.decode()
    confirmed = subcontractor.post(f"/inbox/offers/{placement.pk}/", {"action": "confirm"})
    assert confirmed.status_code == 302

    referral.refresh_from_db()
    assert referral.state == State.AWARDED
    award = referral.award
    assert award.provider_id == lead_offer.provider_id
    assert award.delivering_provider_id == sub.provider_id
    # The lead hears its subcontractor's answer in the app.
    assert InboxItem.objects.filter(
        user=account("provider.iow"), kind=InboxItem.Kind.PROVIDER_ANSWERED, referral=referral
    ).exists()
    # The subcontractor's history: the placement, won.
    rows = subcontractor.get("/inbox/history/").context["table"].rows
    row = next(r for r in rows if r.reference == referral.reference)
    assert row.outcome == "Won" and row.answer == "Accepted"
    # The broker's referral page: awarded, with both answers on the timeline.
    page = _client("iow.broker").get(f"/referrals/{referral.pk}/").content.decode()
    timeline = page[page.index(">Timeline<") :]
    assert "the lead provider, chose a subcontractor" in timeline
    assert "confirmed it would deliver for the lead provider" in timeline


def test_the_subcontractor_sees_only_its_own_offers(clock) -> None:  # type: ignore[no-untyped-def]
    referral = raise_referral("iow", 2, "personal-care")
    lead_offer = referral.offers.get(kind=Offer.Kind.LEAD)
    subcontractor = _client("provider.subcontractor")
    assert subcontractor.get(f"/inbox/offers/{lead_offer.pk}/").status_code == 404
    assert subcontractor.get(f"/referrals/{referral.pk}/").status_code == 403
    rows = subcontractor.get("/inbox/history/").context["table"].rows
    assert all(r.offer.provider_id == account("provider.subcontractor").provider_id for r in rows)
