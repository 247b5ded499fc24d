"""Frameworks' pure rules: what a sane price is, and how an application is scored. Plain
Python, tested without a database (tests/frameworks/test_rules.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# The range a price may take, per unit. An hour of care for under £5 or over £150 is a
# typing mistake (£0, £1,000), not a price; a week, night or session likewise.
SANE_PRICE = {
    "hour": (Decimal("5.00"), Decimal("150.00")),
    "week": (Decimal("20.00"), Decimal("10000.00")),
    "night": (Decimal("20.00"), Decimal("1000.00")),
    "session": (Decimal("5.00"), Decimal("1000.00")),
    "day": (Decimal("20.00"), Decimal("2000.00")),
}
UNIT_WORDS = {"hour": "an hour", "week": "a week", "night": "a night", "session": "a session"}


def per_unit(unit: str) -> str:
    """ "an hour", "a week": how a price's unit is said after the amount."""
    return UNIT_WORDS.get(unit, f"a {unit}")


def price_problem(amount: Decimal | None, unit: str = "hour") -> str | None:
    """Why a price cannot be right (a message naming the range), or None."""
    low, high = SANE_PRICE.get(unit, SANE_PRICE["hour"])
    per = UNIT_WORDS.get(unit, f"a {unit}")
    if amount is None:
        return f"Enter a price {per}."
    if not low <= amount <= high:
        return f"A price must be between £{low:,} and £{high:,} {per}; £{amount:,} is not."
    if amount != amount.quantize(Decimal("0.01")):
        return "A price is in pounds and pence (two decimal places at most)."
    return None


@dataclass(frozen=True, slots=True)
class QuestionScore:
    """One quality question: its weight (per cent) and the moderated score."""

    weight: Decimal
    score: int
    scale_max: int


def score_problem(score: int | None, scale_max: int) -> str | None:
    if score is None:
        return "Enter a score."
    if not 0 <= score <= scale_max:
        return f"A score is a whole number from 0 to {scale_max}; {score} is not."
    return None


def weighted_score(scores: Iterable[QuestionScore]) -> Decimal:
    """The application's quality score out of 100: each moderated score as a share of its
    scale, times its weight; rounded once to 2 places, half up."""
    items = list(scores)
    total_weight = sum((s.weight for s in items), Decimal("0"))
    if total_weight != 100:
        raise ValueError(f"question weights must add up to 100 (they add up to {total_weight})")
    raw = sum((s.weight * Decimal(s.score) / Decimal(s.scale_max) for s in items), Decimal("0"))
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def needs_moderation(first: int, second: int) -> bool:
    """Two evaluators who differ need a moderated score; agreeing ones are the score."""
    return first != second


def weights_problem(weights: Iterable[Decimal]) -> str | None:
    """Why a framework's published questions cannot be scored (``weighted_score`` needs
    weights adding up to 100), or None. No questions at all is not a problem to score."""
    items = list(weights)
    if not items:
        return None
    total = sum(items, Decimal("0"))
    if total != 100:
        return f"The questions' weights add up to {total.normalize():f}%; they must add up to 100%."
    return None


def terms_locked(answered_in_open_window: int, undecided: int) -> str | None:
    """Why the published questions and pass/fail items may not change now, or None.

    Changing what is asked after a provider has answered it (in a window still open), or
    while applications are being scored against it, would judge applicants by different
    terms; between windows, or before anyone applies, the council may change them."""
    if answered_in_open_window:
        n = answered_in_open_window
        return (
            f"{n} provider{'s have' if n != 1 else ' has'} applied in the open window: the "
            "terms they answered stay as published until the window closes."
        )
    if undecided:
        n = undecided
        return (
            f"{n} application{'s are' if n != 1 else ' is'} still being evaluated against "
            "these terms: decide them first."
        )
    return None
