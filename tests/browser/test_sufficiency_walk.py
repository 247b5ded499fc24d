"""A commissioner reads the market sufficiency dashboard and the published statement at
desktop and phone width, axe-core clean, with no JavaScript needed for the charts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_directory_walk import sign_in
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]


def test_dashboard_and_statement_are_accessible(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    sign_in(page, base, "devon.commissioner")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/sufficiency/")
        expect(page.get_by_role("heading", name="Market sufficiency dashboard")).to_be_visible()
        expect(page.locator("svg.app-chart").first).to_be_visible()
        assert_accessible(page)
        page.goto(f"{base}/statements/")
        page.locator("table tbody a").first.click()
        expect(page.get_by_role("heading", name="Contents")).to_be_visible()
        assert_accessible(page)
