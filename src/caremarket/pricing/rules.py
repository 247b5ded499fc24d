"""Pricing's pure rules: what a fee review may be proposed with, which way its status may
move, and what a provider may see of it. No ORM; tests/pricing/test_rules.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from caremarket.engine import fee_review

HUNDRED = Decimal("100")

# Which status may follow which: a decision is final (a correction is a new review).
MOVES = {
    "draft": {"consulting", "approved", "rejected"},
    "consulting": {"approved", "rejected"},
    "approved": set(),
    "rejected": set(),
}


@dataclass(frozen=True, slots=True)
class LineInput:
    name: str
    weight: Decimal
    change: Decimal
    evidence: str = ""


def effective_problem(effective_from: date | None, today: date) -> str | None:
    if effective_from is None:
        return "Enter the date the new rates take effect."
    if effective_from < today:
        return f"A fee review cannot take effect in the past: choose {today:%d %B %Y} or later."
    return None


def weights_problem(lines: Sequence[LineInput]) -> str | None:
    if not lines:
        return "Enter at least one cost line."
    for line in lines:
        if not line.name.strip():
            return "Give every cost line a name."
        if not Decimal("0") <= line.weight <= HUNDRED:
            return f"The weight of {line.name} must be between 0% and 100%."
        if not Decimal("-50") <= line.change <= HUNDRED:
            return f"The change in {line.name} must be between -50% and 100%."
    total = sum((line.weight for line in lines), Decimal("0"))
    if total != HUNDRED:
        return f"The cost weights must add up to 100%; they add up to {total.normalize():f}%."
    return None


def engine_lines(lines: Sequence[LineInput]) -> list[fee_review.CostLine]:
    return [fee_review.CostLine(line.name, line.weight, line.change) for line in lines]


def move_problem(current: str, new: str) -> str | None:
    if new not in MOVES.get(current, set()):
        return f"A review that is {current} cannot become {new}."
    return None


def provider_sees(status: str) -> bool:
    """Providers see a review once it goes out to consultation; drafts are the council's."""
    return status != "draft"
