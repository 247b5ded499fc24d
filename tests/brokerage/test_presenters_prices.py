"""A subcontractor is never shown the lead provider's own zone price.

On Devon's Living Well at Home the lead in zones 1-3 (provider.prime) is paid its own zone
price, which is that provider's commercial figure; when it places a referral with a panel
member, the member must not read it off the offer page or the API
(``presenters.offer_price_seen_by`` is None for a subcontract priced from a zone price). The
Isle of Wight pays one published fixed rate, which a subcontractor may see.

The lead's offer is given a distinctive price, so that the figure anywhere on a
subcontractor's page can only be the leak.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.brokerage import routing
from caremarket.brokerage.models import Notification, Offer, Referral
from caremarket.brokerage.presenters import offer_price_seen_by
from caremarket.brokerage.services import agreements, offers
from tests.brokerage.support import account, provider_user, raise_referral

pytestmark = pytest.mark.django_db

LEAD_PRICE = Decimal("31.17")
IOW_RATE = Decimal("19.28")


def _placed_with_a_member(clock, council: str = "devon", zone_number: int = 1):  # type: ignore[no-untyped-def]
    """The lead subcontracts a fresh referral to the first member of its panel."""
    referral = raise_referral(council, zone_number, "personal-care")
    lead_offer = referral.offers.get(kind=Offer.Kind.LEAD)
    if council == "devon":
        Offer.objects.filter(pk=lead_offer.pk).update(unit_price=LEAD_PRICE)
        lead_offer.refresh_from_db()
    lead = account("provider.iow" if council == "iow" else "provider.prime")
    member = routing.panel_for(lead_offer, clock.today())[0]
    member_user = provider_user(member)
    sub = offers.lead_subcontracts(lead_offer.pk, provider=lead.provider, member=member, by=lead)
    return referral, lead_offer, sub, member_user


def test_the_lead_is_shown_its_own_zone_price(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """The control: the same figure is on the lead's own page and API, so its absence from
    the subcontractor's is the rule at work and not a page that shows no prices."""
    referral = raise_referral("devon", 1, "personal-care")
    lead_offer = referral.offers.get(kind=Offer.Kind.LEAD)
    Offer.objects.filter(pk=lead_offer.pk).update(unit_price=LEAD_PRICE)
    lead = client_for("provider.prime")
    page = lead.get(f"/inbox/offers/{lead_offer.pk}/").content.decode()
    assert f"£{LEAD_PRICE} per hour" in page
    assert lead.get(f"/api/v1/offers/{lead_offer.pk}/").json()["unit_price"] == str(LEAD_PRICE)


