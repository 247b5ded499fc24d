"""Each route to market walked end to end in headless Chromium, as the people who use it,
with axe-core clean (no serious or critical violations) on every page visited.

The live server runs in a thread of this process, so the ``clock`` fixture moves its time
too: that is how a walk gets past an offer window or a bid deadline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from caremarket.accounts.models import User
from caremarket.brokerage import routing
from caremarket.brokerage.models import Competition, Offer, Referral
from caremarket.brokerage.services import competitions
from caremarket.core import clock as clock_module
from caremarket.core.roles import Role
from caremarket.demo.builder import DEMO_PASSWORD
from tests.brokerage.support import account, care_group, provider_user, raise_referral
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("market")]


@contextmanager
def signed_in(browser: Browser, base: str, username: str) -> Iterator[Page]:
    """A fresh browser context for one person, signed in through the sign-in page (which,
    and the page it lands on, are checked with axe like every other page visited)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{base}/sign-in/")
        assert_accessible(page)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Signed in as")).to_be_visible()
        assert_accessible(page)
        yield page
    finally:
        context.close()


def visit(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def fill_date(page: Page, name: str, day) -> None:  # type: ignore[no-untyped-def]
    page.locator(f'[name="{name}_0"]').fill(str(day.day))
    page.locator(f'[name="{name}_1"]').fill(str(day.month))
    page.locator(f'[name="{name}_2"]').fill(str(day.year))


def raise_through_the_form(
    page: Page, base: str, *, postcode: str, service_code: str, group: str, hours: str
) -> int:  # type: ignore[no-untyped-def]
    """A practitioner raises a referral for someone new; returns the new referral's id."""
    visit(page, f"{base}/referrals/new/?service={service_code}")  # the service comes first
    page.locator('[name="given_name"]').fill("Ottilie")
    page.locator('[name="family_name"]').fill("Browserwalk")
    fill_date(page, "date_of_birth", clock_module.today().replace(year=1940, day=1))
    page.locator('[name="address"]').fill("2 Quay Lane")
    page.locator('[name="postcode"]').fill(postcode)
    page.locator('[name="care_group"]').select_option(str(care_group(group).pk))
    page.locator('[name="hours_per_week"]').fill(hours)
    page.locator('[name="calls_per_day"]').fill("2")
    page.get_by_label("Morning").check()
    page.get_by_label("Evening").check()
    fill_date(page, "start_date", clock_module.today() + timedelta(days=7))
    page.get_by_label("Planned").check()
    page.locator('[name="outcomes"]').fill("To keep painting, and to see the sea each day.")
    page.get_by_role("button", name="Raise referral").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("raised")
    assert_accessible(page)
    match = re.search(r"/referrals/(\d+)/$", page.url)
    assert match, page.url
    return int(match.group(1))


def open_offer_from_the_inbox(page: Page, base: str, referral: Referral) -> None:
    visit(page, f"{base}/inbox/")
    page.get_by_role("link", name=referral.reference).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(referral.reference)
    assert_accessible(page)


def test_framework_first_raised_answered_and_awarded_by_the_persons_choice(  # type: ignore[no-untyped-def]
    live_server,
    browser: Browser,
    clock,
) -> None:
    """Supporting Independence: a practitioner raises it; provider.devon accepts it from
    its inbox (seeing no name before the award); once the window closes the broker records
    the person's choice and awards; the provider then sees who the person is."""
    base = live_server.url
    with signed_in(browser, base, "devon.practitioner") as page:
        pk = raise_through_the_form(
            page,
            base,
            postcode="EX39 9ZZ",
            service_code="individualised-support",
            group="PD",
            hours="6",
        )
        expect(page.get_by_role("main")).to_contain_text("Framework first")
    referral = Referral.objects.get(pk=pk)
    devon = account("provider.devon")
    mine = referral.offers.get(provider=devon.provider)

    with signed_in(browser, base, "provider.devon") as page:
        open_offer_from_the_inbox(page, base, referral)
        assert "Browserwalk" not in page.content()
        page.get_by_role("button", name="Accept").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You accepted")
        assert_accessible(page)

    clock.set(mine.deadline + timedelta(minutes=1))
    with signed_in(browser, base, "devon.broker") as page:
        visit(page, f"{base}/referrals/{pk}/")
        page.get_by_label(re.compile(re.escape(devon.provider.display_name))).check()
        page.get_by_role("button", name="Confirm award").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            f"Awarded to {devon.provider.display_name}"
        )
        assert_accessible(page)
        expect(page.get_by_role("main")).to_contain_text("Placed: service agreement")

    with signed_in(browser, base, "provider.devon") as page:
        visit(page, f"{base}/inbox/offers/{mine.pk}/")
        expect(page.get_by_role("main")).to_contain_text("Ottilie Browserwalk")
    assert Offer.objects.get(pk=mine.pk).status == Offer.Status.AWARDED


