from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.frameworks.rules import (
    QuestionScore,
    needs_moderation,
    price_problem,
    score_problem,
    weighted_score,
)

D = Decimal


@pytest.mark.parametrize("amount", [D("0"), D("1000"), D("4.99"), D("150.01")])
def test_prices_outside_the_sane_range_are_refused_with_the_range(amount: Decimal) -> None:
    assert "between £5.00 and £150.00 an hour" in (price_problem(amount) or "")


def test_a_sane_price_passes_and_fractions_of_a_penny_do_not() -> None:
    assert price_problem(D("24.50")) is None
    assert "pence" in (price_problem(D("24.505")) or "")
    assert price_problem(None) == "Enter a price an hour."


def test_scores_outside_the_scale_are_refused() -> None:
    assert score_problem(6, 5) == "A score is a whole number from 0 to 5; 6 is not."
    assert score_problem(-1, 5) is not None and score_problem(5, 5) is None


def test_weighted_score_hand_computed() -> None:
    # 40 x 4/5 + 30 x 3/5 + 30 x 5/5 = 32 + 18 + 30 = 80.00
    scores = [
        QuestionScore(D("40"), 4, 5),
        QuestionScore(D("30"), 3, 5),
        QuestionScore(D("30"), 5, 5),
    ]
    assert weighted_score(scores) == D("80.00")
    with pytest.raises(ValueError, match="add up to 100"):
        weighted_score(scores[:2])
    assert needs_moderation(3, 4) and not needs_moderation(4, 4)


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=4, max_size=4))
def test_a_weighted_score_is_between_0_and_100(values: list[int]) -> None:
    score = weighted_score(QuestionScore(D("25"), v, 5) for v in values)
    assert D("0") <= score <= D("100")


def test_question_weights_must_add_up_to_100_and_none_at_all_is_no_problem() -> None:
    from caremarket.frameworks.rules import weights_problem

    assert weights_problem([]) is None
    assert weights_problem([D("60"), D("40")]) is None
    assert weights_problem([D("60"), D("30")]) == (
        "The questions' weights add up to 90%; they must add up to 100%."
    )
    assert "100.5%" in (weights_problem([D("60.25"), D("40.25")]) or "")


def test_terms_are_locked_once_answered_in_an_open_window_or_while_being_evaluated() -> None:
    from caremarket.frameworks.rules import terms_locked

    assert terms_locked(0, 0) is None
    assert "1 provider has applied in the open window" in (terms_locked(1, 1) or "")
    assert "3 providers have applied" in (terms_locked(3, 0) or "")
    assert "2 applications are still being evaluated" in (terms_locked(0, 2) or "")
