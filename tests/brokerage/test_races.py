"""Exactly one award per referral, even when providers accept and brokers confirm at the
same moment (PostgreSQL: real concurrent transactions and row locks).

Each race starts twenty-odd threads at a barrier, each with its own database connection,
and repeats with a fresh referral. Whatever the interleaving: one award, one agreement, one
'awarded' offer; every caller that lost was told so with a clean ``Conflict`` (or another
``CaremarketError``), never an ``IntegrityError`` or anything else; and no update is lost:
every acceptance that was confirmed to its provider is either the award or 'not selected',
and is in the award's recorded ranking.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest
from django.db import connection

from caremarket.brokerage import routing
from caremarket.brokerage.models import Award, Offer, Referral, ReferralEvent, ServiceAgreement
from caremarket.brokerage.services import awards, offers
from caremarket.core import clock as clock_module
from caremarket.core.errors import CaremarketError, Conflict
from caremarket.engine.lifecycle import State
from tests.brokerage.support import account, framework_offers, provider_user, raise_referral

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and serialises every writer",
    ),
]

ROUNDS = 4
BROKERS = 8


@dataclass
class Outcome:
    label: str
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def race(calls: list[tuple[str, Callable[[], object]]]) -> list[Outcome]:
    """Run every call at once: each thread connects, waits at the barrier, calls, records
    what happened, and closes its connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Outcome] = [Outcome(label) for label, _ in calls]

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            call()
        except BaseException as exc:  # recorded and judged by the test, in the main thread
            outcomes[i].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, (_, c) in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a caller is stuck (a deadlock?)"
    for outcome in outcomes:
        if outcome.error is not None and not isinstance(outcome.error, CaremarketError):
            raise AssertionError(
                f"{outcome.label} failed with {type(outcome.error).__name__}, not a clean "
                f"refusal: {outcome.error}"
            ) from outcome.error
    return outcomes


def _exactly_one_award(referral: Referral) -> Award:
    referral.refresh_from_db()
    assert referral.state == State.AWARDED
    (award,) = Award.objects.filter(referral=referral)
    assert ServiceAgreement.objects.filter(award__referral=referral).count() == 1
    assert ReferralEvent.objects.filter(referral=referral, to_state=State.AWARDED).count() == 1
    assert (
        referral.offers.filter(status=Offer.Status.AWARDED)
        .exclude(kind=Offer.Kind.SUBCONTRACT)
        .count()
        == 1
    )
    return award


def test_providers_accepting_and_brokers_confirming_at_once_make_one_award(market) -> None:  # type: ignore[no-untyped-def]
    """Devon zone 5 (council-coordinated; weighted 60/40; award allowed before the window
    closes). One provider has accepted; then every other provider accepts while eight
    brokers press 'confirm award', all at once."""
    broker = account("devon.broker")
    for round_ in range(ROUNDS):
        referral = raise_referral("devon", 5, "personal-care")
        sent = framework_offers(referral)
        assert len(sent) >= 10, "East Devon has enough providers for a real race"
        first, *others = sent
        offers.accept(first.pk, provider=first.provider, by=provider_user(first.provider))
        users = {o.pk: provider_user(o.provider) for o in others}

        calls: list[tuple[str, Callable[[], object]]] = [
            (f"accept {o.pk}", partial(offers.accept, o.pk, provider=o.provider, by=users[o.pk]))
            for o in others
        ]
        calls += [
            (f"confirm {n}", partial(awards.confirm, referral.pk, by=broker))
            for n in range(BROKERS)
        ]
        outcomes = race(calls)

        award = _exactly_one_award(referral)
        confirms = [o for o in outcomes if o.label.startswith("confirm")]
        assert sum(o.ok for o in confirms) == 1, f"round {round_}"
        assert all(isinstance(o.error, Conflict) for o in confirms if not o.ok)
        assert all("already placed" in str(o.error) for o in confirms if not o.ok)

        accepted = {first.pk} | {
            int(o.label.split()[1]) for o in outcomes if o.label.startswith("accept") and o.ok
        }
        refused = {
            int(o.label.split()[1]) for o in outcomes if o.label.startswith("accept")
        } - accepted
        assert all(
            isinstance(o.error, Conflict)
            for o in outcomes
            if o.label.startswith("accept") and not o.ok
        )
        status = dict(referral.offers.values_list("pk", "status"))
        assert status[award.offer_id] == Offer.Status.AWARDED
        # No lost update: every acceptance that stood is ranked, and either won or lost.
        assert {s["offer"] for s in award.scores} == accepted
        assert {status[pk] for pk in accepted - {award.offer_id}} <= {Offer.Status.NOT_SELECTED}
        assert {status[pk] for pk in refused} <= {Offer.Status.WITHDRAWN}
        assert Offer.Status.ACCEPTED not in status.values()
        assert Offer.Status.OPEN not in status.values()
        assert award.offer_id in accepted


def test_lead_delivering_and_subcontractor_confirming_at_once_make_one_award(market) -> None:  # type: ignore[no-untyped-def]
    """Isle of Wight: the lead has placed the referral with a panel member; now the lead
    presses 'we will deliver it' while the member presses 'confirm', ten times each, at
    once. One of them wins; the other side is told it is already placed."""
    lead = account("provider.iow")
    for round_ in range(ROUNDS):
        referral = raise_referral("iow", 2, "personal-care")
        lead_offer = referral.offers.get(kind=Offer.Kind.LEAD)
        member = routing.panel_for(lead_offer, clock_module.today())[round_ % 2]
        member_user = provider_user(member)
        sub = offers.lead_subcontracts(
            lead_offer.pk, provider=lead.provider, member=member, by=lead
        )

        deliver = partial(offers.lead_delivers, lead_offer.pk, provider=lead.provider, by=lead)
        confirm = partial(offers.subcontractor_confirms, sub.pk, provider=member, by=member_user)
        calls: list[tuple[str, Callable[[], object]]] = []
        for n in range(10):
            calls += [(f"lead {n}", deliver), (f"member {n}", confirm)]
        outcomes = race(calls)

        award = _exactly_one_award(referral)
        assert sum(o.ok for o in outcomes) == 1, f"round {round_}"
        assert all(isinstance(o.error, Conflict) for o in outcomes if not o.ok)
        (won,) = [o.label.split()[0] for o in outcomes if o.ok]
        assert award.provider_id == lead.provider_id and award.offer_id == lead_offer.pk
        status = dict(referral.offers.values_list("pk", "status"))
        assert status[lead_offer.pk] == Offer.Status.AWARDED
        if won == "lead":
            assert award.delivering_provider_id == lead.provider_id
            assert status[sub.pk] == Offer.Status.WITHDRAWN
        else:
            assert award.delivering_provider_id == member.pk
            assert status[sub.pk] == Offer.Status.AWARDED


@pytest.mark.django_db
def test_answering_and_confirming_work_on_postgresql() -> None:
    """The plainest path, one caller at a time: a provider accepts, the broker confirms."""
    referral = raise_referral("devon", 5, "personal-care")
    offer = framework_offers(referral)[0]
    offers.accept(offer.pk, provider=offer.provider, by=provider_user(offer.provider))
    award = awards.confirm(referral.pk, by=account("devon.broker"))
    assert award.offer_id == offer.pk
