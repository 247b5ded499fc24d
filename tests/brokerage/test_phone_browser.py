"""At 375 px the brokerage's table pages are axe-clean (no serious or critical violation,
scrollable-region-focusable included) and a wide table's region takes keyboard focus."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from caremarket.demo.builder import DEMO_PASSWORD
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("market")]


def test_a_broker_on_a_phone(live_server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 375, "height": 812}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill("devon.broker")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Signed in as")).to_be_visible()
        for path in ("/home/", "/referrals/", "/awaiting-care/", "/agreements/", "/brokerage/"):
            page.goto(f"{live_server.url}{path}")
            assert_accessible(page)
        page.goto(f"{live_server.url}/referrals/")
        region = page.get_by_role("region", name="Referrals (scrolls sideways)")
        region.focus()
        expect(region).to_be_focused()
    finally:
        context.close()
