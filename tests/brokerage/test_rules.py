"""Brokerage's pure rules (``brokerage.rules``), called without a database: route choice,
units, offer deadlines, when an award may be made, and the one "already placed" answer.
(Days waiting and priority: test_waiting.py; what a viewer may see: test_presenters.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from caremarket.brokerage import rules
from caremarket.brokerage.models import Offer, Referral
from caremarket.core.errors import Conflict
from caremarket.frameworks.models import Framework

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_the_plain_strings_are_the_models_choices() -> None:
    route, pricing, kind = Framework.Route, Framework.PricingModel, Framework.Kind
    assert (rules.FRAMEWORK_FIRST, rules.PRIME_PROVIDER, rules.CALL_OFF) == (
        route.FRAMEWORK_FIRST, route.PRIME_PROVIDER, route.CALL_OFF,
    )  # fmt: skip
    assert (rules.MINI_COMPETITION, rules.SPOT) == (route.MINI_COMPETITION, route.SPOT)
    assert (rules.FIXED_RATE, rules.BANDED_WEEKLY_RATE) == (
        pricing.FIXED_RATE, pricing.BANDED_WEEKLY_RATE,
    )  # fmt: skip
    assert rules.APPROVED_LIST == kind.APPROVED_LIST
    assert rules.SUBCONTRACT == Offer.Kind.SUBCONTRACT
    assert {Referral.Urgency.HOSPITAL_DISCHARGE, Referral.Urgency.CRISIS} == rules.URGENT


@pytest.mark.parametrize(
    ("route_to_market", "has_lead", "route"),
    [
        ("prime_provider", True, "prime_provider"),
        ("prime_provider", False, "framework_first"),  # a zone the council coordinates
        ("call_off", False, "call_off"),
        ("mini_competition", False, "mini_competition"),
        ("framework_first", False, "framework_first"),
    ],
)
def test_the_route_follows_the_framework_and_the_zones_lead(
    route_to_market: str, has_lead: bool, route: str
) -> None:
    assert rules.route_for(route_to_market, zone_has_lead=has_lead) == route


def test_an_approved_list_is_the_fallback_then_the_older_framework_then_the_lower_lot() -> None:
    keys = {
        "list": rules.lot_preference(framework_kind="approved_list", framework_id=1, lot_number=1),
        "new": rules.lot_preference(framework_kind="open_framework", framework_id=9, lot_number=1),
        "old2": rules.lot_preference(framework_kind="dps", framework_id=3, lot_number=2),
        "old1": rules.lot_preference(framework_kind="dps", framework_id=3, lot_number=1),
    }
    assert sorted(keys, key=keys.__getitem__) == ["old1", "old2", "new", "list"]


def test_units_and_amounts() -> None:
    assert rules.unit_of("banded_weekly_rate", "hour") == "week"
    assert rules.unit_of("provider_zone_price", "session") == "session"
    assert rules.unit_of(None, "hour") == "hour"
    assert rules.units_per_week("week", hours=Decimal("30"), sessions=None) == 1
    assert rules.units_per_week("hour", hours=Decimal("7.5"), sessions=None) == Decimal("7.5")
    assert rules.units_per_week("session", hours=None, sessions=3) == 3
    assert rules.units_per_week("night", hours=None, sessions=None) == 0


def test_offer_deadlines() -> None:
    framework = {"window_hours": 48, "urgent_window_hours": 4}
    assert rules.offer_deadline(NOW, urgency="planned", **framework) == NOW + timedelta(hours=48)
    for urgent in ("crisis", "hospital_discharge"):
        assert rules.offer_deadline(NOW, urgency=urgent, **framework) == NOW + timedelta(hours=4)
    none = rules.offer_deadline(NOW, urgency="crisis", window_hours=None, urgent_window_hours=None)
    assert none == NOW + timedelta(hours=48)
    # A subcontractor keeps the lead's time left, and gets at least four hours.
    later = NOW + timedelta(hours=10)
    assert rules.subcontract_deadline(later, NOW) == later
    assert rules.subcontract_deadline(NOW + timedelta(hours=1), NOW) == NOW + timedelta(hours=4)


def _ready(**given: object) -> tuple[bool, str]:
    args: dict[str, object] = {
        "state": "offered",
        "has_framework": True,
        "any_accepted": True,
        "open_until": None,
        "award_before_window_closes": False,
    }
    return rules.award_readiness(**{**args, **given})  # type: ignore[arg-type]


def test_when_the_broker_may_award() -> None:
    assert _ready() == (True, "")
    assert _ready(state="awaiting_care") == (True, "")  # an acceptance already in stands
    assert _ready(state="awarded")[1] == "Only a referral out to providers can be awarded."
    assert _ready(has_framework=False)[0] is False
    assert _ready(any_accepted=False) == (False, "No provider has accepted yet.")
    closes = datetime(2026, 3, 4, 16, 5)
    ok, why = _ready(open_until=closes)
    assert not ok and why == (
        "Offers are open until 16:05 on 04 March; this framework awards when the window closes."
    )
    assert _ready(open_until=closes, award_before_window_closes=True) == (True, "")


def test_already_placed_is_one_conflict_with_one_message() -> None:
    refusal = rules.already_placed("DEV-R-000042")
    assert isinstance(refusal, Conflict) and refusal.status == 409
    assert refusal.message.startswith("DEV-R-000042 has already been placed.")
    assert "already placed" in refusal.message
