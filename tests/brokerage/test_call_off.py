"""Call-off competitions (Staffordshire supported living): sealed bids capped at the band's
weekly rate, scored after the deadline, ranked by the published weights (quality 60, price
40), and a call-off agreement for an individual, a scheme, or a block of up to five schemes.

Sealed means: before the deadline nobody but the bidder sees a bid (not even the council);
after it the council sees them all; a bidder never sees another's bid, nor any rank.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from caremarket.brokerage import routing, selectors
from caremarket.brokerage.models import Competition, Notification
from caremarket.brokerage.services import competitions
from caremarket.core.errors import CaremarketError
from caremarket.engine.lifecycle import State
from caremarket.frameworks.models import Appointment, Band, Lot
from caremarket.supported_living.models import Scheme
from tests.brokerage.support import account, framework, provider_user, raise_referral, zone

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
# Per question (outcomes 40%, staffing 35%, transition 25%), for three bidders.
SCORES = (
    {"outcomes": "80", "staffing": "70", "transition": "90"},  # quality 79.00
    {"outcomes": "60", "staffing": "65", "transition": "50"},  # quality 59.25
    {"outcomes": "95", "staffing": "90", "transition": "85"},  # quality 90.75
)
QUALITY = (Decimal("79.00"), Decimal("59.25"), Decimal("90.75"))


def _answers(competition: Competition, text: str = "We will.") -> dict[str, str]:
    return {q["key"]: text for q in competition.questions}


def _bidders(lot: Lot, count: int, first=None) -> list:  # type: ignore[no-untyped-def]
    others = (
        Appointment.objects.filter(lot=lot, status=Appointment.Status.ACTIVE)
        .exclude(provider=first)
        .order_by("pk")
    )
    chosen = [first] if first is not None else []
    chosen += [a.provider for a in others[: count - len(chosen)]]
    return chosen


def _individual_call_off(clock):  # type: ignore[no-untyped-def]
    referral = raise_referral(
        "staffs", 4, "supported-living", group="MH", band="medium", hours=None
    )
    competition = competitions.open_competition(
        by=account("staffs.broker"),
        lot=referral.lot,
        title="Supported living in Cannock",
        deadline=clock.moment + timedelta(days=2),
        referral=referral,
    )
    return referral, competition


def test_a_supported_living_referral_is_called_off_on_the_lot_for_its_care_group(clock) -> None:  # type: ignore[no-untyped-def]
    """Staffordshire's Group 1 lot is for specialist mental health; Groups 2 and 3 are by
    geography. A referral is raised on the call-off route on the right lot, with its band,
    and waits for the broker to open a competition (nothing is offered automatically)."""
    mh = raise_referral("staffs", 4, "supported-living", group="MH", band="medium", hours=None)
    ld = raise_referral("staffs", 4, "supported-living", group="LD", band="high", hours=None)
    assert mh.route == ld.route == "call_off"
    assert mh.lot.number == 1
    assert ld.lot.number != 1 and zone("staffs", 4) in ld.lot.zones.all()
    assert ld.lot.care_groups.filter(code="LD").exists()
    assert mh.band.level == "medium" and ld.band.level == "high"
    assert mh.state == ld.state == State.SUBMITTED
    assert not mh.offers.exists() and not ld.offers.exists()


def test_bids_are_sealed_capped_scored_and_ranked_by_the_published_weights(  # type: ignore[no-untyped-def]
    clock, client_for
) -> None:
    """End to end for one person: invitations to every provider on the lot; bids capped at
    the band's weekly rate; sealed until the deadline, even from the council; scored after
    it; awarded by 60% quality and 40% price to the highest total; a call-off agreement for
    one week's care a week at the winning price."""
    referral, competition = _individual_call_off(clock)
    broker = account("staffs.broker")
    harbour = account("provider.harbour")
    bidders = _bidders(competition.lot, 3, first=harbour.provider)
    referral.refresh_from_db()
    assert referral.state == State.OFFERED
    invited = Appointment.objects.filter(lot=competition.lot, status="active").count()
    assert (
        Notification.objects.filter(subject=f"Invitation to bid: {competition.title}").count()
        >= invited
    )

    band = (
        Band.objects.filter(framework=competition.framework, level="medium")
        .filter(effective_from__lte=clock.today())
        .latest("effective_from")
    )
    cap = (band.typical_hours_per_week * band.hourly_rate).quantize(CENT, ROUND_HALF_UP)
    assert routing.cap_for(competition) == cap
    prices = (cap - Decimal("20.03"), cap - Decimal("60.07"), cap)  # at the cap is allowed
    for provider, price in zip(bidders, prices, strict=True):
        competitions.submit_bid(
            competition.pk,
            provider=provider,
            by=provider_user(provider),
            weekly_price=price,
            answers=_answers(competition, f"Our plan, from {provider.name}."),
            low_price_explanation="Staff are shared across the scheme.",
        )

    # Sealed: each bidder sees its own, the council none, before the deadline.
    for provider in bidders:
        seen = selectors.bids_visible(provider_user(provider), competition, clock.moment)
        assert [b.provider_id for b in seen] == [provider.pk]
    assert selectors.bids_visible(broker, competition, clock.moment) == []
    council_page = client_for("staffs.broker").get(f"/competitions/{competition.pk}/")
    assert "Bids are sealed until" in council_page.content.decode()
    assert not any(f"{p:,}" in council_page.content.decode() for p in prices[:2])
    with pytest.raises(CaremarketError, match="score them after it"):
        competitions.evaluate(
            competition.bids.first().pk, by=broker, scores=dict.fromkeys(SCORES[0], Decimal(50))
        )
    with pytest.raises(CaremarketError, match="Bids are sealed until the deadline"):
        competitions.award_competition(competition.pk, by=broker)

    clock.set(competition.deadline + timedelta(minutes=1))
    assert len(selectors.bids_visible(broker, competition, clock.moment)) == 3
    with pytest.raises(CaremarketError, match="Score every bid's answers before awarding"):
        competitions.award_competition(competition.pk, by=broker)
    bids = {b.provider_id: b for b in competition.bids.all()}
    for provider, scores, quality in zip(bidders, SCORES, QUALITY, strict=True):
        scored = competitions.evaluate(
            bids[provider.pk].pk, by=broker, scores={k: Decimal(v) for k, v in scores.items()}
        )
        assert scored.quality_score == quality

    award = competitions.award_competition(competition.pk, by=broker)

    lowest = min(prices)
    totals = {}
    for provider, price, quality in zip(bidders, prices, QUALITY, strict=True):
        price_score = (lowest / price * 100).quantize(CENT, ROUND_HALF_UP)
        totals[provider.pk] = ((quality * 60 + price_score * 40) / 100).quantize(
            CENT, ROUND_HALF_UP
        )
    winner = max(totals, key=lambda pk: totals[pk])
    assert award.provider_id == award.delivering_provider_id == winner
    assert award.rule == "weighted" and award.unit == "week"
    assert award.unit_price == prices[[p.pk for p in bidders].index(winner)]
    ranks = {b.provider_id: (b.rank, b.total_score) for b in competition.bids.all()}
    ordered = sorted(totals, key=lambda pk: -totals[pk])
    assert {pk: ranks[pk] for pk in ordered} == {
        pk: (i + 1, totals[pk]) for i, pk in enumerate(ordered)
    }
    competition.refresh_from_db()
    referral.refresh_from_db()
    assert competition.status == Competition.Status.AWARDED
    assert referral.state == State.AWARDED and referral.award == award
    agreement = award.agreement
    terms = agreement.variations.get()
    assert agreement.unit == "week" and agreement.start_date == referral.start_date
    assert (terms.units_per_week, terms.unit_price, terms.weekly_cost) == (
        1,
        award.unit_price,
        award.unit_price,
    )
    for provider in bidders:
        won = "you have been awarded" if provider.pk == winner else "not awarded"
        assert Notification.objects.filter(
            to=provider.email, subject=f"{competition.reference}: {won}"
        ).exists()


