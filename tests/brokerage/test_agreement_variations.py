"""Variations a broker makes (``services.variations.broker_vary``, ``agreements
.withdraw_variation`` and ``vary(correcting=True)``): on a framework or fixed-rate agreement
the price follows the framework; where the price was agreed with the provider, a new one waits
for the provider's acceptance; a variation not yet in effect can be withdrawn, a mistaken one
corrected on its own date, and the agreement's history keeps every step.

The old behaviour these catch: "Vary" cut a framework agreement's hourly price from £24.95 to
£1.00 with no agreement from the provider, and a mistaken variation could not be corrected.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from caremarket.brokerage.models import (
    AgreementVariation,
    Notification,
    ServiceAgreement,
    VariationProposal,
)
from caremarket.brokerage.services import agreements, awards, offers, variations
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.market.models import ServiceType
from caremarket.providers.models import Provider
from tests.brokerage.support import account, provider_user, raise_referral, snapshot

pytestmark = pytest.mark.django_db


def _iow_fixed_rate() -> ServiceAgreement:
    """An Isle of Wight package at the fixed commissioner rate, delivered by its lead."""
    referral = raise_referral("iow", 2, "personal-care", hours="10")
    lead = account("provider.iow")
    offers.lead_delivers(referral.offers.get().pk, provider=lead.provider, by=lead)
    return ServiceAgreement.objects.get(award__referral=referral)


def _devon_framework() -> ServiceAgreement:
    """A Devon package at the provider's own zone price on the framework."""
    referral = raise_referral("devon", 4, "personal-care", hours="10")
    first = referral.offers.order_by("pk").first()
    offers.accept(first.pk, provider=first.provider, by=None)
    awards.confirm(referral.pk, by=account("devon.broker"))
    return ServiceAgreement.objects.get(award__referral=referral)


def _devon_spot() -> ServiceAgreement:
    referral = raise_referral("devon", 4, "residential-care", hours=None, sessions=1)
    provider = Provider.objects.order_by("pk").first()
    provider.service_types.add(ServiceType.objects.get(code="residential-care"))
    awards.spot_purchase(
        referral.pk,
        by=account("devon.broker"),
        provider=provider,
        unit_price=Decimal("1150"),
        reason="No framework buys residential care here.",
    )
    return ServiceAgreement.objects.get(award__referral=referral)


def _vary(agreement: ServiceAgreement, broker: str, days: int, **kwargs: Any) -> Any:
    return variations.broker_vary(
        agreement.pk,
        by=account(broker),
        effective_from=agreement.start_date + timedelta(days=days),
        units_per_week=kwargs.pop("units", Decimal("12")),
        reason=kwargs.pop("reason", "Review: two more hours."),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("make", "broker"), [(_devon_framework, "devon.broker"), (_iow_fixed_rate, "iow.broker")]
)
def test_a_broker_cannot_change_the_price_the_framework_sets(clock, make, broker) -> None:  # type: ignore[no-untyped-def]
    agreement = make()
    assert agreements.price_follows_framework(agreement)
    price = agreement.variations.get().unit_price
    before = snapshot()
    with pytest.raises(Invalid, match="The framework sets this agreement's price") as refused:
        _vary(agreement, broker, 7, unit_price=Decimal("1.00"))
    assert refused.value.field == "unit_price"
    assert snapshot() == before
    # The hours vary at the framework's price; naming that same price is no change.
    varied = _vary(agreement, broker, 7, unit_price=price)
    assert varied.unit_price == price and varied.units_per_week == Decimal("12")


def test_the_pricing_writer_still_changes_the_price(clock) -> None:  # type: ignore[no-untyped-def]
    """A fee review or a band review varies through ``agreements.vary`` itself."""
    agreement = _iow_fixed_rate()
    varied = agreements.vary(
        agreement.pk,
        by=account("iow.commissioner"),
        effective_from=agreement.start_date + timedelta(days=7),
        units_per_week=Decimal("10"),
        unit_price=Decimal("19.90"),
        reason="Fee review: 2027 uplift",
    )
    assert varied.unit_price == Decimal("19.90")


