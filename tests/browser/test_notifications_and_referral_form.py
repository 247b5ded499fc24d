"""The notification inbox and the service-shaped referral form in a browser (issue 14), at
desktop and phone width, axe-core clean: marking read works without JavaScript, and choosing
a service swaps in its own questions in place (htmx) as the plain GET form would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from caremarket.brokerage.models import InboxItem
from caremarket.core import clock
from tests.brokerage.test_browser_walks import fill_date
from tests.browser.test_directory_walk import sign_in
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]


def _give_notifications(username: str, n: int = 3) -> None:
    from caremarket.accounts.models import User

    user = User.objects.get(username=username)
    InboxItem.objects.bulk_create(
        InboxItem(
            user=user,
            provider=user.provider,
            kind=InboxItem.Kind.OFFER_ARRIVED,
            title=f"Browser notification {i}",
            body="A referral to answer.",
            link="/inbox/",
            created_at=clock.now(),
        )
        for i in range(n)
    )


def test_the_notification_inbox(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    _give_notifications("provider.harbour")
    sign_in(page, base, "provider.harbour")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/notifications/")
        expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
        expect(page.get_by_role("link", name="Browser notification 1")).to_be_visible()
        assert_accessible(page)
    unread = InboxItem.objects.filter(user__username="provider.harbour", read_at__isnull=True)
    before = unread.count()
    page.get_by_role("button", name="Browser notification 2").click()  # "Mark as read: …"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Marked as read")
    assert unread.count() == before - 1
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("Nothing unread.").first).to_be_visible()
    assert_accessible(page)


def test_the_referral_form_shows_the_services_questions(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    sign_in(page, base, "devon.practitioner")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/referrals/new/")
        expect(page.get_by_text("Choose the service first")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Which service does the person need?").select_option(label="Nursing care")
        # htmx swaps the form in place: the bed question, and no hours.
        expect(page.get_by_label("Kind of bed")).to_be_visible()
        expect(page.locator('[name="hours_per_week"]')).to_have_count(0)
        assert_accessible(page)
        page.get_by_label("Which service does the person need?").select_option(
            label="Regulated personal care (home care)"
        )
        expect(page.get_by_label("Hours a week")).to_be_visible()
        expect(page.locator('[name="bed_type"]')).to_have_count(0)
        assert_accessible(page)
    # The same without htmx: the GET form, then a refused post names the missing bed.
    page.goto(f"{base}/referrals/new/?service=nursing-care")
    page.locator('[name="given_name"]').fill("Ottilie")
    page.locator('[name="family_name"]').fill("Bedless")
    fill_date(page, "date_of_birth", clock.today().replace(year=1940, day=1))
    page.locator('[name="address"]').fill("2 Quay Lane")
    page.locator('[name="postcode"]').fill("EX4 1AA")
    page.locator('[name="care_group"]').select_option(label="Older people")
    fill_date(page, "start_date", clock.today() + timedelta(days=7))
    page.get_by_label("Planned").check()
    page.locator('[name="outcomes"]').fill("To be near my sister.")
    page.get_by_role("button", name="Raise referral").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the kind of care home bed the person needs.")
    assert_accessible(page)
