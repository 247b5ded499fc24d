"""Tables on a phone and pages on paper (issue 14).

At 375 px, 51 scroll containers could not take keyboard focus (axe: scrollable-region-focusable)
and tables lost their key columns with no cue. Every scrolling table wrapper is now a labelled,
focusable region; the first column stays in view; a print stylesheet drops the site's chrome.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from caremarket.brokerage.models import Offer
from caremarket.brokerage.services import referrals
from tests.brokerage.support import account, framework_offers, raise_referral

SRC = Path(__file__).resolve().parents[2] / "src" / "caremarket"
CSS = SRC / "core" / "static" / "caremarket" / "caremarket.css"
OWNED = [SRC / "brokerage" / "templates", SRC / "core" / "templates" / "includes", SRC / "home"]
WRAPPER = re.compile(r'<div class="app-table-wrapper"([^>]*)>')


def test_every_scrolling_table_wrapper_is_a_focusable_labelled_region() -> None:
    found = 0
    for root in OWNED:
        for template in root.rglob("*.html"):
            for attrs in WRAPPER.findall(template.read_text()):
                found += 1
                assert 'tabindex="0"' in attrs, template
                assert 'role="region"' in attrs and "aria-label=" in attrs, template
    assert found >= 14  # every table of brokerage, and the shared include


def test_the_stylesheet_keeps_the_key_column_and_shows_focus_and_prints_cleanly() -> None:
    css = CSS.read_text()
    assert ".app-table-wrapper:focus" in css
    assert "position: sticky" in css
    print_rules = css[css.index("@media print") :]
    for hidden in (".govuk-template__header", ".govuk-footer", "form", ".govuk-details"):
        assert hidden in print_rules


@pytest.mark.django_db
def test_a_table_page_has_a_focusable_region_and_a_scroll_cue(client_for: Any) -> None:
    raise_referral("devon", 1, "personal-care")
    page = client_for("devon.broker").get("/referrals/").content.decode()
    assert 'tabindex="0" role="region" aria-label="Referrals (scrolls sideways)"' in page
    assert "Scroll the table sideways" in page


@pytest.mark.django_db
def test_a_provider_sees_why_its_offer_was_withdrawn(client_for: Any) -> None:
    # A zone where one of the providers offered the referral has a user who can sign in.
    for zone in range(1, 9):
        referral = raise_referral("devon", zone, "individualised-support", group="PD")
        offer = next((o for o in framework_offers(referral) if o.provider.users.exists()), None)
        if offer is not None:
            break
    assert offer is not None
    referrals.cancel(referral, by=account("devon.broker"), reason="The person moved away.")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    client = client_for(offer.provider.users.order_by("pk").first().username)
    page = client.get(f"/inbox/offers/{offer.pk}/").content.decode()
    assert "The council withdrew this offer: The referral was cancelled." in page
    assert "Your time to answer would have run until" in page
