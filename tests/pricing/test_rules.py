from datetime import date
from decimal import Decimal

from caremarket.pricing.rules import (
    LineInput,
    effective_problem,
    move_problem,
    provider_sees,
    weights_problem,
)

D = Decimal
TODAY = date(2026, 12, 2)


def test_a_review_cannot_take_effect_in_the_past() -> None:
    assert "in the past" in (effective_problem(date(2026, 12, 1), TODAY) or "")
    assert effective_problem(TODAY, TODAY) is None


def test_weights_must_add_up_to_100_and_each_be_a_percentage() -> None:
    assert (
        weights_problem([LineInput("Pay", D("70"), D("4")), LineInput("Other", D("30"), D("3"))])
        is None
    )
    assert "add up to 90%" in (weights_problem([LineInput("Pay", D("90"), D("4"))]) or "")
    bad = [LineInput("Pay", D("150"), D("4")), LineInput("Other", D("-50"), D("3"))]
    assert "between 0% and 100%" in (weights_problem(bad) or "")
    assert weights_problem([]) == "Enter at least one cost line."


def test_a_decision_is_final_and_drafts_are_the_councils() -> None:
    assert move_problem("draft", "consulting") is None
    assert move_problem("approved", "rejected") is not None
    assert not provider_sees("draft") and provider_sees("consulting")
