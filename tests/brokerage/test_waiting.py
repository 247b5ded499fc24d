"""Days waiting and priority: one rule (``brokerage.rules.waiting``), so "Suggest placements"
ranks people by the figure the broker reads on the awaiting-care list.

They once disagreed: the list counted from the earlier of the start date and the day the
referral was raised, the engine's adapter from the day raised only, so a referral whose
start date came before it was raised looked newer to the engine than to the broker.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from caremarket.brokerage import allocation, rules, selectors
from caremarket.brokerage.models import Referral
from caremarket.core import clock
from caremarket.engine.lifecycle import OPEN
from caremarket.market.models import Commissioner
from tests.brokerage.support import account

BROKERS = {"devon": "devon.broker", "isle-of-wight": "iow.broker", "staffordshire": "staffs.broker"}


def _figures(commissioner: Commissioner, now: datetime) -> tuple[dict, dict, set[int]]:  # type: ignore[type-arg]
    """(engine input by referral id, awaiting-care rows by id, every open referral's id)."""
    today = clock.local(now).date()
    problem, _ = allocation.build_problem(commissioner, today)
    engine = {int(r.id[1:]): (r.days_waiting, r.weight) for r in problem.referrals}
    broker = account(BROKERS[commissioner.slug])
    rows, _ = selectors.awaiting_care(broker, now)
    listed = {
        r.pk: (selectors.days_waiting(r, today), r.waiting(today).priority)
        for r in rows
        if r.commissioner_id == commissioner.pk
    }
    open_ids = set(
        Referral.objects.filter(commissioner=commissioner, state__in=list(OPEN)).values_list(
            "pk", flat=True
        )
    )
    return engine, listed, open_ids


@pytest.mark.django_db
def test_suggest_placements_and_the_awaiting_care_list_agree_for_every_open_referral() -> None:
    """Every open referral of the demo that both see: the same days and the same priority.
    Every open referral the engine sees is checked against the broker's own figure (the
    referral page's), whether or not it is on the list yet."""
    now = clock.now()
    today = clock.local(now).date()
    compared = 0
    for commissioner in Commissioner.objects.filter(slug__in=BROKERS):
        engine, listed, open_ids = _figures(commissioner, now)
        assert set(engine) <= open_ids
        broker = account(BROKERS[commissioner.slug])
        for pk, (days, weight) in engine.items():
            seen = selectors.referral_for(broker, pk)
            assert days == selectors.days_waiting(seen, today), seen.reference
            assert weight == seen.waiting(today).priority, seen.reference
            if pk in listed:
                assert (days, weight) == listed[pk], seen.reference
                compared += 1
    assert compared >= 200, "Devon's awaiting-care list alone has over 200 people"


@pytest.mark.django_db
def test_a_start_date_before_the_day_raised_counts_the_same_in_both() -> None:
    """The case that used to differ: care was due before the referral was raised. Both
    count from the start date, and the awaiting-care list orders by that priority."""
    devon = Commissioner.objects.get(slug="devon")
    now = clock.now()
    today = clock.local(now).date()
    broker = account("devon.broker")
    rows, _ = selectors.awaiting_care(broker, now)
    referral = next(r for r in rows if r.hours_per_week and r.route in allocation.ROUTES)
    Referral.objects.filter(pk=referral.pk).update(
        awaiting_since=None,
        start_date=today - timedelta(days=30),
        created_at=now - timedelta(days=2),
    )
    engine, listed, _ = _figures(devon, now)
    # 30 days is four completed weeks: the base weight times 1 + 4/4.
    assert engine[referral.pk] == listed[referral.pk] == (30, 2 * _base(referral))
    rows, _ = selectors.awaiting_care(broker, now)
    in_zone = [r for r in rows if r.zone_id == referral.zone_id]
    assert [r.waiting(today).order for r in in_zone] == sorted(
        r.waiting(today).order for r in in_zone
    )


def _base(referral: Referral) -> Decimal:
    return {"crisis": Decimal(4), "hospital_discharge": Decimal(3), "planned": Decimal(1)}[
        referral.urgency
    ]


# --- the rule itself, without a database ------------------------------------------------------

DAY = date(2026, 3, 2)


def test_the_list_date_wins_once_written_down() -> None:
    since = rules.waiting_since(
        awaiting_since=DAY, start_date=DAY - timedelta(days=9), raised_on=DAY - timedelta(days=3)
    )
    assert since == DAY


@pytest.mark.parametrize(
    ("start", "raised", "days"),
    [
        (DAY + timedelta(days=5), DAY, 10),  # raised first: from the day raised
        (DAY - timedelta(days=4), DAY, 14),  # care due before it was raised: from the start date
    ],
)
def test_until_then_the_earlier_of_start_and_raised(start: date, raised: date, days: int) -> None:
    w = rules.waiting(
        urgency="planned", awaiting_since=None, start_date=start, raised_on=raised,
        today=DAY + timedelta(days=10),
    )  # fmt: skip
    assert w.days == days


def test_priority_is_the_engines_weight_and_orders_heaviest_then_longest_waiting() -> None:
    today = DAY + timedelta(days=21)
    crisis = rules.waiting(
        urgency="crisis", awaiting_since=DAY, start_date=DAY, raised_on=DAY, today=today
    )
    planned = rules.waiting(
        urgency="planned", awaiting_since=DAY, start_date=DAY, raised_on=DAY, today=today
    )
    assert (crisis.days, crisis.priority, planned.priority) == (21, Decimal(7), Decimal("1.75"))
    assert sorted([planned.order, crisis.order]) == [crisis.order, planned.order]
    older = rules.waiting(
        urgency="planned", awaiting_since=DAY - timedelta(days=1), start_date=DAY,
        raised_on=DAY, today=today,
    )  # fmt: skip
    assert older.priority == planned.priority and older.order < planned.order
    future = rules.waiting(
        urgency="planned", awaiting_since=None, start_date=today + timedelta(days=3),
        raised_on=today + timedelta(days=1), today=today,
    )  # fmt: skip
    assert future.days == 0
