"""Rooms and beds (issue 10) in headless Chromium, axe-core clean at desktop (1280 px) and
phone (375 px) width, nothing spilling sideways at 375: a broker books a supported living
room end to end as the README walks it (search near a postcode, hold, the provider confirms
and later ends the tenancy), and the care homes pages (the commissioner's market page, the
broker's bed search nearest first, a provider's homes)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from caremarket.core import clock
from tests.browser.test_directory_walk import sign_in
from tests.browser_support import WIDTHS, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]


def _fits(page: Page, width: int) -> None:
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width + 1, f"{page.url} is {scrolled}px wide at {width}px"


def _sign_out(page: Page, base: str) -> None:
    page.goto(f"{base}/sign-out/")
    page.get_by_role("button", name="Sign out").click()


def _check(page: Page, width: int) -> None:
    assert_accessible(page)
    _fits(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_book_a_room_end_to_end_then_end_the_tenancy(live_server, page: Page, width: int) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base, "staffs.broker")
    page.goto(f"{base}/bookings/")
    expect(page.get_by_role("heading", name="Find a supported living room")).to_be_visible()
    _check(page, width)
    page.get_by_role("link", name="STA-R-000003").click()
    page.get_by_label("Or near a postcode").fill("WS12 2ES")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table tbody tr").first).to_be_visible()
    _check(page, width)
    page.get_by_role("link", name=re.compile("Hednesford Row")).first.click()
    expect(page.locator("#hold")).to_be_visible()
    _check(page, width)
    page.get_by_role("button", name=re.compile("Hold this room for STA-R-000003")).click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Held until")
    _check(page, width)
    _sign_out(page, base)

    sign_in(page, base, "provider.staffs")
    page.goto(f"{base}/bookings/holds/")
    _check(page, width)
    page.get_by_role("link", name="STA-R-000003").first.click()
    # Before confirming, a summary only: not the person.
    expect(page.get_by_role("heading", name="The person", exact=True)).to_have_count(0)
    _check(page, width)
    move_in = clock.today() + timedelta(days=1)
    page.locator("#id_move_in_date_0").fill(str(move_in.day))
    page.locator("#id_move_in_date_1").fill(str(move_in.month))
    page.locator("#id_move_in_date_2").fill(str(move_in.year))
    page.get_by_role("button", name="Confirm the booking").click()
    expect(page.get_by_role("heading", name="The person", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="The person has moved out")).to_be_visible()
    _check(page, width)
    # The tenancy cannot end before the move-in: the error names the field, nothing changes.
    page.locator("#id_moved_out_on_0").fill(str(clock.today().day))
    page.locator("#id_moved_out_on_1").fill(str(clock.today().month))
    page.locator("#id_moved_out_on_2").fill(str(clock.today().year))
    page.get_by_label("Moved away").check()
    page.get_by_role("button", name="End the tenancy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("before the move-in date")
    _check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_care_homes_pages(live_server, page: Page, width: int) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base, "devon.commissioner")
    page.goto(f"{base}/care-homes/")
    expect(page.get_by_role("heading", name="Care homes", exact=True)).to_be_visible()
    expect(page.locator("figure.app-chart svg").first).to_be_visible()
    _check(page, width)
    _sign_out(page, base)

    sign_in(page, base, "devon.broker")
    page.goto(f"{base}/care-homes/beds/")
    _check(page, width)
    page.get_by_role("button", name="Search").click()  # empty: both fields' errors
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's postcode")
    _check(page, width)
    page.get_by_label("Type of bed needed").select_option("general_residential")
    page.get_by_label("Person's postcode").fill("EX4 1AA")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Distance is measured from")).to_be_visible()
    expect(page.locator("table tbody tr").first).to_be_visible()
    _check(page, width)
    _sign_out(page, base)

    sign_in(page, base, "devon.carehome")
    page.goto(f"{base}/care-homes/mine/")
    _check(page, width)
    page.locator("main table tbody a").first.click()
    expect(page.locator("h1")).to_be_visible()
    _check(page, width)