def test_a_new_agreed_price_waits_for_the_providers_acceptance(clock) -> None:  # type: ignore[no-untyped-def]
    agreement = _devon_spot()
    assert not agreements.price_follows_framework(agreement)
    terms = list(agreement.variations.values_list("effective_from", "unit_price"))
    asked = _vary(agreement, "devon.broker", 7, units=Decimal("1"), unit_price=Decimal("1200"))
    assert isinstance(asked, VariationProposal) and asked.status == "pending"
    assert list(agreement.variations.values_list("effective_from", "unit_price")) == terms
    assert agreement.provider.email in Notification.objects.filter(
        subject__contains="asks you to agree"
    ).values_list("to", flat=True)
    with pytest.raises(Conflict, match="is already waiting for"):
        _vary(agreement, "devon.broker", 8, units=Decimal("1"), unit_price=Decimal("1190"))
    stranger = Provider.objects.exclude(pk=agreement.provider_id).order_by("pk").first()
    with pytest.raises(NotFound):
        variations.accept_proposal(asked.pk, by=provider_user(stranger))

    variation = variations.accept_proposal(asked.pk, by=provider_user(agreement.provider))
    assert variation.unit_price == Decimal("1200.00") and variation.weekly_cost == Decimal("1200")
    asked.refresh_from_db()
    assert asked.status == "accepted" and asked.variation == variation
    steps = list(asked.history.order_by("history_id").values_list("status", flat=True))
    assert steps == ["pending", "accepted"]
    with pytest.raises(Conflict, match="already been accepted"):
        variations.accept_proposal(asked.pk, by=provider_user(agreement.provider))


def test_new_hours_on_an_agreed_price_take_effect_at_once(clock) -> None:  # type: ignore[no-untyped-def]
    agreement = _devon_spot()
    varied = _vary(agreement, "devon.broker", 7, units=Decimal("1"))
    assert isinstance(varied, AgreementVariation) and varied.unit_price == Decimal("1150.00")


def test_the_provider_may_decline_and_the_council_withdraw(clock) -> None:  # type: ignore[no-untyped-def]
    agreement = _devon_spot()
    provider = provider_user(agreement.provider)
    first = _vary(agreement, "devon.broker", 7, units=Decimal("1"), unit_price=Decimal("1300"))
    with pytest.raises(Invalid, match="Say why the change is declined"):
        variations.decline_proposal(first.pk, by=provider, reason="")
    variations.decline_proposal(first.pk, by=provider, reason="Our costs are fixed for a year.")
    first.refresh_from_db()
    assert first.status == "declined" and first.decision_note == "Our costs are fixed for a year."
    second = _vary(agreement, "devon.broker", 7, units=Decimal("1"), unit_price=Decimal("1250"))
    with pytest.raises(NotFound):
        variations.withdraw_proposal(second.pk, by=account("iow.broker"), reason="Not ours")
    variations.withdraw_proposal(second.pk, by=account("devon.broker"), reason="Agreed by phone")
    second.refresh_from_db()
    assert second.status == "withdrawn"
    assert agreement.variations.count() == 1  # the award's terms alone, throughout


