"""Every read agrees on the state now, whether or not the worker has run.

When every offer of a referral has passed its deadline, the referral is awaiting care and
its offers are expired, though nothing has written that down yet (``caremarket.brokerage.
waiting``). The referral list and its state filter, the referral page's heading, the API's
``state`` field and ``?state=`` filter, and the offers API's ``?status=`` filter must all say
so. Each test first reads the same places a minute before the deadline, where everything
must still say offered / open, so that the change is the clock and nothing else.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from caremarket.brokerage.models import Offer, Referral
from caremarket.engine.lifecycle import State
from tests.brokerage.support import accept, account, framework_offers, offer_to, raise_referral

pytestmark = pytest.mark.django_db


def _si_referral(clock):  # type: ignore[no-untyped-def]
    """Supporting Independence, Devon zone 1: offered to provider.devon and others, with
    the same 72-hour window; nobody answers."""
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    mine = offer_to(referral, account("provider.devon").provider)
    deadlines = {o.deadline for o in framework_offers(referral)}
    assert len(framework_offers(referral)) >= 2 and deadlines == {mine.deadline}
    return referral, mine


def _past_every_deadline(clock, referral: Referral) -> None:  # type: ignore[no-untyped-def]
    clock.set(max(o.deadline for o in referral.offers.all()) + timedelta(minutes=1))
    # Nobody has written anything down: the stored state and statuses are unchanged.
    assert Referral.objects.get(pk=referral.pk).state == State.OFFERED
    assert set(referral.offers.values_list("status", flat=True)) == {Offer.Status.OPEN}


def _list_rows(client, state: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Reference -> state label, from the referral list filtered by state (every row, via
    the list's CSV download of the same table)."""
    response = client.get("/referrals/", {"state": state, "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return {row["Referral"]: row["State"] for row in rows}


def _api_ids(client, **query: str) -> set[int]:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/referrals/", {**query, "limit": 500})
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    return {row["id"] for row in body["results"]}


def _heading(html: str) -> str:
    found = re.search(r'<h1 class="govuk-heading-xl">(.*?)</h1>', html, re.S)
    assert found is not None
    return found.group(1)


def test_the_referral_list_and_its_filter(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral, _mine = _si_referral(clock)
    broker = client_for("devon.broker")
    clock.set(referral.offers.first().deadline - timedelta(minutes=1))
    assert _list_rows(broker, "offered").get(referral.reference) == "Offered"
    assert referral.reference not in _list_rows(broker, "awaiting_care")

    _past_every_deadline(clock, referral)
    waiting = _list_rows(broker, "awaiting_care")
    assert waiting.get(referral.reference) == "Awaiting care"
    assert referral.reference not in _list_rows(broker, "offered")

    # The page itself (newest first, so it is on the first page) says the same.
    page = broker.get(
        "/referrals/", {"state": "awaiting_care", "sort": "reference", "order": "desc"}
    ).content.decode()
    row = re.search(rf"{referral.reference}.*?</tr>", page, re.S)
    assert row is not None and "Awaiting care" in row.group(0)


def test_the_referral_page_heading(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral, _mine = _si_referral(clock)
    broker = client_for("devon.broker")
    clock.set(referral.offers.first().deadline - timedelta(minutes=1))
    before = _heading(broker.get(f"/referrals/{referral.pk}/").content.decode())
    assert 'govuk-tag--blue">Offered</strong>' in before

    _past_every_deadline(clock, referral)
    html = broker.get(f"/referrals/{referral.pk}/").content.decode()
    heading = _heading(html)
    assert referral.reference in heading
    assert 'govuk-tag--red">Awaiting care</strong>' in heading
    assert "Offered" not in heading
    assert "Awaiting care for" in html


def test_the_api_state_field_and_filter_for_the_council(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral, _mine = _si_referral(clock)
    broker = client_for("devon.broker")
    clock.set(referral.offers.first().deadline - timedelta(minutes=1))
    assert broker.get(f"/api/v1/referrals/{referral.pk}/").json()["state"] == "offered"
    assert referral.pk in _api_ids(broker, state="offered")
    assert referral.pk not in _api_ids(broker, state="awaiting_care")

    _past_every_deadline(clock, referral)
    assert broker.get(f"/api/v1/referrals/{referral.pk}/").json()["state"] == "awaiting_care"
    assert referral.pk in _api_ids(broker, state="awaiting_care")
    assert referral.pk not in _api_ids(broker, state="offered")
    every = broker.get("/api/v1/referrals/", {"limit": 500}).json()["results"]
    assert next(r for r in every if r["id"] == referral.pk)["state"] == "awaiting_care"
    waiting = broker.get("/api/v1/awaiting-care/").json()["results"]
    assert referral.reference in {r["reference"] for r in waiting}


def test_the_api_state_for_a_provider_that_was_offered_it(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral, _mine = _si_referral(clock)
    provider = client_for("provider.devon")
    _past_every_deadline(clock, referral)
    assert provider.get(f"/api/v1/referrals/{referral.pk}/").json()["state"] == "awaiting_care"
    assert referral.pk in _api_ids(provider, state="awaiting_care")
    assert referral.pk not in _api_ids(provider, state="offered")


def _offer_ids(client, status: str) -> set[int]:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/offers/", {"status": status, "limit": 500})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_the_offers_api_status_filter(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral, mine = _si_referral(clock)
    provider = client_for("provider.devon")
    clock.set(mine.deadline - timedelta(minutes=1))
    assert mine.pk in _offer_ids(provider, "open")
    assert mine.pk not in _offer_ids(provider, "expired")

    _past_every_deadline(clock, referral)
    assert mine.pk in _offer_ids(provider, "expired")
    assert mine.pk not in _offer_ids(provider, "open")
    detail = provider.get(f"/api/v1/offers/{mine.pk}/").json()
    assert detail["status"] == "expired"


def test_the_referral_embedded_in_the_offers_api_has_the_state_now(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral, mine = _si_referral(clock)
    provider = client_for("provider.devon")
    _past_every_deadline(clock, referral)
    assert provider.get(f"/api/v1/referrals/{referral.pk}/").json()["state"] == "awaiting_care"
    embedded = provider.get(f"/api/v1/offers/{mine.pk}/").json()["referral"]
    assert embedded["state"] == "awaiting_care"


def test_an_accepted_offer_keeps_the_referral_off_the_list(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """The rule is 'every offer declined or expired, none accepted': one acceptance in time
    and the referral is still offered (waiting for the award) after the window closes."""
    referral, mine = _si_referral(clock)
    accept(mine)
    other = next(o for o in framework_offers(referral) if o.pk != mine.pk)
    clock.set(mine.deadline + timedelta(minutes=1))
    broker = client_for("devon.broker")
    assert broker.get(f"/api/v1/referrals/{referral.pk}/").json()["state"] == "offered"
    assert referral.reference not in _list_rows(broker, "awaiting_care")
    provider = client_for("provider.devon")
    assert mine.pk in _offer_ids(provider, "accepted")
    assert mine.pk not in _offer_ids(provider, "expired")
    assert other.effective_status(clock.moment) == Offer.Status.EXPIRED