def test_prime_provider_placed_with_a_subcontractor(live_server, browser: Browser, clock) -> None:  # type: ignore[no-untyped-def]
    """Isle of Wight: the practitioner raises it; the lead, provider.iow, places it with a
    panel member from its inbox; the member confirms from its own inbox; the broker sees it
    placed, subcontracted, and the lead's subcontracting share."""
    base = live_server.url
    with signed_in(browser, base, "iow.practitioner") as page:
        pk = raise_through_the_form(
            page, base, postcode="PO33 9ZZ", service_code="personal-care", group="OP", hours="7.25"
        )
    referral = Referral.objects.get(pk=pk)
    lead_offer = referral.offers.get(kind=Offer.Kind.LEAD)
    member = routing.panel_for(lead_offer, clock_module.today())[0]
    User.objects.create_user(
        username="member.walk",
        password=DEMO_PASSWORD,
        role=Role.PROVIDER,
        provider=member,
        email="member.walk@provider.example",
    )

    with signed_in(browser, base, "provider.iow") as page:
        open_offer_from_the_inbox(page, base, referral)
        page.get_by_label("Subcontractor from your panel").select_option(str(member.pk))
        page.get_by_role("button", name="Place with this subcontractor").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "they must confirm"
        )
        assert_accessible(page)

    with signed_in(browser, base, "member.walk") as page:
        open_offer_from_the_inbox(page, base, referral)
        page.get_by_role("button", name="Confirm we will deliver it").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "You will deliver"
        )
        assert_accessible(page)

    with signed_in(browser, base, "iow.broker") as page:
        visit(page, f"{base}/referrals/{pk}/")
        expect(page.get_by_role("main")).to_contain_text(
            f"subcontracted by {lead_offer.provider.display_name}"
        )
        visit(page, f"{base}/subcontracting/")
        expect(page.get_by_role("main")).to_contain_text(lead_offer.provider.display_name)
    referral.refresh_from_db()
    assert referral.award.delivering_provider == member


def test_call_off_competition_bid_and_award(live_server, browser: Browser, clock) -> None:  # type: ignore[no-untyped-def]
    """Staffordshire: the broker opens a call-off for one person from the referral page;
    provider.harbour bids from its inbox (a rival bids too); after the deadline the broker
    scores both and awards by the published weights; harbour never sees the rival's bid."""
    base = live_server.url
    referral = raise_referral(
        "staffs", 4, "supported-living", group="MH", band="medium", hours=None
    )
    deadline_day = clock_module.today() + timedelta(days=2)
    with signed_in(browser, base, "staffs.broker") as page:
        visit(page, f"{base}/referrals/{referral.pk}/")
        page.get_by_text("Invite bids (call-off for this person)").click()
        form = page.locator("form", has=page.locator('input[name="action"][value="competition"]'))
        fill_date(form, "deadline", deadline_day)  # type: ignore[arg-type]
        form.get_by_role("button", name="Open competition").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("opened")
        assert_accessible(page)
    competition = Competition.objects.get(referral=referral)

    harbour = account("provider.harbour")
    with signed_in(browser, base, "provider.harbour") as page:
        visit(page, f"{base}/inbox/")
        page.get_by_role("link", name=re.compile(competition.reference)).click()
        expect(page.get_by_label("Weekly price")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Weekly price").fill("488.15")

        for q in competition.questions:
            page.locator(f'[name="answer_{q["key"]}"]').fill(f"Harbour's answer on {q['key']}.")
        page.get_by_role("button", name="Submit bid").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Your bid is in"
        )
        assert_accessible(page)
    rival = (
        competition.lot.appointments.exclude(provider=harbour.provider)
        .order_by("pk")
        .first()
        .provider
    )
    competitions.submit_bid(
        competition.pk,
        provider=rival,
        by=provider_user(rival),
        weekly_price=Decimal("471.62"),
        answers={q["key"]: "The rival's answer." for q in competition.questions},
    )

    clock.set(competition.deadline + timedelta(minutes=1))
    with signed_in(browser, base, "staffs.broker") as page:
        visit(page, f"{base}/competitions/{competition.pk}/")
        for bid, score in (
            (competition.bids.get(provider=harbour.provider), "90"),
            (competition.bids.get(provider=rival), "60"),
        ):
            form = page.locator(
                "form", has=page.locator(f'input[name="action"][value="score-{bid.pk}"]')
            )
            for q in competition.questions:
                form.locator(f'[name="bid{bid.pk}-score_{q["key"]}"]').fill(score)
            form.get_by_role("button", name=re.compile("Save scores")).click()
            expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
                "Scores saved"
            )
        assert_accessible(page)
        page.get_by_role("button", name="Rank by the published weights and award").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            f"Awarded to {harbour.provider.display_name}"
        )
        assert_accessible(page)

    with signed_in(browser, base, "provider.harbour") as page:
        visit(page, f"{base}/competitions/{competition.pk}/")
        expect(page.get_by_role("main")).to_contain_text(
            f"Awarded to {harbour.provider.display_name}"
        )
        assert "471.62" not in page.content() and "The rival's answer" not in page.content()
    referral.refresh_from_db()
    assert referral.award.provider == harbour.provider


