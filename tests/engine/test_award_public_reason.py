"""The reason an award gives providers carries the rule and the winner, never a price, a score
or a time.

``rank`` writes two reasons. ``reason`` is the council's record, with the winner's price,
scores and response time. ``public_reason`` is what every provider is told, and it must give
none of those figures away: a winner that sees its price score (lowest price / its price x
100) can work out the lowest rival price. Providers here are named in letters only, so the
only numbers a public reason may hold are the count of acceptances and the framework's
published weights. Any other number there is a leak.
"""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.engine.award import Candidate, Ranking, Rule, rank

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def name(key: int) -> str:
    """A provider name without digits ('Care Bbc'), so every digit in a reason is a figure."""
    letters = []
    while True:
        key, rest = divmod(key, 26)
        letters.append(string.ascii_lowercase[rest])
        if not key:
            break
    return f"Care {''.join(letters).capitalize()}"


def c(key: int, price: str, quality: str | None, minutes: int) -> Candidate:
    q = Decimal(quality) if quality is not None else None
    return Candidate(key, name(key), Decimal(price), q, T0 + timedelta(minutes=minutes))


# The winner under the weighted rule is the dearest but best: its price score (71.43) gives
# away the cheapest rival's price (£20.00 = 71.43% of £28.00).
CANDIDATES = [c(1, "28.00", "95", 30), c(2, "20.00", "55", 10), c(3, "23.50", "70", 20)]
WEIGHTS = {"quality_weight": Decimal("60"), "price_weight": Decimal("40")}


def _rank(candidates: list[Candidate], rule: Rule) -> Ranking:
    chosen = candidates[-1].key if rule is Rule.PERSON_CHOICE else None
    return rank(candidates, rule, chosen_key=chosen, **WEIGHTS)


def _figures(ranking: Ranking) -> set[str]:
    """Every price, score and time the ranking knows, as the council's reason writes them."""
    found = set()
    for r in ranking.ranked:
        found |= {str(r.candidate.price), str(r.price_score), str(r.quality_score), str(r.total)}
        found.add(f"{r.candidate.responded_at:%H:%M}")
    return found


def _allowed_numbers(ranking: Ranking, rule: Rule) -> set[str]:
    allowed = {str(len(ranking.ranked))} if len(ranking.ranked) > 1 else set()
    if rule is Rule.WEIGHTED:
        allowed |= {"60", "40"}
    return allowed


@pytest.mark.parametrize("rule", list(Rule))
def test_the_public_reason_names_the_rule_and_winner_and_no_figure(rule: Rule) -> None:
    ranking = _rank(CANDIDATES, rule)
    public = ranking.public_reason
    winner = ranking.winner.candidate

    assert winner.provider in public
    assert "£" not in public
    assert not re.search(r"\d{1,2}:\d{2}", public), "a response time"
    assert set(NUMBER.findall(public)) <= _allowed_numbers(ranking, rule), public
    for figure in _figures(ranking):
        assert figure not in public, f"{figure!r} leaks in {public!r}"
    # The council's reason does carry figures for the rules that rank on them, and the
    # public reason starts the same way: same rule, same winner, minus the numbers.
    if rule is not Rule.PERSON_CHOICE:
        assert set(NUMBER.findall(ranking.reason)) - _allowed_numbers(ranking, rule)
    assert ranking.reason.split(":")[0] == public.split(":")[0]


def test_the_weighted_public_reason_could_otherwise_reveal_the_cheapest_price() -> None:
    """Why it matters: from the council's reason the winner could work out the lowest rival
    price to the penny; from the public reason it cannot."""
    ranking = _rank(CANDIDATES, Rule.WEIGHTED)
    assert ranking.winner.candidate.key == 1
    shown = re.search(r"price (\d+\.\d+)\)", ranking.reason)
    assert shown is not None and shown.group(1) == "71.43"
    worked_out = (Decimal("28.00") * Decimal(shown.group(1)) / 100).quantize(Decimal("0.01"))
    assert worked_out == Decimal("20.00")
    assert ranking.public_reason == (
        "Highest weighted score among 3 acceptances (quality 60%, price 40%): Care B."
    )
    assert "71.43" not in ranking.public_reason


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Rule.LOWEST_PRICE, "Lowest price (the only acceptance): Care C."),
        (Rule.HIGHEST_QUALITY, "Highest quality score (the only acceptance): Care C."),
        (
            Rule.WEIGHTED,
            "Highest weighted score (the only acceptance) (quality 60%, price 40%): Care C.",
        ),
        (Rule.FIRST_TO_ACCEPT, "First to accept (the only acceptance): Care C."),
        (Rule.PERSON_CHOICE, "The person chose Care C (the only acceptance)."),
    ],
)
def test_a_single_acceptance_gets_the_same_kind_of_public_reason(rule: Rule, expected: str) -> None:
    only = [c(2, "19.99", "81.5", 3)]
    ranking = _rank(only, rule)
    assert ranking.public_reason == expected
    assert "19.99" not in ranking.public_reason and "81.50" not in ranking.public_reason


def test_weights_with_a_fraction_are_shown_as_published() -> None:
    ranking = rank(
        CANDIDATES, Rule.WEIGHTED, quality_weight=Decimal("62.50"), price_weight=Decimal("37.50")
    )
    assert "(quality 62.5%, price 37.5%)" in ranking.public_reason


candidates = st.lists(
    st.builds(
        c,
        key=st.integers(0, 5_000),
        price=st.decimals(min_value=1, max_value=500, places=2).map(str),
        quality=st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1).map(str)),
        minutes=st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda x: x.key,
)


@given(candidates, st.sampled_from(list(Rule)))
def test_no_public_reason_ever_holds_a_figure(cands: list[Candidate], rule: Rule) -> None:
    """Whatever the prices, scores and times, the only numbers in a public reason are the
    count of acceptances and the published weights."""
    ranking = _rank(cands, rule)
    public = ranking.public_reason
    assert ranking.winner.candidate.provider in public
    assert "£" not in public
    assert set(NUMBER.findall(public)) <= _allowed_numbers(ranking, rule), public
