from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.engine.award import AwardRuleError, Candidate, Rule, price_scores, rank

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def c(key: int, price: str, quality: str | None, minutes: int) -> Candidate:
    q = Decimal(quality) if quality is not None else None
    return Candidate(key, f"P{key}", Decimal(price), q, T0 + timedelta(minutes=minutes))


CANDIDATES = [c(1, "24.00", "90", 30), c(2, "20.00", "60", 10), c(3, "22.00", "75", 20)]


def test_lowest_price() -> None:
    ranking = rank(CANDIDATES, "lowest_price")
    assert [r.candidate.key for r in ranking.ranked] == [2, 3, 1]
    assert ranking.reason == "Lowest price among 3 acceptances: P2 at £20.00."


def test_highest_quality() -> None:
    assert rank(CANDIDATES, Rule.HIGHEST_QUALITY).winner.candidate.key == 1


def test_weighted_60_40_scores_are_shown_and_explained() -> None:
    ranking = rank(CANDIDATES, "weighted", quality_weight=Decimal("60"), price_weight=Decimal("40"))
    by_key = {r.candidate.key: r for r in ranking.ranked}
    assert by_key[1].price_score == Decimal("83.33")  # 20 / 24 x 100
    assert by_key[1].total == Decimal("87.33")  # 0.6 x 90 + 0.4 x 83.33
    assert by_key[2].total == Decimal("76.00")  # 0.6 x 60 + 0.4 x 100
    assert ranking.winner.candidate.key == 1
    assert "quality 60%, price 40%" in ranking.reason and "87.33" in ranking.reason


def test_first_to_accept_and_person_choice() -> None:
    assert rank(CANDIDATES, "first_to_accept").winner.candidate.key == 2
    chosen = rank(CANDIDATES, "person_choice", chosen_key=3)
    assert chosen.winner.candidate.key == 3 and chosen.reason.startswith("The person chose P3")
    with pytest.raises(AwardRuleError, match="Record which"):
        rank(CANDIDATES, "person_choice")


def test_weights_must_sum_to_100_and_there_must_be_candidates() -> None:
    with pytest.raises(AwardRuleError, match="add up to 100"):
        rank(CANDIDATES, "weighted", quality_weight=Decimal("50"), price_weight=Decimal("40"))
    with pytest.raises(AwardRuleError, match="no acceptances"):
        rank([], "lowest_price")


def test_ties_break_by_earlier_response() -> None:
    tied = [c(1, "20.00", "70", 5), c(2, "20.00", "70", 1)]
    assert rank(tied, "lowest_price").winner.candidate.key == 2


candidates = st.lists(
    st.builds(
        c,
        key=st.integers(1, 10_000),
        price=st.decimals(min_value=1, max_value=100, places=2).map(str),
        quality=st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1).map(str)),
        minutes=st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda x: x.key,
)


@given(candidates, st.sampled_from([r for r in Rule if r is not Rule.PERSON_CHOICE]))
def test_ranking_is_a_deterministic_permutation(cands: list[Candidate], rule: Rule) -> None:
    first = rank(cands, rule, quality_weight=Decimal("60"), price_weight=Decimal("40"))
    again = rank(
        list(reversed(cands)), rule, quality_weight=Decimal("60"), price_weight=Decimal("40")
    )
    assert [r.candidate.key for r in first.ranked] == [r.candidate.key for r in again.ranked]
    assert sorted(r.candidate.key for r in first.ranked) == sorted(x.key for x in cands)
    assert [r.rank for r in first.ranked] == list(range(1, len(cands) + 1))


@given(candidates)
def test_price_scores_are_100_for_the_cheapest_and_never_above(cands: list[Candidate]) -> None:
    scores = price_scores(cands)
    assert max(scores.values()) == Decimal("100.00")
    assert all(Decimal("0") < s <= Decimal("100") for s in scores.values())


def test_referral_lifecycle_refuses_moves_out_of_final_states() -> None:
    from caremarket.engine.lifecycle import ALLOWED, State, TransitionError, check

    check("submitted", "offered")
    check("offered", "offered")  # a re-offer, or widening to neighbouring zones
    check("awaiting_care", "awarded")
    for final in (State.AWARDED, State.CANCELLED):
        assert not ALLOWED[final]
        with pytest.raises(TransitionError, match="cannot become"):
            check(final, "offered")
    with pytest.raises(TransitionError):
        check("awaiting_care", "submitted")
