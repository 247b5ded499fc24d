"""Award rules: rank a referral's acceptances (or a competition's bids) by the published rule.

Pure: the same candidates and rule always give the same ranking and the same words of
explanation, which the award records ("every award records why"). Scores are Decimals to
two places so that what a broker sees, what is stored and what is audited are identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal("100")
SCORE = Decimal("0.01")


class Rule(StrEnum):
    LOWEST_PRICE = "lowest_price"
    HIGHEST_QUALITY = "highest_quality"
    WEIGHTED = "weighted"
    FIRST_TO_ACCEPT = "first_to_accept"
    PERSON_CHOICE = "person_choice"


class AwardRuleError(ValueError):
    """The rule cannot rank these candidates (for example, no choice recorded)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    key: int  # the offer or bid id
    provider: str
    price: Decimal  # per unit (hour, session, week)
    quality: Decimal | None  # 0-100: the appointment's score, or the evaluated bid quality
    responded_at: datetime


@dataclass(frozen=True, slots=True)
class Ranked:
    candidate: Candidate
    rank: int
    price_score: Decimal
    quality_score: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True)
class Ranking:
    rule: Rule
    ranked: tuple[Ranked, ...]
    reason: str  # with the scores: for the council's record
    public_reason: str  # the rule and the winner only: safe to show any provider

    @property
    def winner(self) -> Ranked:
        return self.ranked[0]


def _q(value: Decimal) -> Decimal:
    return value.quantize(SCORE, rounding=ROUND_HALF_UP)


def price_scores(candidates: Sequence[Candidate]) -> dict[int, Decimal]:
    """The lowest price scores 100; others in proportion (lowest / price x 100)."""
    lowest = min(c.price for c in candidates)
    return {c.key: _q(lowest / c.price * HUNDRED) if c.price > 0 else HUNDRED for c in candidates}


def rank(
    candidates: Sequence[Candidate],
    rule: Rule | str,
    *,
    quality_weight: Decimal = Decimal("0"),
    price_weight: Decimal = Decimal("0"),
    chosen_key: int | None = None,
) -> Ranking:
    rule = Rule(rule)
    if not candidates:
        raise AwardRuleError("There are no acceptances to rank.")
    if any(c.price < 0 for c in candidates):
        raise AwardRuleError("A price cannot be negative.")
    prices = price_scores(candidates)
    quality = {c.key: _q(c.quality if c.quality is not None else Decimal("0")) for c in candidates}
    if rule is Rule.WEIGHTED and quality_weight + price_weight != HUNDRED:
        raise AwardRuleError("Quality and price weights must add up to 100.")

    def total(c: Candidate) -> Decimal:
        if rule is Rule.WEIGHTED:
            return _q((quality[c.key] * quality_weight + prices[c.key] * price_weight) / HUNDRED)
        if rule is Rule.HIGHEST_QUALITY:
            return quality[c.key]
        return prices[c.key]

    # Ties break the same way every time: earlier response, then lower price, then key.
    def order(c: Candidate) -> tuple[object, ...]:
        tie = (c.responded_at, c.price, c.key)
        if rule is Rule.FIRST_TO_ACCEPT:
            return tie
        if rule is Rule.LOWEST_PRICE:
            return (c.price, *tie)
        if rule is Rule.PERSON_CHOICE:
            return (0 if c.key == chosen_key else 1, *tie)
        return (-total(c), *tie)

    if rule is Rule.PERSON_CHOICE and chosen_key not in {c.key for c in candidates}:
        raise AwardRuleError("Record which of the acceptances the person chose.")
    ordered = sorted(candidates, key=order)
    ranked = tuple(
        Ranked(c, i + 1, prices[c.key], quality[c.key], total(c)) for i, c in enumerate(ordered)
    )
    return Ranking(
        rule,
        ranked,
        _reason(rule, ranked, quality_weight, price_weight),
        _public_reason(rule, ranked, quality_weight, price_weight),
    )


def _public_reason(rule: Rule, ranked: tuple[Ranked, ...], qw: Decimal, pw: Decimal) -> str:
    """No price, score or time: a price score is the lowest price over the winner's, so a
    winner shown its score could work out a rival's price."""
    winner = ranked[0].candidate.provider
    among = f" among {len(ranked)} acceptances" if len(ranked) > 1 else " (the only acceptance)"
    return {
        Rule.LOWEST_PRICE: f"Lowest price{among}: {winner}.",
        Rule.HIGHEST_QUALITY: f"Highest quality score{among}: {winner}.",
        Rule.WEIGHTED: f"Highest weighted score{among} (quality {_pct(qw)}, price {_pct(pw)}): "
        f"{winner}.",
        Rule.FIRST_TO_ACCEPT: f"First to accept{among}: {winner}.",
        Rule.PERSON_CHOICE: f"The person chose {winner}{among}.",
    }[rule]


def _pct(weight: Decimal) -> str:
    """60.00 -> '60%', 62.50 -> '62.5%'."""
    return f"{weight.normalize():f}%"


def _reason(rule: Rule, ranked: tuple[Ranked, ...], qw: Decimal, pw: Decimal) -> str:
    w = ranked[0]
    c = w.candidate
    others = len(ranked) - 1
    among = f" among {len(ranked)} acceptances" if others else " (the only acceptance)"
    if rule is Rule.LOWEST_PRICE:
        return f"Lowest price{among}: {c.provider} at £{c.price}."
    if rule is Rule.HIGHEST_QUALITY:
        return f"Highest quality score{among}: {c.provider} with {w.quality_score}."
    if rule is Rule.WEIGHTED:
        return (
            f"Highest weighted score{among} (quality {_pct(qw)}, price {_pct(pw)}): "
            f"{c.provider} scored "
            f"{w.total} (quality {w.quality_score}, price {w.price_score})."
        )
    if rule is Rule.FIRST_TO_ACCEPT:
        return f"First to accept{among}: {c.provider} at {c.responded_at:%d %b %Y %H:%M}."
    return f"The person chose {c.provider}{among}."