def test_the_subcontractor_offer_page_has_no_price(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral, _lead_offer, sub, member_user = _placed_with_a_member(clock)
    assert sub.unit_price == LEAD_PRICE  # stored for the award, but not for showing
    assert offer_price_seen_by(sub.provider_id, sub) is None

    response = client_for(member_user.username).get(f"/inbox/offers/{sub.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm we will deliver it" in page  # it is the live offer page
    assert "Asked by the lead provider" in page
    assert "The price that applies" not in page
    assert str(LEAD_PRICE) not in page

    inbox = client_for(member_user.username).get("/inbox/").content.decode()
    assert referral.reference in inbox and str(LEAD_PRICE) not in inbox


def test_the_offers_api_gives_the_subcontractor_no_price(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    _referral, _lead_offer, sub, member_user = _placed_with_a_member(clock)
    client = client_for(member_user.username)

    detail = client.get(f"/api/v1/offers/{sub.pk}/")
    assert detail.status_code == 200
    assert detail.json()["kind"] == "subcontract" and detail.json()["status"] == "open"
    assert detail.json()["unit_price"] is None
    assert str(LEAD_PRICE) not in detail.content.decode()

    listed = client.get("/api/v1/offers/", {"kind": "subcontract", "limit": 500})
    rows = {row["id"]: row for row in listed.json()["results"]}
    assert rows[sub.pk]["unit_price"] is None
    assert str(LEAD_PRICE) not in listed.content.decode()
    # The lead's own offer is not the subcontractor's to read at all.
    assert client.get(f"/api/v1/offers/{sub.parent_id}/").status_code == 404


def test_the_request_to_the_subcontractor_names_no_price(clock) -> None:  # type: ignore[no-untyped-def]
    referral, _lead_offer, _sub, member_user = _placed_with_a_member(clock)
    asked = Notification.objects.filter(
        subject__endswith=f"asks you to deliver {referral.reference}"
    )
    assert set(asked.values_list("to", flat=True)) >= {member_user.email}
    assert all(str(LEAD_PRICE) not in n.body for n in asked)


def test_a_published_fixed_rate_is_shown_to_the_subcontractor(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """The Isle of Wight's £19.28 is the council's published rate, not the lead's price."""
    _referral, _lead_offer, sub, member_user = _placed_with_a_member(clock, "iow", 2)
    client = client_for(member_user.username)
    page = client.get(f"/inbox/offers/{sub.pk}/").content.decode()
    assert f"£{IOW_RATE} per hour</strong>, the council's fixed rate" in page
    assert client.get(f"/api/v1/offers/{sub.pk}/").json()["unit_price"] == str(IOW_RATE)


# --- once the subcontractor has confirmed ------------------------------------------------

AFTER_AWARD = {
    "agreement page": lambda c, r: c.get(f"/agreements/{r.award.agreement.pk}/"),
    "agreements list": lambda c, r: c.get("/agreements/"),
    "award API": lambda c, r: c.get(f"/api/v1/awards/{r.award.pk}/"),
    "agreement API": lambda c, r: c.get(f"/api/v1/agreements/{r.award.agreement.pk}/"),
}


def _confirmed(clock):  # type: ignore[no-untyped-def]
    referral, _lead_offer, sub, member_user = _placed_with_a_member(clock)
    offers.subcontractor_confirms(sub.pk, provider=member_user.provider, by=member_user)
    return Referral.objects.get(pk=referral.pk), sub, member_user


def test_after_confirming_the_subcontractor_offer_still_shows_no_price(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    _referral, sub, member_user = _confirmed(clock)
    client = client_for(member_user.username)
    assert client.get(f"/api/v1/offers/{sub.pk}/").json()["unit_price"] is None
    assert str(LEAD_PRICE) not in client.get(f"/inbox/offers/{sub.pk}/").content.decode()


@pytest.mark.parametrize("surface", list(AFTER_AWARD))
def test_after_the_award_the_subcontractor_still_never_sees_the_leads_price(  # type: ignore[no-untyped-def]
    clock, client_for, surface: str
) -> None:
    referral, _sub, member_user = _confirmed(clock)
    assert referral.award.delivering_provider_id == member_user.provider_id
    assert referral.award.unit_price == LEAD_PRICE
    response = AFTER_AWARD[surface](client_for(member_user.username), referral)
    assert response.status_code == 200
    assert str(LEAD_PRICE) not in response.content.decode()


def test_the_lead_still_sees_its_price_after_the_award(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """The control for the test above: the lead, paid that price, reads it everywhere."""
    referral, _sub, _member_user = _confirmed(clock)
    lead = client_for("provider.prime")
    for surface, read in AFTER_AWARD.items():
        response = read(lead, referral)
        assert response.status_code == 200, surface
        assert str(LEAD_PRICE) in response.content.decode(), surface


def test_a_variation_tells_the_subcontractor_the_hours_but_not_the_price(clock) -> None:  # type: ignore[no-untyped-def]
    """The variation email goes to both: the lead is told the price, the subcontractor not."""
    referral, _sub, member_user = _confirmed(clock)
    agreement = referral.award.agreement
    clock.advance(days=(agreement.start_date - clock.today()).days + 1)
    agreements.vary(
        agreement.pk,
        by=account("devon.broker"),
        effective_from=clock.today() + timedelta(days=2),
        units_per_week=Decimal("12"),
        reason="More evening calls",
    )
    subject = f"{agreement.reference} varied"
    to_member = Notification.objects.get(to=member_user.provider.email, subject=subject)
    to_lead = Notification.objects.get(to=agreement.provider.email, subject=subject)
    assert "12" in to_member.body and "£" not in to_member.body
    assert f"£{LEAD_PRICE}" in to_lead.body
