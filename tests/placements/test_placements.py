"""Suggested placements and capacity: the engine sees the council's market as it is, and a
suggestion only ever goes out through the referral's own route."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.brokerage import allocation
from caremarket.brokerage.models import Offer, Referral
from caremarket.brokerage.services import placements
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.engine.allocation import check_feasible
from caremarket.market.models import Commissioner, ServiceType, Zone
from caremarket.providers import services as provider_services
from caremarket.providers.models import CapacityDeclaration, Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def devon() -> Commissioner:
    return Commissioner.objects.get(slug="devon")


def test_the_problem_is_the_councils_open_hourly_referrals_and_declared_capacity(devon) -> None:  # type: ignore[no-untyped-def]
    problem, referrals = allocation.build_problem(devon, clock.today())
    assert referrals and all(r.is_open and r.hours_per_week for r in referrals)
    assert {r.commissioner for r in problem.referrals} == {"devon"}
    assert len(problem.referrals) == len(referrals)
    assert problem.capacity and problem.eligibility and problem.primes
    assert all(c.hours > 0 for c in problem.capacity)
    zone_1 = f"Z{Zone.objects.get(commissioner=devon, number=1).pk}"
    assert any(
        zone_1 in p.zones and p.min_subcontract_share == Decimal("0.3") for p in problem.primes
    )


def test_suggestions_are_feasible_and_no_worse_than_first_come_first_served(devon) -> None:  # type: ignore[no-untyped-def]
    proposal = allocation.propose(devon)
    assert check_feasible(proposal.problem, proposal.optimal) == []
    o, g = proposal.optimal.totals, proposal.greedy.totals
    assert o.weighted_hours_placed >= g.weighted_hours_placed
    bound = proposal.optimal.bounds.proven
    assert bound is not None and o.weighted_hours_placed <= bound
    assert len(proposal.suggestions) == o.referrals_placed
    placed = {s.referral.pk for s in proposal.suggestions}
    assert placed.isdisjoint({r.pk for r, _ in proposal.unplaced})


def test_capacity_already_used_by_awards_since_the_declaration_is_not_offered_again(
    devon,  # type: ignore[no-untyped-def]
) -> None:
    problem, _ = allocation.build_problem(devon, clock.today())
    row = problem.capacity[0]
    provider = Provider.objects.get(pk=int(row.provider[1:]))
    zone = Zone.objects.get(pk=int(row.zone[1:]))
    care = ServiceType.objects.get(code=row.service_type)
    CapacityDeclaration.objects.create(
        provider=provider,
        zone=zone,
        service_type=care,
        hours_per_week=Decimal("0"),
        valid_from=clock.today(),
        declared_at=clock.now(),
    )
    again, _ = allocation.build_problem(devon, clock.today())
    assert (row.provider, row.zone, row.service_type) not in {
        (c.provider, c.zone, c.service_type) for c in again.capacity
    }


def test_accepting_suggestions_sends_them_through_each_route(devon, user) -> None:  # type: ignore[no-untyped-def]
    broker = user("devon.broker")
    proposal = allocation.propose(devon)
    chosen = proposal.suggestions[:6]
    before = Offer.objects.count()
    outcome = placements.accept(
        devon, [(s.referral.pk, s.placed_with.pk, s.delivered_by.pk) for s in chosen], by=broker
    )
    assert len(outcome.offered) + len(outcome.to_lead) + len(outcome.skipped) == len(chosen)
    assert Offer.objects.count() > before
    for s in chosen:
        referral = Referral.objects.get(pk=s.referral.pk)
        if s.referral.reference in outcome.offered:
            assert referral.state == "offered"
            assert referral.offers.filter(provider=s.placed_with, status="open").exists()
        if s.referral.reference in outcome.to_lead:
            assert referral.offers.filter(kind="lead", provider=s.placed_with).exists()
            assert "Suggested placement" in referral.next_action
    assert not Referral.objects.filter(
        pk__in=[s.referral.pk for s in chosen], state="awarded"
    ).exists()  # nothing is awarded here


def test_a_suggestion_for_a_referral_no_longer_open_is_skipped(devon, user) -> None:  # type: ignore[no-untyped-def]
    awarded = Referral.objects.filter(commissioner=devon, state="awarded").first()
    outcome = placements.accept(
        devon,
        [(awarded.pk, awarded.award.provider_id, awarded.award.provider_id)],
        by=user("devon.broker"),
    )
    assert outcome.skipped and "no longer open" in outcome.skipped[0]


def test_the_suggest_page_compares_with_first_come_first_served(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("devon.broker").get("/brokerage/suggest/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Against first come, first served" in body and "Priority-weighted hours" in body
    assert "of the most the solver proved possible" in body


def test_providers_declare_capacity_only_where_they_work(user) -> None:  # type: ignore[no-untyped-def]
    me = user("provider.prime")
    provider = me.provider
    care = ServiceType.objects.get(code="personal-care")
    home = provider_services.zones_served(provider, clock.today())[0]
    made = provider_services.declare_capacity(
        provider, zone=home, service_type=care, hours_per_week=Decimal("12.5"), by=me
    )
    assert made.declared_by == me
    elsewhere = Zone.objects.get(commissioner__slug="staffordshire", number=1)
    with pytest.raises(Invalid, match="not appointed"):
        provider_services.declare_capacity(
            provider, zone=elsewhere, service_type=care, hours_per_week=Decimal("5")
        )
    with pytest.raises(Invalid, match="between 0 and 1,000"):
        provider_services.declare_capacity(
            provider, zone=home, service_type=care, hours_per_week=Decimal("-1")
        )
    with pytest.raises(Invalid, match="today or later"):
        provider_services.declare_capacity(
            provider,
            zone=home,
            service_type=care,
            hours_per_week=Decimal("5"),
            valid_from=clock.today() - timedelta(days=1),
        )


def test_capacity_through_the_web_and_the_api(client_for, user) -> None:  # type: ignore[no-untyped-def]
    me = user("provider.prime")
    zone = provider_services.zones_served(me.provider, clock.today())[0]
    care = ServiceType.objects.get(code="personal-care")
    client = client_for("provider.prime")
    bad = client.post(
        "/inbox/capacity/", {"zone": zone.pk, "service_type": care.pk, "hours_per_week": "abc"}
    )
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    ok = client.post(
        "/inbox/capacity/", {"zone": zone.pk, "service_type": care.pk, "hours_per_week": "20"}
    )
    assert ok.status_code == 302
    assert CapacityDeclaration.objects.filter(
        provider=me.provider, zone=zone, hours_per_week=20
    ).exists()
    api = client.post(
        "/api/v1/capacity/",
        {
            "commissioner": zone.commissioner.slug,
            "zone": zone.number,
            "service_type": "personal-care",
            "hours_per_week": "7.25",
        },
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["hours_per_week"] == "7.25"
    refused = client.post(
        "/api/v1/capacity/",
        {
            "commissioner": "staffordshire",
            "zone": 1,
            "service_type": "personal-care",
            "hours_per_week": "5",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and "not appointed" in refused.json()["zone"]
    listed = client_for("provider.devon").get("/api/v1/capacity/").json()
    assert all(row["provider"] != me.provider.slug for row in listed["results"])
