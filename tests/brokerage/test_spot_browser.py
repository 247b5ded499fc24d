"""The spot purchase in a browser, on a phone (375 px), without JavaScript doing the work:
the broker sees the weekly and yearly cost and the band before anything is bought; above the
band the purchase waits; a commissioner approves it from the approvals page. Each new page
is axe-clean (no serious or critical violation)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from caremarket.brokerage import spot
from caremarket.brokerage.models import Award, SpotApproval
from caremarket.demo.builder import DEMO_PASSWORD
from caremarket.providers.models import Provider
from tests.brokerage.support import raise_referral
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("market")]


def _signed_in(browser: Browser, base: str, username: str) -> tuple[object, Page]:
    context = browser.new_context(viewport={"width": 375, "height": 812}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    return context, page


def test_a_spot_purchase_above_the_band_is_shown_asked_and_approved(  # type: ignore[no-untyped-def]
    live_server, browser: Browser, clock
) -> None:
    referral = raise_referral("devon", 4, "personal-care", hours="6")
    clock.advance(hours=24, minutes=1)  # every offer expired: awaiting care
    provider = Provider.objects.filter(service_types__code="personal-care").order_by("pk")[0]
    band = spot.quote(referral, Decimal("1"), referral.start_date)
    high = band.band_high + Decimal("2")  # type: ignore[operator]

    context, page = _signed_in(browser, live_server.url, "devon.broker")
    try:
        page.goto(f"{live_server.url}/referrals/{referral.pk}/")
        page.get_by_text("Buy spot (off-framework)").click()
        form = page.locator('form:has(input[name="action"][value="spot"])')
        form.get_by_label("Provider", exact=True).select_option(str(provider.pk))
        form.get_by_label("Agreed price per unit").fill(str(high))
        form.get_by_label("Why off-framework").fill("Nobody on the framework could staff it.")
        form.get_by_role("button", name="Show the costs").click()
        expect(page.get_by_role("heading", name="Confirm the spot purchase")).to_be_visible()
        expect(page.get_by_test_id("weekly-cost")).to_have_text(f"£{high * 6:,.2f}")
        expect(page.get_by_test_id("yearly-cost")).to_have_text(f"£{high * 6 * 52:,.2f}")
        expect(page.get_by_text("This needs a second person's approval")).to_be_visible()
        assert_accessible(page)
        assert not SpotApproval.objects.filter(referral=referral).exists()
        page.get_by_role("button", name="Ask for approval").click()
        expect(page.get_by_text("Sent for approval")).to_be_visible()
    finally:
        context.close()
    assert not Award.objects.filter(referral=referral).exists()

    context, page = _signed_in(browser, live_server.url, "devon.commissioner")
    try:
        page.goto(f"{live_server.url}/brokerage/spot-approvals/")
        assert_accessible(page)
        page.get_by_role("link", name=referral.reference).first.click()
        expect(page.get_by_text("Why it needs approval")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Approve and buy").click()
        expect(page.get_by_text("Approved: bought from")).to_be_visible()
    finally:
        context.close()
    assert Award.objects.get(referral=referral).unit_price == high
