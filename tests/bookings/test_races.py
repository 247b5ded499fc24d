"""Exactly one live booking per room and one room per referral, when brokers hold and
providers answer at the same moment (PostgreSQL: real concurrent transactions and row locks).

Each race starts many threads at a barrier, each with its own database connection. Whatever
the interleaving: at most one live booking on the room, at most one per referral, at most
one award; every caller that lost was told so with a clean ``CaremarketError`` (never an
``IntegrityError`` or a deadlock), and the room's own status agrees with its bookings.
"""

from __future__ import annotations

from functools import partial

import pytest
from django.db import connection

from caremarket.bookings import rules
from caremarket.bookings.models import Booking
from caremarket.bookings.services import holds, releases
from caremarket.brokerage.models import Award, ServiceAgreement
from caremarket.core.errors import Conflict
from caremarket.supported_living import rules as room_rules
from caremarket.supported_living.models import Room
from tests.brokerage.test_races import race
from tests.supported_living import factories as sl

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and serialises every writer",
    ),
]

ROUNDS = 3
BROKERS = 12


def _live(**where: object) -> int:
    return Booking.objects.filter(state__in=rules.LIVE_STATES, **where).count()


def test_many_brokers_holding_one_room_for_different_referrals_make_one_hold(
    transactional_db: None,
) -> None:
    for round_ in range(ROUNDS):
        w = sl.world(rooms=1)
        referrals = [w.referral() for _ in range(BROKERS)]
        outcomes = race(
            [
                (f"hold {r.pk}", partial(holds.hold, r.pk, w.rooms[0].pk, by=w.broker))
                for r in referrals
            ]
        )
        assert sum(o.ok for o in outcomes) == 1, f"round {round_}"
        assert all(isinstance(o.error, Conflict) for o in outcomes if not o.ok)
        assert _live(room=w.rooms[0]) == 1
        w.rooms[0].refresh_from_db()
        assert w.rooms[0].status == room_rules.HELD


def test_one_referral_held_in_many_rooms_at_once_gets_one(transactional_db: None) -> None:
    w = sl.world(rooms=BROKERS)
    referral = w.referral()
    outcomes = race(
        [(f"hold {r.pk}", partial(holds.hold, referral.pk, r.pk, by=w.broker)) for r in w.rooms]
    )
    assert sum(o.ok for o in outcomes) == 1
    assert all(isinstance(o.error, Conflict) for o in outcomes if not o.ok)
    assert _live(referral=referral) == 1
    rooms = Room.objects.filter(pk__in=[r.pk for r in w.rooms])
    assert rooms.filter(status=room_rules.HELD).count() == 1


def test_confirming_declining_withdrawing_and_holding_again_at_once(
    transactional_db: None,
) -> None:
    """A hold exists. Then, all at once: the provider presses confirm (six times) and
    decline (six times), brokers withdraw it (four) and hold the room for other referrals
    (eight). One answer wins; at most one live booking remains, and the room agrees."""
    for round_ in range(ROUNDS):
        w = sl.world(rooms=1)
        referral = w.referral()
        booking = holds.hold(referral.pk, w.rooms[0].pk, by=w.broker)
        others = [w.referral() for _ in range(8)]
        move_in = sl.today_plus(7)
        calls = [
            (
                f"confirm {n}",
                partial(holds.confirm, booking.pk, by=w.provider_user, move_in_date=move_in),
            )
            for n in range(6)
        ]
        calls += [
            (
                f"decline {n}",
                partial(holds.decline, booking.pk, by=w.provider_user, reason="Not suitable"),
            )
            for n in range(6)
        ]
        calls += [
            (f"withdraw {n}", partial(releases.withdraw, booking.pk, by=w.broker)) for n in range(4)
        ]
        calls += [
            (f"hold {r.pk}", partial(holds.hold, r.pk, w.rooms[0].pk, by=w.broker)) for r in others
        ]
        outcomes = race(calls)
        answers = [o for o in outcomes if not o.label.startswith("hold") and o.ok]
        assert len(answers) == 1, f"round {round_}: {[o.label for o in answers]}"
        booking.refresh_from_db()
        w.rooms[0].refresh_from_db()
        assert _live(room=w.rooms[0]) <= 1
        new_holds = [o for o in outcomes if o.label.startswith("hold") and o.ok]
        if booking.state == rules.CONFIRMED:
            assert not new_holds and w.rooms[0].status == room_rules.OCCUPIED
            assert Award.objects.filter(referral=referral).count() == 1
            assert ServiceAgreement.objects.filter(award__referral=referral).count() == 1
        else:
            assert booking.state in (rules.DECLINED, rules.WITHDRAWN)
            assert not Award.objects.filter(referral=referral).exists()
            assert len(new_holds) <= 1
            expected = room_rules.HELD if new_holds else room_rules.VACANT
            assert w.rooms[0].status == expected
