"""The audit trail (as the commissioner) and the personal-data access log (as the data
protection officer) at desktop (1280 px) and phone (375 px) width: axe-core clean, with
filters (and a filter's error) that work without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from caremarket.demo.accounts import data_protection_officer
from caremarket.market.models import Commissioner
from tests.browser.test_directory_walk import sign_in
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]


def test_the_audit_trail_is_accessible_at_both_widths(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    sign_in(page, base, "devon.commissioner")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/audit/")
        expect(page.get_by_role("heading", name="Audit trail", exact=True)).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Kind of record").select_option("brokerage.referral")
        page.locator("main form button[type=submit]").click()
        expect(page.locator("table tbody tr").first).to_be_visible()
        assert_accessible(page)
        page.goto(f"{base}/audit/?since_0=31&since_1=2&since_2=2026")
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)


def test_the_access_log_is_accessible_at_both_widths(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    data_protection_officer(Commissioner.objects.get(slug="devon"), username="browser.dpo")
    base = live_server.url
    sign_in(page, base, "browser.dpo")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/audit/personal-data/")
        expect(page.get_by_role("heading", name="Personal data access log")).to_be_visible()
        assert_accessible(page)
