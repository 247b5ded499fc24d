"""Call-off competitions cannot be opened twice, left uncapped, bid at a penny or left open
for ever; the scorer marks quality blind to price (issue 14)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from caremarket.brokerage import routing
from caremarket.brokerage.models import Competition, Notification
from caremarket.brokerage.services import competitions
from caremarket.core.errors import Conflict, Invalid
from caremarket.frameworks.models import Appointment, Lot
from caremarket.supported_living.models import Scheme
from tests.brokerage.support import MovableClock, account, raise_referral

pytestmark = pytest.mark.django_db
ANSWERS = {"outcomes": "We will.", "staffing": "We will.", "transition": "We will."}


def _lot() -> Lot:
    return (
        account("provider.staffs")
        .provider.appointments.get(lot__framework__slug="supported-living")
        .lot
    )


def _scheme(lot: Lot, name: str, rooms: int = 14) -> Scheme:
    z = lot.zones.order_by("number").first()
    return Scheme.objects.create(
        commissioner=z.commissioner, name=name, zone=z, lot=lot, rooms=rooms, address="1 Guard Row"
    )


def _open(clock: MovableClock, schemes: list[Scheme], **extra: Any) -> Competition:
    return competitions.open_competition(
        by=account("staffs.broker"),
        lot=schemes[0].lot,
        title="Guarded call-off",
        deadline=extra.pop("deadline", clock.moment + timedelta(days=3)),
        schemes=schemes,
        **extra,
    )


def _bid(competition: Competition, price: str, **extra: Any) -> Any:
    staffs = account("provider.staffs")
    return competitions.submit_bid(
        competition.pk,
        provider=staffs.provider,
        by=staffs,
        weekly_price=Decimal(price),
        answers=ANSWERS,
        **extra,
    )


def test_a_scheme_in_a_competition_not_yet_decided_cannot_get_a_second(clock: Any) -> None:
    scheme = _scheme(_lot(), "Guard house one")
    first = _open(clock, [scheme])
    with pytest.raises(Conflict) as refused:
        _open(clock, [scheme])
    assert first.reference in refused.value.message
    clock.advance(days=4)  # in evaluation now
    with pytest.raises(Conflict):
        _open(clock, [scheme], deadline=clock.moment + timedelta(days=3))


def test_a_scheme_already_let_cannot_be_competed_again(clock: Any) -> None:
    scheme = _scheme(_lot(), "Guard house let")
    competition = _open(clock, [scheme])
    _bid(competition, str(routing.cap_for(competition)))
    clock.advance(days=4)
    bid = competition.bids.get()
    competitions.evaluate(bid.pk, by=account("staffs.broker"), scores=dict.fromkeys(ANSWERS, 70))
    award = competitions.award_competition(competition.pk, by=account("staffs.broker"))
    with pytest.raises(Conflict) as refused:
        _open(clock, [scheme], deadline=clock.moment + timedelta(days=3))
    assert award.agreement.reference in refused.value.message


@pytest.mark.parametrize("days", [0, 400])
def test_bids_must_close_after_today_and_not_years_ahead(clock: Any, days: int) -> None:
    scheme = _scheme(_lot(), f"Guard house deadline {days}")
    deadline = routing.closing_at(clock.today() + timedelta(days=days))
    if deadline <= clock.moment:
        deadline = clock.moment + timedelta(minutes=5)  # later today still
    with pytest.raises(Invalid) as refused:
        _open(clock, [scheme], deadline=deadline)
    assert refused.value.field == "deadline"


def test_a_scheme_is_capped_at_the_band_rate_for_each_room(clock: Any) -> None:
    scheme = _scheme(_lot(), "Guard house fourteen", rooms=14)
    competition = _open(clock, [scheme])
    assert competition.band is not None  # none chosen: the highest band the scheme serves
    rate = routing.band_in_force(competition.band, clock.today()).weekly_rate
    assert routing.cap_for(competition) == rate * 14
    with pytest.raises(Invalid):
        _bid(competition, str(rate * 14 + Decimal("0.01")))


def test_a_competition_opened_from_the_form_has_a_price_cap(clock: Any, client_for: Any) -> None:
    scheme = _scheme(_lot(), "Guard house form", rooms=3)
    closes = clock.today() + timedelta(days=10)
    page = client_for("staffs.broker").post(
        "/competitions/new/",
        {
            "schemes": [scheme.pk],
            "title": "From the form",
            "deadline_0": closes.day,
            "deadline_1": closes.month,
            "deadline_2": closes.year,
            "band_level": "medium",
            "submission_token": "form-token-1",
        },
    )
    assert page.status_code == 302
    competition = Competition.objects.get(schemes=scheme)
    assert competition.band.level == "medium"
    assert routing.cap_for(competition) == competition.band.weekly_rate * 3
    # The same submission again opens nothing new.
    again = client_for("staffs.broker").post(
        "/competitions/new/",
        {
            "schemes": [scheme.pk],
            "title": "From the form",
            "deadline_0": closes.day,
            "deadline_1": closes.month,
            "deadline_2": closes.year,
            "band_level": "medium",
            "submission_token": "form-token-1",
        },
    )
    assert again.status_code == 302 and again["Location"] == page["Location"]
    assert Competition.objects.filter(schemes=scheme).count() == 1


def test_an_abnormally_low_bid_must_be_explained(clock: Any) -> None:
    competition = _open(clock, [_scheme(_lot(), "Guard house penny")])
    with pytest.raises(Invalid) as refused:
        _bid(competition, "0.01")
    assert refused.value.field == "low_price_explanation"
    assert not competition.bids.exists()
    bid = _bid(competition, "0.01", low_price_explanation="A charity grant covers the staff.")
    assert bid.low_price_explanation.startswith("A charity grant")


def test_an_open_competition_can_be_withdrawn_and_bidders_are_told_why(clock: Any) -> None:
    referral = raise_referral(
        "staffs", 4, "supported-living", group="MH", band="medium", hours=None
    )
    competition = competitions.open_competition(
        by=account("staffs.broker"),
        lot=referral.lot,
        title="To be withdrawn",
        deadline=clock.moment + timedelta(days=2),
        referral=referral,
    )
    invited = Appointment.objects.live(clock.today()).filter(lot=referral.lot).count()
    before = Notification.objects.filter(subject__contains="withdrawn").count()
    with pytest.raises(Invalid):
        competitions.withdraw_competition(competition.pk, by=account("staffs.broker"), reason="")
    competitions.withdraw_competition(
        competition.pk, by=account("staffs.broker"), reason="The person moved away."
    )
    competition.refresh_from_db()
    referral.refresh_from_db()
    assert competition.status == Competition.Status.CANCELLED
    assert competition.withdrawn_reason == "The person moved away."
    assert referral.state == "awaiting_care"
    told = Notification.objects.filter(subject__contains="withdrawn")
    assert told.count() - before >= invited > 0
    assert "The person moved away." in told.order_by("-pk").first().body
    with pytest.raises(Invalid):
        _bid_on(competition)


def _bid_on(competition: Competition) -> None:
    try:
        _bid(competition, "900")
    except Exception as exc:  # closed: a Conflict, shown as a refusal
        raise Invalid(str(exc)) from exc


def test_the_scorer_marks_quality_without_seeing_prices(clock: Any, client_for: Any) -> None:
    competition = _open(clock, [_scheme(_lot(), "Guard house blind", rooms=2)])
    bid = _bid(competition, "2345.67")
    clock.advance(days=4)
    broker = client_for("staffs.broker")
    page = broker.get(f"/competitions/{competition.pk}/").content.decode()
    assert "Prices are hidden while you score" in page
    assert "2,345.67" not in page and "2345.67" not in page
    competitions.evaluate(bid.pk, by=account("staffs.broker"), scores=dict.fromkeys(ANSWERS, 60))
    page = broker.get(f"/competitions/{competition.pk}/").content.decode()
    assert "2,345.67" in page or "2345.67" in page


def test_a_broker_withdraws_from_the_page(clock: Any, client_for: Any) -> None:
    competition = _open(clock, [_scheme(_lot(), "Guard house page")])
    broker = client_for("staffs.broker")
    answer = broker.post(
        f"/competitions/{competition.pk}/",
        {"action": "withdraw", "withdraw-note": "Scheme closed for repairs."},
    )
    assert answer.status_code == 302
    competition.refresh_from_db()
    assert competition.status == Competition.Status.CANCELLED
    page = broker.get(f"/competitions/{competition.pk}/").content.decode()
    assert "Scheme closed for repairs." in page