def test_the_provider_agrees_on_the_agreement_page(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    agreement = _devon_spot()
    path = f"/agreements/{agreement.pk}/"
    broker = client_for("devon.broker")
    day = agreement.start_date + timedelta(days=7)
    sent = broker.post(
        path,
        {
            "action": "vary",
            "vary-effective_from_0": day.day,
            "vary-effective_from_1": day.month,
            "vary-effective_from_2": day.year,
            "vary-units_per_week": "1",
            "vary-unit_price": "1180.00",
            "vary-reason": "New rate for the room",
        },
        follow=True,
    )
    assert "nothing changes until they accept it" in sent.content.decode()
    assert "Withdraw the proposed change" in broker.get(path).content.decode()
    provider = client_for(provider_user(agreement.provider).username)
    page = provider.get(path).content.decode()
    assert "The council asks you to agree" in page and "Agree the change" in page
    done = provider.post(path, {"action": "accept_variation"})
    assert done.status_code == 302
    assert agreement.variations.get(effective_from=day).unit_price == Decimal("1180.00")
    refused = broker.post(path, {"action": "accept_variation"})  # a broker cannot agree for them
    assert refused.status_code == 403


def test_a_variation_not_yet_in_effect_can_be_withdrawn_and_history_keeps_it(clock) -> None:  # type: ignore[no-untyped-def]
    agreement = _iow_fixed_rate()
    varied = _vary(agreement, "iow.broker", 14, units=Decimal("15"))
    day = varied.effective_from
    broker = account("iow.broker")
    with pytest.raises(Invalid, match="Say why the variation is withdrawn"):
        agreements.withdraw_variation(varied.pk, by=broker, reason=" ")
    agreements.withdraw_variation(varied.pk, by=broker, reason="Entered for the wrong person.")
    assert not AgreementVariation.objects.filter(pk=varied.pk).exists()
    assert agreement.terms_on(day).units_per_week == Decimal("10")  # the terms before stand
    gone = AgreementVariation.history.filter(id=varied.pk).order_by("history_id")
    assert [h.history_type for h in gone] == ["+", "-"]
    assert gone.last().history_change_reason == "Withdrawn: Entered for the wrong person."
    assert gone.last().history_user == broker
    assert Notification.objects.filter(subject__contains="withdrawn").exists()


def test_what_is_in_effect_or_agreed_at_award_cannot_be_withdrawn(clock) -> None:  # type: ignore[no-untyped-def]
    agreement = _iow_fixed_rate()
    broker = account("iow.broker")
    award_terms = agreement.variations.get()
    with pytest.raises(Invalid, match=r"in effect|agreed at award"):
        agreements.withdraw_variation(award_terms.pk, by=broker, reason="Mistake")
    varied = _vary(agreement, "iow.broker", 3)
    clock.advance(days=(varied.effective_from - clock.today()).days)  # it takes effect today
    before = snapshot()
    with pytest.raises(Invalid, match="is in effect: vary the agreement again instead"):
        agreements.withdraw_variation(varied.pk, by=broker, reason="Mistake")
    assert snapshot() == before


def test_a_mistaken_variation_is_corrected_on_its_own_date(clock) -> None:  # type: ignore[no-untyped-def]
    agreement = _iow_fixed_rate()
    varied = _vary(agreement, "iow.broker", 7, units=Decimal("100"), reason="Typo: meant 10.5")
    with pytest.raises(Invalid, match=r"The terms already change on .* say this corrects"):
        _vary(agreement, "iow.broker", 7, units=Decimal("10.5"))
    corrected = _vary(
        agreement, "iow.broker", 7, units=Decimal("10.5"), reason="Correction", correcting=True
    )
    assert corrected.pk == varied.pk and corrected.units_per_week == Decimal("10.5")
    assert corrected.weekly_cost == Decimal("202.44")  # 10.5 x £19.28, to the penny
    assert agreement.variations.count() == 2
    steps = AgreementVariation.history.filter(id=varied.pk).order_by("history_id")
    assert [(h.history_type, h.units_per_week) for h in steps] == [
        ("+", Decimal("100.00")),
        ("~", Decimal("10.50")),
    ]
    assert steps.last().history_change_reason == "Corrected: Correction"


def test_only_a_brokers_own_variation_of_that_date_can_be_corrected(clock) -> None:  # type: ignore[no-untyped-def]
    agreement = _iow_fixed_rate()
    with pytest.raises(Invalid, match="No variation takes effect on"):
        _vary(agreement, "iow.broker", 9, correcting=True)
    with pytest.raises(Invalid, match="terms agreed at award: they cannot be corrected"):
        _vary(agreement, "iow.broker", 0, correcting=True)


def test_the_agreement_page_asks_no_price_where_the_framework_sets_it(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """A price posted anyway is not read; the hours vary at the framework's price. Then the
    page withdraws the variation, and lists the withdrawal."""
    agreement = _iow_fixed_rate()
    client = client_for("iow.broker")
    path = f"/agreements/{agreement.pk}/"
    page = client.get(path).content.decode()
    assert "only a fee review or a band review changes it" in page
    assert 'name="vary-unit_price"' not in page
    day = agreement.start_date + timedelta(days=7)
    client.post(
        path,
        {
            "action": "vary",
            "vary-effective_from_0": day.day,
            "vary-effective_from_1": day.month,
            "vary-effective_from_2": day.year,
            "vary-units_per_week": "12",
            "vary-unit_price": "1.00",
            "vary-reason": "Two more hours",
        },
    )
    varied = agreement.variations.get(effective_from=day)
    assert varied.unit_price == Decimal("19.28")
    page = client.get(path).content.decode()
    assert "Withdraw a variation not yet in effect" in page
    done = client.post(
        path,
        {"action": "withdraw", "withdraw-variation": varied.pk, "withdraw-reason": "Wrong one"},
    )
    assert done.status_code == 302
    assert not agreement.variations.filter(effective_from=day).exists()
    page = client.get(path).content.decode()
    assert "withdrew the variation of" in page and "Withdrawn: Wrong one" in page


def test_the_api_refuses_a_price_and_withdraws(clock) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    agreement = _iow_fixed_rate()
    token, _ = Token.objects.get_or_create(user=account("iow.broker"))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    day = (agreement.start_date + timedelta(days=7)).isoformat()
    body = {"effective_from": day, "units_per_week": "12", "reason": "More hours"}
    base = f"/api/v1/agreements/{agreement.pk}"
    cut = client.post(
        f"{base}/vary/", {**body, "unit_price": "1.00"}, content_type="application/json"
    )
    assert cut.status_code == 400 and "The framework sets" in cut.content.decode()
    assert client.post(f"{base}/vary/", body, content_type="application/json").status_code == 200
    fixed = client.post(
        f"{base}/vary/",
        {**body, "units_per_week": "11", "correcting": True},
        content_type="application/json",
    )
    assert fixed.status_code == 200
    assert agreement.variations.get(effective_from=day).units_per_week == Decimal("11")
    gone = client.post(
        f"{base}/withdraw-variation/",
        {"effective_from": day, "reason": "Not needed"},
        content_type="application/json",
    )
    assert gone.status_code == 200, gone.content
    assert not agreement.variations.filter(effective_from=day).exists()
