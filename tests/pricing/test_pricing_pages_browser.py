"""Every pricing and entry-point page in a browser at desktop (1280 px) and phone (375 px)
width, axe-core clean: the council's cost of care, price transparency, fee reviews, entry
windows, the terms a window publishes, an application and its outcome letter; a provider's
view of a review; a practitioner's band review. And one write through the browser: a bad
weight on the entry-terms page shows the error summary and changes nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from caremarket.frameworks.models import QualityQuestion
from tests.browser.test_directory_walk import sign_in
from tests.browser_support import assert_accessible, walk_accessible
from tests.pricing import matrix

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]


def test_the_councils_pricing_and_entry_pages(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    sign_in(page, base, "devon.commissioner")
    framework = matrix.devon_open_framework()
    walk_accessible(
        page,
        base,
        [
            "/pricing/cost-of-care/",
            "/pricing/transparency/",
            "/pricing/fee-reviews/",
            f"/pricing/fee-reviews/{matrix.devon_review()}/",
            f"/pricing/fee-reviews/{matrix.devon_review()}/agreements/",
            "/entry-windows/",
            f"/entry-windows/{matrix.devon_window()}/",
            f"/entry-windows/frameworks/{framework}/terms/",
            "/applications/",
            f"/applications/{matrix.devon_application('evaluating')}/",
            f"/applications/{matrix.devon_application()}/outcome/",
        ],
    )


def test_a_bad_weight_on_the_terms_page_is_named_and_saves_nothing(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    from caremarket.frameworks.models import Framework

    base = live_server.url
    sign_in(page, base, "devon.commissioner")
    page.set_viewport_size({"width": 375, "height": 900})
    # Supporting Independence has applications being evaluated: its terms are locked.
    page.goto(f"{base}/entry-windows/frameworks/{matrix.devon_open_framework()}/terms/")
    expect(page.get_by_text("These terms cannot change now.")).to_be_visible()
    assert page.get_by_role("button", name="Add question").count() == 0
    # Living Well at Home has none: its terms may change.
    framework = Framework.objects.get(slug="living-well-at-home").pk
    before = QualityQuestion.objects.filter(framework_id=framework).count()
    page.goto(f"{base}/entry-windows/frameworks/{framework}/terms/")
    page.get_by_label("Question", exact=True).fill("How do you support carers?")
    page.get_by_label("Criteria each score is judged by").fill("A named lead and a plan.")
    page.get_by_label("Weight (%)").fill("0")
    page.get_by_role("button", name="Add question").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("A weight is a percentage")
    assert_accessible(page)
    assert QualityQuestion.objects.filter(framework_id=framework).count() == before


def test_a_providers_review_and_a_practitioners_band_review(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    sign_in(page, base, "provider.devon")
    walk_accessible(
        page, base, ["/pricing/fee-reviews/", f"/pricing/fee-reviews/{matrix.devon_review()}/"]
    )
    page.context.clear_cookies()
    sign_in(page, base, "staffs.practitioner")
    walk_accessible(
        page, base, [f"/pricing/agreements/{matrix.staffs_banded_agreement()}/band-review/"]
    )
