"""What a viewer may see of an award and of an offer: the presenter's pure decision
(``rules.award_seen``, ``rules.offer_price_seen``), called without a database. The pages,
the API and the emails that read it are tested in test_presenters_prices.py and
test_presenters_award_reasons.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from caremarket.brokerage import rules

LEAD, MEMBER, RIVAL = 1, 2, 3
PRICE = Decimal("23.10")


def _award(
    viewer: int | None, pricing_model: str = "provider_zone_price", **kw: str
) -> rules.AwardSeen:
    given = {
        "reason": "Weighted (quality 60%, price 40%): Lead 88.00, Rival 71.43.",
        "public_reason": "Weighted (quality 60%, price 40%): awarded to Lead.",
        "rule": "weighted",
        **kw,
    }
    return rules.award_seen(
        viewer=viewer,
        placed_with=LEAD,
        placed_with_name="Lead",
        pricing_model=pricing_model,
        unit_price=PRICE,
        **given,
    )


def test_council_staff_see_the_price_the_scored_reason_and_the_scores() -> None:
    seen = _award(None)
    assert (seen.shows_price, seen.unit_price, seen.shows_scores) == (True, PRICE, True)
    assert "71.43" in seen.reason


def test_the_contracted_provider_sees_its_price_and_the_reason_without_scores() -> None:
    seen = _award(LEAD)
    assert (seen.shows_price, seen.unit_price, seen.shows_scores) == (True, PRICE, False)
    assert seen.reason == "Weighted (quality 60%, price 40%): awarded to Lead."


@pytest.mark.parametrize("viewer", [MEMBER, RIVAL])
def test_another_provider_never_sees_the_leads_own_price(viewer: int) -> None:
    seen = _award(viewer)
    assert (seen.shows_price, seen.unit_price) == (False, None)
    assert "71.43" not in seen.reason


def test_a_published_fixed_rate_is_shown_to_a_subcontractor() -> None:
    seen = _award(MEMBER, pricing_model="fixed_rate")
    assert (seen.shows_price, seen.unit_price) == (True, PRICE)


def test_an_award_older_than_public_reasons_gets_a_plain_line_never_the_scores() -> None:
    assert _award(MEMBER, public_reason="").reason == "Awarded to Lead (weighted)."
    assert _award(MEMBER, public_reason="", rule="").reason == "Awarded to Lead."
    assert "71.43" in _award(None, public_reason="").reason


@pytest.mark.parametrize(
    ("viewer", "kind", "pricing_model", "shown"),
    [
        (None, "subcontract", "provider_zone_price", PRICE),  # council staff see it all
        (MEMBER, "subcontract", "provider_zone_price", None),  # the lead's own price
        (MEMBER, "subcontract", "fixed_rate", PRICE),  # the council's published rate
        (LEAD, "lead", "provider_zone_price", PRICE),
        (RIVAL, "framework", "provider_zone_price", PRICE),  # its own offer's price
    ],
)
def test_the_price_an_offer_shows(
    viewer: int | None, kind: str, pricing_model: str, shown: Decimal | None
) -> None:
    price = rules.offer_price_seen(
        viewer=viewer, kind=kind, pricing_model=pricing_model, unit_price=PRICE
    )
    assert price == shown
