"""Service agreements: written by the award, varied from a date (never backdated), ended with
a reason; a package handed back by its provider goes straight back to sourcing.

Weekly cost is units x price, rounded once, half up, to the penny; every variation is kept, so
the terms on any day can be read back.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.brokerage.models import AgreementVariation, Notification, Referral, ServiceAgreement
from caremarket.brokerage.services import agreements, offers
from caremarket.core.errors import CaremarketError
from caremarket.engine.lifecycle import State
from tests.brokerage.support import account, raise_referral, snapshot

pytestmark = pytest.mark.django_db


def _iow_agreement(hours: str = "10", **kwargs) -> ServiceAgreement:  # type: ignore[no-untyped-def]
    """An Isle of Wight package at the fixed £19.28 an hour, delivered by its lead."""
    referral = raise_referral("iow", 2, "personal-care", hours=hours, **kwargs)
    lead = account("provider.iow")
    lead_offer = referral.offers.get()
    offers.lead_delivers(lead_offer.pk, provider=lead.provider, by=lead)
    return ServiceAgreement.objects.get(award__referral=referral)


def test_the_award_writes_the_agreement_and_its_first_terms(clock) -> None:  # type: ignore[no-untyped-def]
    agreement = _iow_agreement("7.5")
    referral = agreement.award.referral
    assert agreement.person == referral.person
    assert agreement.start_date == referral.start_date
    assert agreement.reference.startswith("IOW-A-")
    assert agreement.status(clock.today()) == "starting"
    (terms,) = agreement.variations.all()
    assert terms.effective_from == agreement.start_date
    assert (terms.units_per_week, terms.unit_price, terms.weekly_cost) == (
        Decimal("7.5"),
        Decimal("19.28"),
        Decimal("144.60"),
    )
    assert terms.reason == "Agreed at award."


def test_varying_from_a_date_keeps_the_history_and_rounds_half_up(clock) -> None:  # type: ignore[no-untyped-def]
    """A fortnight into the package the hours go up, from next Monday-ish, at a new band
    price: 10.25 hours at £19.30 is £197.825, which is £197.83 rounded half up (a banker's
    rounding would give £197.82). The terms on each day are the variation in force then."""
    agreement = _iow_agreement("10")
    start = agreement.start_date
    clock.advance(days=(start - clock.today()).days + 14)
    broker = account("iow.broker")
    from_day = clock.today() + timedelta(days=3)

    agreements.vary(
        agreement.pk,
        by=broker,
        effective_from=from_day,
        units_per_week=Decimal("10.25"),
        unit_price=Decimal("19.30"),
        reason="Evening call added after review",
    )

    history = list(agreement.variations.order_by("effective_from"))
    assert [(v.effective_from, v.units_per_week, v.weekly_cost) for v in history] == [
        (start, Decimal("10"), Decimal("192.80")),
        (from_day, Decimal("10.25"), Decimal("197.83")),
    ]
    agreement = ServiceAgreement.objects.get(pk=agreement.pk)
    assert agreement.terms_on(from_day - timedelta(days=1)).units_per_week == Decimal("10")
    assert agreement.terms_on(from_day).unit_price == Decimal("19.30")
    assert agreement.terms_on(start - timedelta(days=1)) is None
    assert Notification.objects.filter(
        to=agreement.delivering_provider.email, subject=f"{agreement.reference} varied"
    ).exists()

    # Terms once set are never overwritten: the same day again is refused and changes nothing;
    # a correction is a variation from a later day, and the price carries on when not given.
    before = snapshot()
    with pytest.raises(CaremarketError) as refused:
        agreements.vary(
            agreement.pk,
            by=broker,
            effective_from=from_day,
            units_per_week=Decimal("11"),
            reason="Corrected",
        )
    assert refused.value.field == "effective_from"
    assert "already change on" in str(refused.value)
    assert snapshot() == before
    agreements.vary(
        agreement.pk,
        by=broker,
        effective_from=from_day + timedelta(days=1),
        units_per_week=Decimal("11"),
        reason="Corrected",
    )
    assert agreement.variations.count() == 3
    later = agreement.variations.get(effective_from=from_day + timedelta(days=1))
    assert later.weekly_cost == Decimal("212.30")
    assert agreement.variations.get(effective_from=from_day).units_per_week == Decimal("10.25")


@pytest.mark.parametrize(
    ("units", "reason", "message"),
    [
        ("0", "x", "Units a week must be more than 0 and at most 168."),
        ("168.5", "x", "Units a week must be more than 0 and at most 168."),
        ("5", "   ", "Say why the agreement is varied."),
    ],
)
def test_a_variation_needs_sensible_units_and_a_reason(clock, units, reason, message) -> None:  # type: ignore[no-untyped-def]
    agreement = _iow_agreement()
    before = snapshot()
    with pytest.raises(CaremarketError) as refused:
        agreements.vary(
            agreement.pk,
            by=account("iow.broker"),
            effective_from=agreement.start_date + timedelta(days=7),
            units_per_week=Decimal(units),
            reason=reason,
        )
    assert refused.value.message == message
    assert snapshot() == before


def test_ending_needs_a_reason_and_a_date_not_before_the_start(clock) -> None:  # type: ignore[no-untyped-def]
    agreement = _iow_agreement()
    broker = account("iow.broker")
    start = agreement.start_date
    before = snapshot()
    with pytest.raises(CaremarketError, match="Choose why the agreement ends"):
        agreements.end(agreement.pk, by=broker, end_date=start, reason="bored")
    assert snapshot() == before

    agreements.end(agreement.pk, by=broker, end_date=start + timedelta(days=30), reason="died")
    agreement.refresh_from_db()
    assert (agreement.end_date, agreement.end_reason) == (start + timedelta(days=30), "died")
    assert agreement.status(start + timedelta(days=31)) == "ended"
    assert agreement.status(start + timedelta(days=30)) == "active"
    with pytest.raises(CaremarketError, match="This agreement has already ended"):
        agreements.end(agreement.pk, by=broker, end_date=start + timedelta(days=40), reason="died")
    with pytest.raises(CaremarketError, match="The agreement has ended by then"):
        agreements.vary(
            agreement.pk,
            by=broker,
            effective_from=start + timedelta(days=31),
            units_per_week=Decimal("5"),
            reason="x",
        )


def test_a_package_handed_back_is_sourced_again_for_the_same_person(clock) -> None:  # type: ignore[no-untyped-def]
    """The provider hands the package back: the agreement ends with that reason and, when
    the broker asks, a new referral with the same person, hours, pattern and needs goes
    straight back to the lead (the same route); the old referral stays awarded."""
    agreement = _iow_agreement("8.5", needs=("end-of-life",), double_handed=True)
    old = agreement.award.referral
    end_date = agreement.start_date + timedelta(days=20)
    referrals_before = Referral.objects.filter(person=old.person).count()

    agreements.end(
        agreement.pk,
        by=account("iow.broker"),
        end_date=end_date,
        reason="handed_back",
        resource=True,
    )

    new = Referral.objects.filter(person=old.person).exclude(pk=old.pk).get()
    assert Referral.objects.filter(person=old.person).count() == referrals_before + 1
    assert new.start_date == end_date
    assert new.hours_per_week == Decimal("8.5") and new.double_handed
    assert set(new.needs.values_list("code", flat=True)) == {"double-handed", "end-of-life"}
    assert (new.times_of_day, new.calls_per_day) == (old.times_of_day, old.calls_per_day)
    assert new.route == "prime_provider" and new.state == State.OFFERED
    assert new.offers.get().provider == agreement.provider
    old.refresh_from_db()
    assert old.state == State.AWARDED


@pytest.mark.parametrize(("reason", "resource"), [("handed_back", False), ("needs_met", True)])
def test_only_a_handed_back_package_with_resourcing_asked_is_sourced_again(  # type: ignore[no-untyped-def]
    clock, reason, resource
) -> None:
    agreement = _iow_agreement()
    person = agreement.person
    agreements.end(
        agreement.pk,
        by=account("iow.broker"),
        end_date=agreement.start_date + timedelta(days=1),
        reason=reason,
        resource=resource,
    )
    assert Referral.objects.filter(person=person).count() == 1
    assert AgreementVariation.objects.filter(agreement=agreement).count() == 1
