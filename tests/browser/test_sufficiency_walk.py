"""A commissioner walks every market sufficiency page at desktop (1280 px) and phone
(375 px) width, axe-core clean on each, with no JavaScript needed for the charts: the
dashboard, each drill-down behind its figures, the day opportunity and replacement care
pages, projections and rates, parameters, the imports upload (and its error), the statement
list and page, the narrative and an action; then records a day service's status."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from caremarket.core import clock
from tests.browser.test_directory_walk import sign_in
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]

PAGES = (
    ("/sufficiency/", "Market sufficiency dashboard"),
    ("/sufficiency/packages/?zone=1", "Packages in place (imported)"),
    ("/sufficiency/awaiting/?zone=4", "Awaiting care (imported list)"),
    ("/sufficiency/day-opportunities/", "Day opportunity services by operating status"),
    (
        "/sufficiency/day-opportunities/?status=at_risk",
        "Day opportunity services by operating status",
    ),
    ("/sufficiency/replacement-care/", "The replacement care list"),
    ("/sufficiency/projections/", None),
    ("/sufficiency/rates/", "Prevalence rates"),
    ("/sufficiency/parameters/", None),
    ("/sufficiency/imports/", None),
    ("/statements/", None),
)


def test_every_insight_page_is_accessible_at_both_widths(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    sign_in(page, base, "devon.commissioner")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for path, heading in PAGES:
            page.goto(f"{base}{path}")
            if heading:
                expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            assert_accessible(page)
        page.goto(f"{base}/sufficiency/")
        expect(page.locator("svg.app-chart").first).to_be_visible()
        expect(page.get_by_role("heading", name="Day opportunities", exact=True)).to_be_visible()
        # The upload form sent empty shows its errors, still accessible.
        page.goto(f"{base}/sufficiency/imports/")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)
        # The statement page, its narrative and an action (new and existing).
        page.goto(f"{base}/statements/")
        page.locator("table tbody a").first.click()
        expect(page.get_by_role("heading", name="Contents")).to_be_visible()
        expect(page.locator("#day_opportunities")).to_be_visible()
        expect(page.locator("#replacement_care")).to_be_visible()
        assert_accessible(page)
        statement = page.url
        page.goto(f"{statement}edit/")
        assert_accessible(page)
        page.goto(f"{statement}actions/new/")
        assert_accessible(page)
        page.goto(statement)
        page.locator("a[href*='/actions/']:not([href$='/new/'])").first.click()
        assert_accessible(page)


def test_a_commissioner_records_a_day_services_status(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    sign_in(page, base, "devon.commissioner")
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(f"{base}/sufficiency/day-opportunities/")
    page.get_by_role("button", name="Record the status").click()  # empty: errors, no change
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    service = page.get_by_label("Day opportunity service", exact=True)
    service.select_option(index=1)
    chosen = service.locator("option:checked").inner_text()
    page.get_by_label("Operating status", exact=True).select_option("at_risk")
    today = clock.today()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_role("button", name="Record the status").click()
    expect(page.get_by_text("Status recorded.")).to_be_visible()
    page.goto(f"{base}/sufficiency/day-opportunities/?status=at_risk")
    expect(page.locator("table")).to_contain_text(chosen.split(" (")[0])
    assert_accessible(page)
