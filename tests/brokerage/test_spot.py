"""Spot purchases' guard rails (``brokerage.spot``, ``services.awards.spot_purchase`` and
``services.spot_purchases``): a provider registered for the service, a price inside the band
around the framework's prices, the weekly and yearly cost shown before anything is bought,
and a second person's recorded approval above the band or above the buyer's role limit.

The old behaviour these catch: a day-centre provider bought for home care at
£9,999,999.99 an hour on one click.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from caremarket.accounts.models import User
from caremarket.brokerage import spot, spot_approvals
from caremarket.brokerage.models import Award, Notification, Referral, SpotApproval
from caremarket.brokerage.services import awards, spot_purchases
from caremarket.core.errors import CaremarketError, Conflict, Invalid, NotFound
from caremarket.core.roles import Role
from caremarket.engine.lifecycle import State
from caremarket.market.models import ServiceType
from caremarket.providers.models import Provider
from tests.brokerage.support import account, commissioner, raise_referral, snapshot

pytestmark = pytest.mark.django_db
REASON = "Nobody on the framework could staff it; 12 weeks agreed."


def _waiting(clock: Any, hours: str = "6") -> Referral:
    """A Devon home care referral every offer has expired on: on the awaiting-care list."""
    referral = raise_referral("devon", 4, "personal-care", hours=hours)
    clock.advance(hours=24, minutes=1)
    return referral


def _registered(code: str = "personal-care") -> Provider:
    found = Provider.objects.filter(service_types__code=code).order_by("pk").first()
    assert found is not None, f"the demo registers someone for {code}"
    return found


def _unregistered(code: str = "personal-care") -> Provider:
    found = Provider.objects.exclude(service_types__code=code).order_by("pk").first()
    assert found is not None
    return found


def _band(referral: Referral) -> spot.SpotQuote:
    quoted = spot.quote(referral, Decimal("1"), referral.start_date)
    assert quoted.band_low is not None and quoted.band_high is not None, "framework prices"
    return quoted


def _buy(referral: Referral, by: Any, price: Decimal, **kwargs: Any) -> Any:
    return spot_purchases.buy(
        referral.pk,
        by=by,
        provider=kwargs.pop("provider", None) or _registered(),
        unit_price=price,
        reason=kwargs.pop("reason", REASON),
        **kwargs,
    )


def _another_broker() -> User:
    return User.objects.create_user(
        username="devon.broker.second",
        role=Role.BROKER,
        commissioner=commissioner("devon"),
        email="second.broker@devon.example",
    )


# --- the guards -----------------------------------------------------------------------------


def test_a_provider_not_registered_for_the_service_is_refused(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _waiting(clock)
    stranger = _unregistered()
    before = snapshot()
    with pytest.raises(Invalid, match="is not registered for regulated personal care") as refused:
        _buy(referral, account("devon.broker"), Decimal("25"), provider=stranger)
    assert refused.value.field == "provider"
    assert snapshot() == before


def test_the_band_sits_around_the_framework_prices_by_the_setting(clock, settings) -> None:  # type: ignore[no-untyped-def]
    referral = _waiting(clock)
    prices = spot.framework_prices(referral, referral.start_date)
    assert prices, "Devon's framework prices home care in zone 4"
    quoted = _band(referral)
    assert quoted.band_high == (max(prices) * Decimal("1.25")).quantize(Decimal("0.01"))
    assert quoted.band_low == (min(prices) * Decimal("0.75")).quantize(Decimal("0.01"))
    settings.BROKERAGE_SPOT_PRICE_BAND = Decimal("0.10")
    narrower = _band(referral)
    assert narrower.band_high == (max(prices) * Decimal("1.10")).quantize(Decimal("0.01"))


def test_above_the_band_nothing_is_bought_alone(clock) -> None:  # type: ignore[no-untyped-def]
    """The £9,999,999.99 an hour of the old behaviour: refused outright by the service that
    writes awards, and (through ``spot_purchases``) only a request for approval is made."""
    referral = _waiting(clock)
    broker = account("devon.broker")
    high = _band(referral).band_high + Decimal("0.01")  # type: ignore[operator]
    before = snapshot()
    with pytest.raises(Invalid, match=r"above the band .* needs a second person's approval"):
        awards.spot_purchase(
            referral.pk, by=broker, provider=_registered(), unit_price=high, reason=REASON
        )
    assert snapshot() == before

    asked = _buy(referral, broker, Decimal("9999999.99"))
    assert isinstance(asked, SpotApproval) and asked.status == SpotApproval.Status.PENDING
    assert "above the band" in asked.needs_approval_because
    assert asked.weekly_cost == Decimal("59999999.94")  # 6 hours: rounded once, to the penny
    assert asked.yearly_cost == asked.weekly_cost * 52
    referral.refresh_from_db()
    assert not Award.objects.filter(referral=referral).exists()
    assert referral.state != State.AWARDED


def test_below_the_band_needs_an_explanation_which_the_award_keeps(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _waiting(clock)
    broker = account("devon.broker")
    low = _band(referral).band_low - Decimal("0.01")  # type: ignore[operator]
    before = snapshot()
    with pytest.raises(Invalid, match="is below the band for this care") as refused:
        _buy(referral, broker, low)
    assert refused.value.field == "below_band_reason"
    assert snapshot() == before

    award = _buy(referral, broker, low, below_band_reason="Block contract rate for the round.")
    assert isinstance(award, Award) and award.unit_price == low
    assert "Below the framework band: Block contract rate for the round." in award.reason


def test_a_role_limit_on_the_yearly_cost_sends_the_purchase_for_approval(clock, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BROKERAGE_SPOT_APPROVAL_LIMITS = {
        "broker": Decimal("5000"),
        "commissioner": Decimal("500000"),
    }
    referral = _waiting(clock)
    price = _band(referral).band_high  # inside the band: only the limit is at stake
    asked = _buy(referral, account("devon.broker"), price)
    assert isinstance(asked, SpotApproval)
    assert asked.yearly_cost > Decimal("5000")
    assert "a year is above the £5,000 a broker may commit" in asked.needs_approval_because
    assert "above the band" not in asked.needs_approval_because


def test_a_role_with_no_limit_may_not_buy_spot(clock, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BROKERAGE_SPOT_APPROVAL_LIMITS = {"commissioner": Decimal("500000")}
    referral = _waiting(clock)
    before = snapshot()
    with pytest.raises(Invalid, match="Your role may not buy care spot"):
        _buy(referral, account("devon.broker"), Decimal("25"))
    assert snapshot() == before


def test_the_quote_shows_the_costs_and_changes_nothing(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _waiting(clock, hours="7.5")
    before, requests = snapshot(), SpotApproval.objects.count()  # the demo has one waiting
    quoted = _buy(referral, account("devon.broker"), Decimal("25.005"), confirmed=False)
    assert isinstance(quoted, spot.SpotQuote)
    assert quoted.unit_price == Decimal("25.01")  # money rounded once, half up
    assert quoted.weekly_cost == Decimal("187.58")  # 7.5 x 25.01 = 187.575, to the penny
    assert quoted.yearly_cost == Decimal("9754.16")  # that weekly cost x 52, exactly
    assert quoted.approval_needed == ""
    assert snapshot() == before
    assert SpotApproval.objects.count() == requests


# --- the second person ------------------------------------------------------------------------


def _asked(clock: Any) -> SpotApproval:
    referral = _waiting(clock)
    price = _band(referral).band_high + Decimal("5")  # type: ignore[operator]
    asked = _buy(referral, account("devon.broker"), price)
    assert isinstance(asked, SpotApproval)
    return asked


def test_the_one_who_asked_cannot_approve_and_another_does_once(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    broker, approver = account("devon.broker"), account("devon.commissioner")
    assert asked in spot_approvals.waiting_for(approver)
    assert asked not in spot_approvals.waiting_for(broker)
    before = snapshot()
    with pytest.raises(Invalid, match="You asked for this purchase: someone else must approve"):
        spot_purchases.approve(asked.pk, by=broker)
    assert snapshot() == before

    award = spot_purchases.approve(asked.pk, by=approver)
    asked.refresh_from_db()
    assert asked.status == SpotApproval.Status.APPROVED and asked.award == award
    assert asked.decided_by == approver
    assert award.unit_price == asked.unit_price and award.decided_by == approver
    assert "Approved by" in award.reason and "asked for by" in award.reason
    assert award.agreement.variations.get().weekly_cost == asked.weekly_cost
    # A second click returns the same award; someone else approving too is refused.
    assert spot_purchases.approve(asked.pk, by=approver) == award
    with pytest.raises(Conflict, match="already been approved"):
        spot_purchases.approve(asked.pk, by=_another_broker())
    assert Award.objects.filter(referral=asked.referral).count() == 1
    steps = list(asked.history.order_by("history_id").values_list("status", flat=True))
    assert steps == ["pending", "approved"]
    who = list(asked.history.order_by("history_id").values_list("history_user", flat=True))
    assert who == [broker.pk, approver.pk]
    assert Notification.objects.filter(to=broker.email, subject__contains="approved").exists()


def test_another_broker_within_their_limit_may_approve(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    award = spot_purchases.approve(asked.pk, by=_another_broker())
    assert award.referral_id == asked.referral_id


def test_an_approver_whose_limit_does_not_cover_it_is_refused(clock, settings) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    settings.BROKERAGE_SPOT_APPROVAL_LIMITS = {"broker": Decimal("10"), "commissioner": "10"}
    approver = account("devon.commissioner")
    assert asked not in spot_approvals.waiting_for(approver)
    before = snapshot()
    with pytest.raises(Invalid, match="above the £10 your role may approve"):
        spot_purchases.approve(asked.pk, by=approver)
    with pytest.raises(Invalid, match="Your role may not approve"):
        spot_purchases.approve(asked.pk, by=account("devon.practitioner"))
    assert snapshot() == before


def test_a_refusal_needs_a_reason_and_buys_nothing(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    approver = account("devon.commissioner")
    with pytest.raises(Invalid, match="Say why the purchase is refused"):
        spot_purchases.refuse(asked.pk, by=approver, reason=" ")
    done = spot_purchases.refuse(asked.pk, by=approver, reason="Ask the framework again first.")
    assert done.status == SpotApproval.Status.REFUSED
    assert done.decision_note == "Ask the framework again first."
    assert not Award.objects.filter(referral=asked.referral).exists()
    with pytest.raises(Conflict, match="already been refused"):
        spot_purchases.approve(asked.pk, by=approver)
    # Refused, the broker may ask again (one request waits at a time).
    again = _buy(asked.referral, account("devon.broker"), asked.unit_price)
    assert isinstance(again, SpotApproval) and again.pk != asked.pk
    with pytest.raises(Conflict, match="already waiting for approval"):
        _buy(asked.referral, account("devon.broker"), asked.unit_price)


def test_another_councils_request_is_not_found(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    outsider = User.objects.filter(role="commissioner", commissioner__slug="isle-of-wight").first()
    assert outsider is not None
    with pytest.raises(NotFound):
        spot_purchases.approve(asked.pk, by=outsider)
    with pytest.raises(NotFound):
        spot_approvals.request_for(outsider, asked.pk)
    assert asked not in spot_approvals.requests_for(account("provider.devon"))


def test_a_referral_placed_meanwhile_cannot_be_bought_on_approval(clock) -> None:  # type: ignore[no-untyped-def]
    """The approval re-checks the referral: placed by a cheaper spot purchase meanwhile."""
    asked = _asked(clock)
    _buy(asked.referral, _another_broker(), _band(asked.referral).band_high)
    with pytest.raises(CaremarketError, match=r"already placed|is awarded"):
        spot_purchases.approve(asked.pk, by=account("devon.commissioner"))
    assert Award.objects.filter(referral=asked.referral).count() == 1
    asked.refresh_from_db()
    assert asked.overtaken and asked.status_label == "Placed another way"
    assert not spot_approvals.waiting_for(account("devon.commissioner")).filter(pk=asked.pk)


# --- the API and the web ----------------------------------------------------------------------


def _api(username: str) -> Any:
    from django.test import Client

    token, _ = Token.objects.get_or_create(user=account(username))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def test_the_api_quotes_until_confirmed_then_buys_or_asks(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _waiting(clock)
    provider = _registered()
    client = _api("devon.broker")
    url = f"/api/v1/referrals/{referral.pk}/spot/"
    body = {"provider": provider.slug, "unit_price": "25.00", "reason": REASON}
    before = snapshot()
    quoted = client.post(url, body, content_type="application/json")
    assert quoted.status_code == 200, quoted.content
    assert quoted.json()["weekly_cost"] == "150.00"
    assert quoted.json()["yearly_cost"] == "7800.00"
    assert quoted.json()["approval_needed"] == ""
    assert snapshot() == before

    high = str(_band(referral).band_high + Decimal("1"))  # type: ignore[operator]
    asked = client.post(
        url, {**body, "unit_price": high, "confirm": True}, content_type="application/json"
    )
    assert asked.status_code == 202, asked.content
    assert asked.json()["status"] == "pending"
    assert not Award.objects.filter(referral=referral).exists()


def test_the_api_buys_within_the_guard_rails_when_confirmed(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _waiting(clock)
    body = {"provider": _registered().slug, "unit_price": "25.00", "reason": REASON}
    done = _api("devon.broker").post(
        f"/api/v1/referrals/{referral.pk}/spot/",
        {**body, "confirm": True},
        content_type="application/json",
    )
    assert done.status_code == 201, done.content
    assert Award.objects.get(referral=referral).unit_price == Decimal("25.00")


def test_a_day_centre_cannot_be_bought_for_home_care_over_the_api(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _waiting(clock)
    day_centre = _unregistered()
    body = {
        "provider": day_centre.slug,
        "unit_price": "9999999.99",
        "reason": REASON,
        "confirm": True,
    }
    before = snapshot()
    refused = _api("devon.broker").post(
        f"/api/v1/referrals/{referral.pk}/spot/", body, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "is not registered for regulated personal care" in refused.content.decode()
    assert snapshot() == before


def _spot_form(referral: Referral, price: Decimal, **extra: str) -> dict[str, Any]:
    return {
        "action": "spot",
        "provider": _registered().pk,
        "unit_price": str(price),
        "reason": REASON,
        **extra,
    }


def test_the_web_shows_the_costs_before_buying(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """First post: a page with the weekly and yearly cost and the band, nothing bought.
    Its button posts the same values with ``confirm``: then it is bought."""
    referral = _waiting(clock)
    client = client_for("devon.broker")
    path = f"/referrals/{referral.pk}/"
    assert "Show the costs" in client.get(path).content.decode()
    before = snapshot()
    shown = client.post(path, _spot_form(referral, Decimal("25")))
    page = shown.content.decode()
    assert shown.status_code == 200 and "Confirm the spot purchase" in page
    band = _band(referral)
    for figure in ("£150.00", "£7,800.00", f"£{band.band_low}", f"£{band.band_high}"):
        assert figure in page, figure
    assert 'name="confirm" value="on"' in page
    assert snapshot() == before

    bought = client.post(path, _spot_form(referral, Decimal("25"), confirm="on"), follow=True)
    assert bought.status_code == 200
    assert "Bought spot from" in bought.content.decode()
    assert Award.objects.get(referral=referral).unit_price == Decimal("25.00")
    # The button pressed twice: the second finds the referral placed, and buys nothing more.
    again = client.post(path, _spot_form(referral, Decimal("25"), confirm="on"))
    assert again.status_code in (200, 302, 403)
    assert Award.objects.filter(referral=referral).count() == 1


def test_the_web_flow_above_the_band_waits_for_a_second_person(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral = _waiting(clock)
    broker = client_for("devon.broker")
    path = f"/referrals/{referral.pk}/"
    high = _band(referral).band_high + Decimal("3")  # type: ignore[operator]
    shown = broker.post(path, _spot_form(referral, high)).content.decode()
    assert "This needs a second person's approval" in shown and "Ask for approval" in shown
    sent = broker.post(path, _spot_form(referral, high, confirm="on"), follow=True)
    assert "Sent for approval" in sent.content.decode()
    asked = SpotApproval.objects.get(referral=referral)
    assert "waiting for approval" in broker.get(path).content.decode()
    # The broker who asked sees it, without the buttons.
    own = broker.get(f"/brokerage/spot-approvals/{asked.pk}/").content.decode()
    assert "You asked for this purchase" in own and "Approve and buy" not in own
    refused = broker.post(f"/brokerage/spot-approvals/{asked.pk}/", {"action": "approve"})
    assert refused.status_code == 302
    assert not Award.objects.filter(referral=referral).exists()

    approver = client_for("devon.commissioner")
    listing = approver.get("/brokerage/spot-approvals/").content.decode()
    assert referral.reference in listing and "Waiting for you" in listing
    home = approver.get("/home/").content.decode()
    assert "waiting for your approval" in home  # the navigation's count
    csv = approver.get("/brokerage/spot-approvals/?format=csv")
    assert csv.status_code == 200 and referral.reference in csv.content.decode()
    done = approver.post(f"/brokerage/spot-approvals/{asked.pk}/", {"action": "approve"})
    assert done.status_code == 302
    assert Award.objects.get(referral=referral).unit_price == high
    page = approver.get(f"/brokerage/spot-approvals/{asked.pk}/").content.decode()
    assert "Approved" in page and "Approve and buy" not in page


def test_the_web_refusal_needs_a_reason(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    approver = client_for("devon.commissioner")
    path = f"/brokerage/spot-approvals/{asked.pk}/"
    empty = approver.post(path, {"action": "refuse", "reason": ""})
    assert empty.status_code == 200 and "Say why the purchase is refused" in empty.content.decode()
    approver.post(path, {"action": "refuse", "reason": "Too dear."})
    asked.refresh_from_db()
    assert asked.status == SpotApproval.Status.REFUSED and asked.decision_note == "Too dear."


def test_residential_care_no_framework_buys_has_no_band(clock) -> None:  # type: ignore[no-untyped-def]
    """No framework price to compare with: no band, so only the role limit applies."""
    referral = raise_referral("devon", 4, "residential-care", hours=None, sessions=1)
    provider = Provider.objects.order_by("pk").first()
    provider.service_types.add(ServiceType.objects.get(code="residential-care"))
    quoted = _buy(
        referral, account("devon.broker"), Decimal("1150"), provider=provider, confirmed=False
    )
    assert quoted.band_low is None and quoted.band_high is None
    assert quoted.yearly_cost == Decimal("59800.00") and quoted.approval_needed == ""


def test_a_confirmed_post_that_is_refused_shows_the_form_without_confirm(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """The form shown again with its error carries no ``confirm``: correcting it shows the
    costs again before anything is bought."""
    referral = _waiting(clock)
    low = _band(referral).band_low - Decimal("1")  # type: ignore[operator]
    before = snapshot()
    response = client_for("devon.broker").post(
        f"/referrals/{referral.pk}/", _spot_form(referral, low, confirm="on")
    )
    page = response.content.decode()
    assert response.status_code == 200 and "is below the band for this care" in page
    assert 'name="confirm"' not in page
    assert snapshot() == before