def test_an_invalid_referral_shows_the_error_summary(live_server, browser: Browser, clock) -> None:  # type: ignore[no-untyped-def]
    """Hours not in quarter hours and no outcomes: the GOV.UK error summary lists both,
    each linking to its field, the page stays accessible, and nothing is raised."""
    base = live_server.url
    before = Referral.objects.count()
    with signed_in(browser, base, "devon.practitioner") as page:
        visit(page, f"{base}/referrals/new/?service=personal-care")
        page.locator('[name="given_name"]').fill("Ottilie")
        page.locator('[name="family_name"]').fill("Mistake")
        fill_date(page, "date_of_birth", clock_module.today().replace(year=1940, day=1))
        page.locator('[name="address"]').fill("2 Quay Lane")
        page.locator('[name="postcode"]').fill("EX39 9ZZ")
        page.locator('[name="care_group"]').select_option(str(care_group("OP").pk))
        page.locator('[name="hours_per_week"]').fill("7.3")
        fill_date(page, "start_date", clock_module.today() + timedelta(days=3))
        page.get_by_label("Planned").check()
        page.get_by_role("button", name="Raise referral").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text("Say what matters to the person")
        expect(page).to_have_title(re.compile("^Error: "))
        assert_accessible(page)
        summary.get_by_role("link", name="Say what matters to the person").click()
        expect(page.locator('[name="outcomes"]')).to_be_focused()
        page.locator('[name="outcomes"]').fill("To stay at home.")
        page.get_by_role("button", name="Raise referral").click()
        expect(summary).to_contain_text("Give hours in quarters of an hour, like 7.5 or 10.25.")
        assert_accessible(page)
    assert Referral.objects.count() == before


def test_a_known_person_by_reference_and_a_refusal_on_the_referral_page(  # type: ignore[no-untyped-def]
    live_server, browser: Browser, clock
) -> None:
    """A practitioner raises care for someone the council knows, typing the reference in
    lower case with spaces around it (one normalisation, web and API alike); an unknown one
    is refused on its field. Then a broker escalates without saying why: the referral page
    shows the error summary, its title starts "Error:", and nothing is escalated."""
    base = live_server.url
    # Known for another service: a second open home care referral would be a duplicate.
    known = raise_referral("devon", 4, "individualised-support", group="PD").person
    with signed_in(browser, base, "devon.practitioner") as page:
        for typed in ("DEV-P-999999", f"  {known.reference.lower()} "):
            visit(page, f"{base}/referrals/new/?service=personal-care")
            page.locator('[name="person_reference"]').fill(typed)
            page.locator('[name="hours_per_week"]').fill("5")
            fill_date(page, "start_date", clock_module.today() + timedelta(days=5))
            page.get_by_label("Planned").check()
            page.locator('[name="outcomes"]').fill("To stay at home with the cat.")
            page.get_by_role("button", name="Raise referral").click()
            if typed == "DEV-P-999999":
                summary = page.locator(".govuk-error-summary")
                expect(summary).to_contain_text("No person DEV-P-999999 is known to this council.")
                expect(page).to_have_title(re.compile("^Error: "))
                assert_accessible(page)
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("raised")
        pk = int(re.search(r"/referrals/(\d+)/$", page.url).group(1))  # type: ignore[union-attr]
    assert Referral.objects.get(pk=pk).person == known

    with signed_in(browser, base, "devon.broker") as page:
        visit(page, f"{base}/referrals/{pk}/")
        page.locator("summary", has_text="Escalate").click()
        form = page.locator("form", has=page.locator('input[name="action"][value="escalate"]'))
        form.get_by_role("button", name="Escalate").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Say why")
        expect(page).to_have_title(re.compile("^Error: Referral "))
        assert_accessible(page)
    assert Referral.objects.get(pk=pk).escalated_at is None
