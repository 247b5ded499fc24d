"""Releasing rooms (bookings.services.releases): an award made some other way for a
referral, such as a call-off competition's, releases its room hold."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.bookings import rules
from caremarket.bookings.services import holds
from caremarket.brokerage.models import Notification
from caremarket.brokerage.services import competitions
from caremarket.core import clock
from caremarket.supported_living import rules as room_rules
from tests.supported_living import factories as sl

pytestmark = pytest.mark.django_db


def test_a_competition_award_releases_the_referrals_hold_with_the_reason(clock_at) -> None:  # type: ignore[no-untyped-def]
    w = sl.world(rooms=1)
    referral = w.referral()
    competition = competitions.open_competition(
        by=w.broker,
        lot=w.lot,
        title="A home for one person",
        deadline=clock.now() + timedelta(days=2),
        referral=referral,
    )
    booking = holds.hold(referral.pk, w.rooms[0].pk, by=w.broker)
    competitions.submit_bid(
        competition.pk,
        provider=w.provider,
        by=w.provider_user,
        weekly_price=Decimal("500.00"),
        answers={q["key"]: "We will." for q in competition.questions},
        low_price_explanation="Shared staff.",
    )
    clock_at(competition.deadline + timedelta(minutes=1))
    for bid in competition.bids.all():
        competitions.evaluate(
            bid.pk, by=w.broker, scores={q["key"]: Decimal(70) for q in competition.questions}
        )
    competitions.award_competition(competition.pk, by=w.broker)

    booking.refresh_from_db()
    assert booking.state == rules.WITHDRAWN
    assert f"competition {competition.reference}" in booking.note
    w.rooms[0].refresh_from_db()
    assert w.rooms[0].status == room_rules.VACANT and w.rooms[0].held_until is None
    assert Notification.objects.filter(
        to=w.provider_user.email, subject__endswith="is no longer held"
    ).exists()


def test_a_confirmed_bookings_own_award_releases_nothing() -> None:
    w = sl.world(rooms=2)
    first = holds.hold(w.referral().pk, w.rooms[0].pk, by=w.broker)
    other = holds.hold(w.referral().pk, w.rooms[1].pk, by=w.broker)
    holds.confirm(first.pk, by=w.provider_user, move_in_date=sl.today_plus(1))
    other.refresh_from_db()
    assert other.state == rules.HELD
