"""Devon's brokerage demo (``demo.brokerage_devon``): the spot purchase that waits for the
commissioner, so the second-person approval can be seen without setting it up."""

from __future__ import annotations

import pytest

from caremarket.accounts.models import User
from caremarket.brokerage import spot_approvals
from caremarket.brokerage.models import Award, SpotApproval

pytestmark = pytest.mark.django_db


def test_one_devon_spot_purchase_waits_for_the_commissioners_approval() -> None:
    waiting = SpotApproval.objects.filter(
        commissioner__slug="devon", status=SpotApproval.Status.PENDING
    )
    assert waiting.count() == 1
    asked = waiting.get()
    assert asked.requested_by.username == "devon.broker"
    assert asked.band_high is not None and asked.unit_price > asked.band_high
    assert "above the band" in asked.needs_approval_because
    assert asked.weekly_cost == asked.units_per_week * asked.unit_price
    assert asked.yearly_cost == asked.weekly_cost * 52
    assert not Award.objects.filter(referral=asked.referral).exists()
    assert asked.referral.state == "awaiting_care" and not asked.overtaken
    commissioner = User.objects.get(username="devon.commissioner")
    assert list(spot_approvals.waiting_for(commissioner)) == [asked]
    # The broker who asked sees it, but may not decide it.
    broker = User.objects.get(username="devon.broker")
    assert asked in spot_approvals.requests_for(broker)
    assert asked not in spot_approvals.waiting_for(broker)