def test_a_bidder_never_sees_another_bid_or_any_rank_on_the_page(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """provider.harbour's view of the competition page, before the deadline and after the
    award: its own bid, never another's price, answers or name, and no rank or score."""
    _referral, competition = _individual_call_off(clock)
    harbour = account("provider.harbour")
    bidders = _bidders(competition.lot, 2, first=harbour.provider)
    prices = (Decimal("431.19"), Decimal("427.53"))
    for provider, price in zip(bidders, prices, strict=True):
        competitions.submit_bid(
            competition.pk,
            provider=provider,
            by=provider_user(provider),
            weekly_price=price,
            answers=_answers(competition, f"Secret plan of {provider.name}."),
            low_price_explanation="Staff are shared across the scheme.",
        )
    rival = bidders[1]

    def page() -> str:
        return (
            client_for("provider.harbour").get(f"/competitions/{competition.pk}/").content.decode()
        )

    before = page()
    assert "431.19" in before and "Secret plan of Harbour" in before
    assert "427.53" not in before and f"Secret plan of {rival.name}" not in before

    broker = account("staffs.broker")
    clock.set(competition.deadline + timedelta(minutes=1))
    for bid, scores in zip(competition.bids.order_by("pk"), SCORES, strict=False):
        competitions.evaluate(bid.pk, by=broker, scores={k: Decimal(v) for k, v in scores.items()})
    competitions.award_competition(competition.pk, by=broker)
    after = page()
    seen = selectors.bids_visible(harbour, competition, clock.moment)
    assert [b.provider_id for b in seen] == [harbour.provider_id]
    assert "427.53" not in after and f"Secret plan of {rival.name}" not in after
    for secret in ("Price score", "price_score", "total_score", "Quality 7", "Quality 5"):
        assert secret not in after
    rival_view = client_for(None)  # and an anonymous look is sent to sign in
    assert rival_view.get(f"/competitions/{competition.pk}/").status_code == 302


def _schemes(count: int, lot: Lot, label: str) -> list[Scheme]:
    z = lot.zones.order_by("number").first()
    return [
        Scheme.objects.create(
            commissioner=z.commissioner,
            name=f"{label} {n}",
            zone=z,
            lot=lot,
            rooms=3 + n,
            address=f"{n} Test Close",
        )
        for n in range(1, count + 1)
    ]


def test_a_block_covers_at_most_the_frameworks_maximum_of_schemes(clock) -> None:  # type: ignore[no-untyped-def]
    """Staffordshire's Group 2 blocks are capped at five schemes; one scheme is a scheme
    call-off, two to five a block; schemes must all be on the competition's lot."""
    lot = account("provider.staffs").provider.appointments.get().lot
    assert framework("supported-living").max_schemes_per_block == 5
    schemes = _schemes(6, lot, "Block test house")
    broker = account("staffs.broker")
    deadline = clock.moment + timedelta(days=3)
    with pytest.raises(CaremarketError, match="A block may cover at most 5 schemes"):
        competitions.open_competition(
            by=broker, lot=lot, title="Six houses", deadline=deadline, schemes=schemes
        )
    other_lot = Lot.objects.filter(framework=lot.framework).exclude(pk=lot.pk).first()
    with pytest.raises(CaremarketError, match="Every scheme must belong to this lot"):
        competitions.open_competition(
            by=broker, lot=other_lot, title="Wrong lot", deadline=deadline, schemes=schemes[:2]
        )
    assert not Competition.objects.filter(title__in=["Six houses", "Wrong lot"]).exists()
    block = competitions.open_competition(
        by=broker, lot=lot, title="Five houses", deadline=deadline, schemes=schemes[:5]
    )
    single = competitions.open_competition(
        by=broker, lot=lot, title="One house", deadline=deadline, schemes=schemes[5:]
    )
    assert block.subject == Competition.Subject.BLOCK and block.schemes.count() == 5
    assert single.subject == Competition.Subject.SCHEME


def test_a_provider_cannot_hold_more_than_the_maximum_schemes(clock) -> None:  # type: ignore[no-untyped-def]
    """A provider that won a block up to the maximum cannot bid for one more scheme under
    the same framework; the call-off agreement lists the schemes it covers."""
    lot = account("provider.staffs").provider.appointments.get().lot
    broker = account("staffs.broker")
    provider = min(
        (a.provider for a in Appointment.objects.filter(lot=lot, status="active")),
        key=lambda p: sum(
            a.schemes.count()
            for a in p.agreements.filter(
                award__competition__framework=lot.framework, end_date__isnull=True
            )
        ),
    )
    held = sum(
        a.schemes.count()
        for a in provider.agreements.filter(
            award__competition__framework=lot.framework, end_date__isnull=True
        )
    )
    assert held < 5
    first = competitions.open_competition(
        by=broker,
        lot=lot,
        title="Up to the limit",
        deadline=clock.moment + timedelta(days=1),
        schemes=_schemes(5 - held, lot, "Limit test house"),
    )
    competitions.submit_bid(
        first.pk,
        provider=provider,
        by=provider_user(provider),
        weekly_price=Decimal("2400"),
        answers=_answers(first),
        low_price_explanation="Staff are shared across the scheme.",
    )
    clock.advance(days=1, minutes=1)
    competitions.evaluate(
        first.bids.get().pk, by=broker, scores=dict.fromkeys(SCORES[0], Decimal(70))
    )
    award = competitions.award_competition(first.pk, by=broker)
    assert award.agreement.schemes.count() == 5 - held
    assert award.agreement.person is None

    second = competitions.open_competition(
        by=broker,
        lot=lot,
        title="One more",
        deadline=clock.moment + timedelta(days=1),
        schemes=_schemes(1, lot, "Over the limit house"),
    )
    with pytest.raises(CaremarketError, match="You would hold more than 5 schemes"):
        competitions.submit_bid(
            second.pk,
            provider=provider,
            by=provider_user(provider),
            weekly_price=Decimal("500"),
            answers=_answers(second),
            low_price_explanation="Staff are shared across the scheme.",
        )
    assert not second.bids.exists()


def test_only_providers_appointed_to_the_lot_can_bid(clock) -> None:  # type: ignore[no-untyped-def]
    _referral, competition = _individual_call_off(clock)
    outsider = account("provider.staffs").provider  # appointed to a geographic lot, not Group 1
    assert not outsider.appointments.filter(lot=competition.lot).exists()
    with pytest.raises(CaremarketError, match="Only providers appointed to this lot can bid"):
        competitions.submit_bid(
            competition.pk,
            provider=outsider,
            by=provider_user(outsider),
            weekly_price=Decimal("100"),
            answers=_answers(competition),
        )
    assert not competition.bids.exists()


def test_a_score_for_a_bid_not_on_the_page_is_refused_not_a_server_error(clock) -> None:  # type: ignore[no-untyped-def]
    """A stale or crafted form: scoring before the deadline (no bids are shown yet), a bid
    of another competition, or an id that is not a number. Each must be a 4xx or the page
    again, never a 500, and nothing is scored."""
    from django.test import Client

    _referral, competition = _individual_call_off(clock)
    harbour = account("provider.harbour")
    bid = competitions.submit_bid(
        competition.pk,
        provider=harbour.provider,
        by=harbour,
        weekly_price=Decimal("400"),
        answers=_answers(competition),
    )
    client = Client(raise_request_exception=False)
    client.force_login(account("staffs.broker"))
    scores = {f"bid{bid.pk}-score_{q['key']}": "50" for q in competition.questions}
    for action in (f"score-{bid.pk}", "score-999999999", "score-x"):
        response = client.post(f"/competitions/{competition.pk}/", {"action": action, **scores})
        assert response.status_code < 500, f"{action}: {response.status_code}"
    bid.refresh_from_db()
    assert bid.quality_score is None


def test_a_second_competition_for_the_same_person_is_refused_cleanly(clock) -> None:  # type: ignore[no-untyped-def]
    referral, _competition = _individual_call_off(clock)
    with pytest.raises(CaremarketError):
        competitions.open_competition(
            by=account("staffs.broker"),
            lot=referral.lot,
            title="The same person again",
            deadline=clock.moment + timedelta(days=2),
            referral=referral,
        )
    assert Competition.objects.filter(referral=referral).count() == 1
