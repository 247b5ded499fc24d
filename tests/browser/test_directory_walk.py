"""Sign in and walk the market as real users do, in headless Chromium, with axe-core clean on
every page visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from caremarket.demo import builder
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(builder.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def test_walk_the_directory_and_the_market(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url

    # The public: find a provider by postcode, no sign-in.
    page.goto(f"{base}/")
    assert_accessible(page)
    page.get_by_role("button", name="Find a provider").click()
    assert_accessible(page)
    page.get_by_label("Postcode").fill("ex39 1ab")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("Zone 1: Bideford")
    assert_accessible(page)
    page.locator(".govuk-summary-card__title a").first.click()
    expect(page.get_by_text("Works in, for Devon County Council")).to_be_visible()
    assert "£" not in page.content()
    assert_accessible(page)
    page.goto(f"{base}/directory/?postcode=nonsense")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real postcode")
    assert_accessible(page)

    # A commissioner: zones, a postcode, frameworks, a lot's prices sorted by price.
    sign_in(page, base, "devon.commissioner")
    assert_accessible(page)
    page.get_by_role("link", name="Zones").click()
    page.get_by_label("Postcode").fill("TQ138AB")
    page.get_by_role("button", name="Find zone").click()
    expect(page.get_by_role("status")).to_contain_text("TQ13 8AB is in Zone 8")
    assert_accessible(page)
    page.get_by_role("link", name="Frameworks").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Supporting Independence").click()
    expect(page.get_by_role("heading", name="Entry windows")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Providers and prices for lot 2").click()
    assert_accessible(page)
    page.get_by_role("link", name="Price", exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Price (sorted ascending)")
    assert_accessible(page)
    page.goto(f"{base}/sign-out/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # A provider working for three councils sees all its work, and only its own prices.
    sign_in(page, base, "provider.harbour")
    page.get_by_role("link", name="My organisation").click()
    for council in (
        "Devon County Council",
        "Isle of Wight Council",
        "Staffordshire County Council",
    ):
        expect(page.get_by_role("main")).to_contain_text(council)
    assert_accessible(page)


PHONE_PAGES = {
    None: ["/directory/?postcode=PO30+1AA"],
    "devon.broker": [
        "/brokerage/",
        "/awaiting-care/",
        "/referrals/",
        "/agreements/",
        "/subcontracting/",
        "/zones/",
    ],
    "provider.harbour": ["/inbox/", "/my-organisation/"],
}


def test_pages_work_at_phone_width(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """At 320 px nothing spills sideways: wide tables scroll inside their own wrapper."""
    for username, paths in PHONE_PAGES.items():
        context = browser.new_context(viewport={"width": 320, "height": 800}, bypass_csp=True)
        page = context.new_page()
        if username:
            sign_in(page, live_server.url, username)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 321, f"{path} is {width}px wide at 320px"
        assert_accessible(page)
        context.close()
