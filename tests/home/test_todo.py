"""Each role lands on its own list of what needs doing today, and the navigation carries the
same counts (issue 14)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from caremarket.brokerage.models import Offer
from caremarket.core import clock
from caremarket.home import todo
from tests.brokerage.support import account, raise_referral

pytestmark = pytest.mark.django_db


def test_time_left_reads_at_a_glance() -> None:
    now = clock.now()
    assert todo.time_left(now + timedelta(hours=3, minutes=20), now) == "3 h 20 min left"
    assert todo.time_left(now + timedelta(minutes=9), now) == "9 min left"
    assert todo.time_left(now + timedelta(days=2, hours=1), now) == "2 days 1 h left"
    assert todo.time_left(now - timedelta(minutes=1), now) == "closed"


def test_a_provider_lands_on_its_offers_nearest_deadline_first(client_for: Any) -> None:
    raise_referral("devon", 1, "personal-care", urgency="hospital_discharge")
    provider = account("provider.harbour")
    today = todo.today_for(provider, clock.now())
    offers = next(x for x in today.lists if x.key == "offers")
    live = Offer.objects.filter(provider=provider.provider).filter(Offer.live_q(clock.now()))
    assert offers.count == live.count() > 0
    deadlines = list(live.order_by("deadline").values_list("referral__reference", flat=True))
    assert [i.label.split(":")[0] for i in offers.items] == deadlines[: todo.SHOWN]
    page = client_for("provider.harbour").get("/home/").content.decode()
    assert "Offers to answer" in page and "left" in page
    # The navigation's Inbox carries the same count.
    assert f'{offers.count}<span class="govuk-visually-hidden"> offers to answer' in page


def test_a_broker_lands_on_awards_discharges_expiring_offers_and_the_longest_waits(
    client_for: Any,
) -> None:
    referral = raise_referral("devon", 1, "personal-care", urgency="hospital_discharge")
    today = todo.today_for(account("devon.broker"), clock.now())
    keys = [x.key for x in today.lists]
    assert keys == ["awards", "discharges", "expiring", "waiting"]
    discharges = next(x for x in today.lists if x.key == "discharges")
    assert discharges.count >= 1
    expiring = next(x for x in today.lists if x.key == "expiring")
    assert referral.reference in [i.label.split(":")[0] for i in expiring.items] or (
        expiring.count > todo.SHOWN
    )
    waiting = next(x for x in today.lists if x.key == "waiting")
    days = [int(i.when.split()[0]) for i in waiting.items]
    assert days == sorted(days, reverse=True)
    page = client_for("devon.broker").get("/home/").content.decode()
    for title in ("Awards to confirm", "Hospital discharges waiting", "People waiting longest"):
        assert title in page


def test_a_practitioner_sees_only_their_own_referrals_and_states(client_for: Any) -> None:
    mine = raise_referral("devon", 1, "personal-care")
    theirs = raise_referral("devon", 1, "personal-care", by="devon.broker")
    today = todo.today_for(account("devon.practitioner"), clock.now())
    listed = [i.label.split(":")[0] for i in today.lists[0].items]
    assert mine.reference in listed and theirs.reference not in listed
    assert today.figures  # counts by state


def test_finance_sees_totals_and_a_commissioner_the_market(client_for: Any) -> None:
    finance = todo.today_for(account("devon.finance"), clock.now())
    labels = [f.label for f in finance.figures]
    assert "Weekly cost of care in force" in labels
    assert finance.figures[1].value.startswith("£")
    market = todo.today_for(account("devon.commissioner"), clock.now())
    assert "People awaiting care" in [f.label for f in market.figures]
    page = client_for("devon.finance").get("/home/").content.decode()
    assert "Today at a glance" in page


def test_a_visitor_sees_the_front_door_not_a_list(client_for: Any) -> None:
    page = client_for(None).get("/").content.decode()
    assert "What needs doing today" not in page


def test_the_glossary_explains_the_words_and_the_care_group_codes(client_for: Any) -> None:
    page = client_for(None).get("/glossary/").content.decode()
    for word in ("Lot", "Call-off", "Prime provider", "Band", "Care-group codes", "OP"):
        assert word in page
