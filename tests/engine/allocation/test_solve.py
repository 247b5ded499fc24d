"""Hand-made cases: each pins one rule of the formulation or the baseline."""

from decimal import Decimal

from caremarket.engine.allocation import (
    Capacity,
    Eligibility,
    GuaranteedBlock,
    Prime,
    Problem,
    Provider,
    check_feasible,
    solve,
)

from .factories import referral

D = Decimal
P1 = Provider("p1", D(70))
P2 = Provider("p2", D(90))


def _both(problem: Problem):
    out = solve(problem, "optimal"), solve(problem, "greedy")
    for result in out:
        assert check_feasible(problem, result) == []
    return out


def test_two_urgent_people_beat_one_routine_who_came_first():
    problem = Problem(
        referrals=(
            referral("routine", "20", "planned", arrival=0),
            referral("urgent-a", "10", "crisis", arrival=1),
            referral("urgent-b", "10", "crisis", arrival=2),
        ),
        providers=(P1,),
        capacity=(Capacity("p1", "z1", "home_care", D(20)),),
        eligibility=(Eligibility("p1", "c1", "z1", "home_care", D("20.00")),),
    )
    optimal, greedy = _both(problem)
    assert {a.referral for a in greedy.assignments} == {"routine"}
    assert {a.referral for a in optimal.assignments} == {"urgent-a", "urgent-b"}
    assert optimal.status == "optimal"
    assert optimal.totals.weighted_hours_placed == 80
    assert optimal.bounds.proven == 80
    assert [(u.referral, u.reason) for u in optimal.unplaced] == [("routine", "capacity_exhausted")]


def test_cheaper_provider_then_higher_quality():
    refs = (referral("r1", "5"),)
    cheap_vs_dear = Problem(
        referrals=refs,
        providers=(P1, P2),
        capacity=(
            Capacity("p1", "z1", "home_care", D(10)),
            Capacity("p2", "z1", "home_care", D(10)),
        ),
        eligibility=(
            Eligibility("p1", "c1", "z1", "home_care", D("19.00")),
            Eligibility("p2", "c1", "z1", "home_care", D("21.00")),
        ),
    )
    optimal, greedy = _both(cheap_vs_dear)
    assert optimal.assignments[0].provider == greedy.assignments[0].provider == "p1"
    same_price = Problem(
        referrals=refs,
        providers=(P1, P2),
        capacity=cheap_vs_dear.capacity,
        eligibility=(
            Eligibility("p1", "c1", "z1", "home_care", D("20.00")),
            Eligibility("p2", "c1", "z1", "home_care", D("20.00")),
        ),
    )
    optimal, greedy = _both(same_price)
    assert optimal.assignments[0].provider == greedy.assignments[0].provider == "p2"


def test_block_hours_cost_nothing_and_money_rounds_once():
    problem = Problem(
        referrals=(referral("r1", "7.25"),),
        providers=(P1,),
        capacity=(Capacity("p1", "z1", "home_care", D(2)),),
        blocks=(GuaranteedBlock("p1", "z1", "home_care", D(6)),),
        eligibility=(Eligibility("p1", "c1", "z1", "home_care", D("19.283")),),
    )
    optimal, _ = _both(problem)
    (a,) = optimal.assignments
    assert a.block_hours == 6
    assert a.weekly_cost == D("24.10")  # 19.283 * 1.25 = 24.10375
    assert optimal.totals.weekly_cost == D("24.10")
    assert optimal.totals.cost_per_hour == D("3.32")


def test_optimal_uses_the_block_rather_than_a_cheaper_provider():
    problem = Problem(
        referrals=(referral("r1", "5"),),
        providers=(P1, P2),
        capacity=(Capacity("p1", "z1", "home_care", D(10)),),
        blocks=(GuaranteedBlock("p2", "z1", "home_care", D(5)),),
        eligibility=(
            Eligibility("p1", "c1", "z1", "home_care", D("15.00")),
            Eligibility("p2", "c1", "z1", "home_care", D("25.00")),
        ),
    )
    optimal, greedy = _both(problem)
    assert optimal.assignments[0].provider == greedy.assignments[0].provider == "p2"
    assert optimal.totals.weekly_cost == 0


