"""The annual fee review: proposed with its rate worked out, consulted on, decided, and
carried into every live agreement as a dated variation; bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.brokerage.models import AgreementVariation, Notification
from caremarket.core import clock
from caremarket.core.errors import Invalid, NotFound
from caremarket.engine.fee_review import weeks_in_year
from caremarket.engine.pricing import money
from caremarket.frameworks.models import CommissionerRate, Framework, Price
from caremarket.pricing import selectors
from caremarket.pricing.models import FeeReview, Repricing
from caremarket.pricing.rules import LineInput
from caremarket.pricing.services import repricing, reviews
from tests import factories
from tests.pricing import factories as pf

pytestmark = pytest.mark.django_db
D = Decimal


def _proposal(**changes: object) -> reviews.Proposal:
    values: dict[str, object] = {
        "title": "Fee review 2027/28",
        "effective_from": clock.today() + timedelta(days=30),
        "method": FeeReview.Method.NLW_CPI,
        "current_rate": D("19.28"),
        "staff_share": D("70"),
        "nlw_from": D("12.21"),
        "nlw_to": D("12.71"),
        "cpi": D("3.8"),
    }
    values.update(changes)
    return reviews.Proposal(**values)  # type: ignore[arg-type]


def test_a_fixed_rate_review_works_out_the_isle_of_wight_rate() -> None:
    framework, _ = pf.fixed_rate_framework()
    review = reviews.propose(pf.commissioner_user(framework), framework, _proposal())
    assert (review.uplift, review.proposed_rate, review.status) == (
        D("4.0065"),
        D("20.05"),
        "draft",
    )
    assert [(line.weight, line.change) for line in review.lines.all()] == [
        (D("70"), D("4.0950")),
        (D("30"), D("3.8")),
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"effective_from": clock.today() - timedelta(days=1)}, "effective_from"),
        ({"current_rate": D("0")}, "current_rate"),
        ({"current_rate": D("1000")}, "current_rate"),
        (
            {
                "method": FeeReview.Method.EVIDENCED,
                "lines": [LineInput("Pay", D("60"), D("5")), LineInput("Other", D("30"), D("2"))],
            },
            "lines",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_made(changes, field) -> None:  # type: ignore[no-untyped-def]
    framework, _ = pf.fixed_rate_framework()
    with pytest.raises(Invalid) as refused:
        reviews.propose(pf.commissioner_user(framework), framework, _proposal(**changes))
    assert field in refused.value.errors
    assert not FeeReview.objects.filter(framework=framework).exists()


def test_the_weights_message_says_what_they_add_up_to() -> None:
    framework, _ = pf.fixed_rate_framework()
    lines = [LineInput("Pay", D("60"), D("5")), LineInput("Other", D("30"), D("2"))]
    with pytest.raises(Invalid, match="add up to 90%"):
        reviews.propose(
            pf.commissioner_user(framework),
            framework,
            _proposal(method=FeeReview.Method.EVIDENCED, lines=lines),
        )


def test_budget_impact_is_hours_times_change_times_weeks_per_zone() -> None:
    framework, lot = pf.fixed_rate_framework()
    appointment = factories.appointment(lot)
    pf.agreement(lot, appointment, units="10")
    pf.agreement(lot, appointment, units="5")
    ended = pf.agreement(lot, appointment, units="40")
    ended.end_date, ended.end_reason = clock.today(), "needs_met"
    ended.save()
    review = reviews.propose(pf.commissioner_user(framework), framework, _proposal())
    groups, total = selectors.budget_impact(review)
    weeks = weeks_in_year(review.effective_from)
    assert [(g.agreements, g.units_per_week) for g in groups] == [(2, D("15"))]
    assert total == money(D("15") * D("0.77") * weeks)
    rows = selectors.impact_rows(review)
    assert {(r.old_price, r.new_price) for r in rows} == {(D("19.28"), D("20.05"))}


def test_approving_sets_the_rate_and_reprices_live_agreements_as_dated_variations() -> None:
    framework, lot = pf.fixed_rate_framework()
    appointment = factories.appointment(lot)
    live = pf.agreement(lot, appointment, units="10")
    by = pf.commissioner_user(framework)
    review = reviews.propose(by, framework, _proposal())
    reviews.decide(review.pk, by=by, approve=True, note="Evidence supports the uplift.")
    rate = CommissionerRate.objects.get(framework=framework, effective_from=review.effective_from)
    assert rate.amount == D("20.05")
    before, after = live.variations.order_by("effective_from")
    assert (before.unit_price, after.unit_price) == (D("19.28"), D("20.05"))  # history kept
    assert after.effective_from == review.effective_from
    assert after.weekly_cost == D("200.50")
    assert Notification.objects.filter(subject__contains=live.reference).exists()
    assert repricing.reprice(review).repriced == 0  # applying again makes nothing twice
    assert Repricing.objects.filter(review=review).count() == 1


def test_a_decision_cannot_be_taken_twice_or_without_a_reason() -> None:
    framework, _ = pf.fixed_rate_framework()
    by = pf.commissioner_user(framework)
    review = reviews.propose(by, framework, _proposal())
    with pytest.raises(Invalid):
        reviews.decide(review.pk, by=by, approve=True, note=" ")
    reviews.decide(review.pk, by=by, approve=False, note="Not evidenced.")
    with pytest.raises(Exception, match="cannot become"):
        reviews.decide(review.pk, by=by, approve=True, note="Changed our mind.")
    assert not AgreementVariation.objects.filter(reason__startswith="Fee review").exists()


def test_provider_prices_move_by_the_uplift_on_an_open_framework() -> None:
    framework = factories.framework()
    lot = factories.lot(framework)
    appointment = factories.appointment(lot)
    factories.price(appointment, amount=D("22.50"))
    agreement = pf.agreement(lot, appointment, price="22.50")
    by = pf.commissioner_user(framework)
    review = reviews.propose(by, framework, _proposal(current_rate=None))
    assert review.proposed_rate is None
    reviews.decide(review.pk, by=by, approve=True, note="Agreed.")
    new = Price.objects.get(appointment=appointment, effective_from=review.effective_from)
    assert new.amount == money(D("22.50") * (1 + D("4.0065") / 100)) == D("23.40")
    assert agreement.terms_on(review.effective_from).unit_price == D("23.40")


def test_consultation_providers_comment_with_evidence_and_only_see_their_own() -> None:
    framework, lot = pf.fixed_rate_framework()
    mine, theirs = factories.appointment(lot), factories.appointment(lot)
    me, them = pf.provider_user(mine), pf.provider_user(theirs)
    by = pf.commissioner_user(framework)
    review = reviews.propose(by, framework, _proposal())
    assert not selectors.reviews_for(me).exists()  # a draft is the council's
    reviews.open_consultation(review.pk, by=by, closes=clock.today() + timedelta(days=14))
    assert Notification.objects.filter(to=mine.provider.email).exists()

    class Upload:
        name, content_type = "costs.csv", "text/csv"

        def read(self) -> bytes:
            return b"line,cost\nfuel,0.12\n"

    reviews.comment(review.pk, by=me, text="Fuel is up 12%.", evidence=Upload())
    reviews.comment(review.pk, by=them, text="Agree.")
    assert [c.text for c in selectors.comments_for(me, review)] == ["Fuel is up 12%."]
    assert selectors.comments_for(by, review).count() == 2
    outsider = pf.provider_user(factories.appointment())
    with pytest.raises(NotFound):
        reviews.comment(review.pk, by=outsider, text="Let me in.")
    with pytest.raises(NotFound):
        selectors.review_for(outsider, review.pk)


def test_framework_kinds_other_than_fixed_have_no_single_rate() -> None:
    framework = factories.framework(pricing_model=Framework.PricingModel.PROVIDER_ZONE_PRICE)
    review = reviews.propose(
        pf.commissioner_user(framework), framework, _proposal(current_rate=D("0"))
    )
    assert review.current_rate is None


def test_agreements_not_repriced_are_listed_with_why_never_silently() -> None:
    framework, lot = pf.fixed_rate_framework()
    appointment = factories.appointment(lot)
    plain = pf.agreement(lot, appointment)
    varied = pf.agreement(lot, appointment)
    at_rate = pf.agreement(lot, appointment, price="20.05")
    by = pf.commissioner_user(framework)
    review = reviews.propose(by, framework, _proposal())
    AgreementVariation.objects.create(
        agreement=varied,
        effective_from=review.effective_from,
        units_per_week=D("12"),
        unit_price=D("19.28"),
        weekly_cost=D("231.36"),
        reason="Extra hours agreed by hand.",
        at=clock.now(),
    )
    review = reviews.decide(review.pk, by=by, approve=True, note="Agreed.")
    outcomes = {o.reference: o for o in selectors.repricing_outcomes(review, clock.today())}
    assert outcomes[plain.reference].repriced
    assert "£19.28 to £20.05" in outcomes[plain.reference].outcome
    assert not outcomes[varied.reference].repriced
    assert "Varied by hand on" in outcomes[varied.reference].outcome
    assert "vary it to the new price by hand" in outcomes[varied.reference].outcome
    assert (
        outcomes[at_rate.reference].outcome == "Not repriced: Already at £20.05: nothing to change."
    )
    result = repricing.reprice(review)  # a second pass reports the same skips, repricing none
    assert (result.repriced, result.unchanged, result.clashes) == (0, 1, [varied.reference])
