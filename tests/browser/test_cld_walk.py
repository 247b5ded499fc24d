"""A commissioner opens the Client Level Data page at desktop and phone width, axe-core clean:
the return and its clean check, another quarter (the empty state), and the CSV download."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_directory_walk import sign_in
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]


def test_the_cld_page_is_accessible_and_downloads(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    sign_in(page, base, "devon.commissioner")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/returns/cld/")
        expect(page.get_by_role("heading", name="Client Level Data return")).to_be_visible()
        expect(page.get_by_text("No problems", exact=True)).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Quarter").select_option(index=5)
        page.get_by_role("button", name="Show the return").click()
        expect(page.get_by_text("No request, service or review")).to_be_visible()
        assert_accessible(page)
    page.goto(f"{base}/returns/cld/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the return as CSV").click()
    assert download.value.suggested_filename.startswith("E10000008-")