def test_needs_restrict_who_may_deliver_and_explain_unplaced():
    problem = Problem(
        referrals=(
            referral("eol", "5", needs=frozenset({"end_of_life"})),
            referral("nobody", "5", zone="z9"),
        ),
        providers=(P1, Provider("p2", D(50), frozenset({"end_of_life"}))),
        capacity=(
            Capacity("p1", "z1", "home_care", D(10)),
            Capacity("p2", "z1", "home_care", D(10)),
        ),
        eligibility=(
            Eligibility("p1", "c1", "z1", "home_care", D("15.00")),
            Eligibility("p2", "c1", "z1", "home_care", D("25.00")),
        ),
    )
    optimal, greedy = _both(problem)
    for result in (optimal, greedy):
        assert [a.provider for a in result.assignments] == ["p2"]
        assert [(u.referral, u.reason) for u in result.unplaced] == [
            ("nobody", "no_eligible_provider")
        ]


def _prime_problem(panel_room: str) -> Problem:
    return Problem(
        referrals=tuple(referral(f"r{i}", "10", arrival=i) for i in range(4)),
        providers=(Provider("lead", D(80)), P1, P2),
        capacity=(
            Capacity("lead", "z1", "home_care", D(40)),
            Capacity("p1", "z1", "home_care", D(panel_room)),
            Capacity("p2", "z1", "home_care", D(40)),  # not on the panel: may not take any
        ),
        eligibility=(
            Eligibility("lead", "c1", "z1", "home_care", D("21.00")),
            Eligibility("p2", "c1", "z1", "home_care", D("15.00")),
        ),
        primes=(Prime("lead", "c1", frozenset({"z1"}), D("0.30"), frozenset({"p1"}), D("19.28")),),
    )


def test_prime_lead_takes_everything_and_subcontracts_its_share():
    optimal, greedy = _both(_prime_problem("20"))
    for result in (optimal, greedy):
        assert {a.provider for a in result.assignments} == {"lead"}
        assert {a.hourly_price for a in result.assignments} == {D("19.28")}
        delivered = [a.delivering_provider for a in result.assignments]
        assert delivered.count("p1") * 10 >= D("0.3") * 10 * len(delivered)
    assert optimal.totals.referrals_placed == 4


def test_prime_without_panel_room_places_nothing_rather_than_break_the_share():
    optimal, greedy = _both(_prime_problem("0"))
    for result in (optimal, greedy):
        assert result.assignments == ()
        assert {u.reason for u in result.unplaced} == {"capacity_exhausted"}


def test_empty_input_is_a_clear_result():
    for method in ("optimal", "greedy"):
        result = solve(Problem(), method)
        assert result.status == "empty"
        assert "no open referrals" in result.message
        assert result.assignments == result.unplaced == ()


def test_no_capacity_at_all_leaves_everyone_unplaced_with_a_reason():
    problem = Problem(referrals=(referral("r1", "5"),), providers=(P1,))
    optimal, _ = _both(problem)
    assert optimal.status == "optimal"
    assert optimal.unplaced[0].reason == "no_eligible_provider"
    assert optimal.bounds.lp == 0


def test_invalid_input_is_reported_not_raised():
    problem = Problem(
        referrals=(referral("r1", "-3"), referral("r1", "2")),
        providers=(P1,),
        capacity=(Capacity("ghost", "z1", "home_care", D(5)),),
    )
    result = solve(problem)
    assert result.status == "infeasible"
    assert 'referrals[0].hours: must be a positive decimal, got "-3"' in result.message
    assert "referrals[1].id: duplicate" in result.message
    assert "capacity[0].provider: unknown provider 'ghost'" in result.message


def test_duplicate_capacity_rows_add_up():
    problem = Problem(
        referrals=(referral("r1", "8"),),
        providers=(P1,),
        capacity=(Capacity("p1", "z1", "home_care", D(4)), Capacity("p1", "z1", "home_care", D(4))),
        eligibility=(Eligibility("p1", "c1", "z1", "home_care", D("20")),),
    )
    optimal, greedy = _both(problem)
    assert optimal.totals.referrals_placed == greedy.totals.referrals_placed == 1


def test_check_feasible_catches_overfilled_capacity():
    problem = _prime_problem("20")
    result = solve(problem, "greedy")
    squeezed = Problem(
        referrals=problem.referrals,
        providers=problem.providers,
        capacity=tuple(c for c in problem.capacity if c.provider != "p1"),
        eligibility=problem.eligibility,
        primes=problem.primes,
    )
    problems = check_feasible(squeezed, result)
    assert any("p1/z1/home_care" in p for p in problems)
    assert any("subcontracted" in p or "room for" in p for p in problems)
