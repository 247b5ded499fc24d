"""The API's reference page and its OpenAPI document, opened in a browser at desktop
(1280 px) and phone (375 px) width: readable (the document is text, not a download) and
axe-core clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]


def test_the_api_docs_and_schema_are_accessible_at_both_widths(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/api/docs/")
        expect(page.get_by_role("heading", name="API reference", exact=True)).to_be_visible()
        assert_accessible(page)
        page.goto(f"{base}/api/docs/?page=2")
        assert_accessible(page)
        page.goto(f"{base}/api/schema/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("OpenAPI document")
        expect(page.locator("pre")).to_contain_text("openapi: 3.")
        assert_accessible(page)
