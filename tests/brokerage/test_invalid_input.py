"""Bad input gets a clear message and changes nothing.

Each case is tried twice: at the service (the exact message, and the field it names) and
through the web form a person would use (status 200, the GOV.UK error summary with the
message, never a 500). Either way, not one row is written and no status moves: no person,
referral, offer, award, agreement, variation, bid or notification.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils.html import escape

from caremarket.brokerage import routing
from caremarket.brokerage.models import Competition, Offer, Referral, ServiceAgreement
from caremarket.brokerage.services import agreements, awards, competitions, offers
from caremarket.core import clock as clock_module
from caremarket.core.errors import CaremarketError, Invalid
from tests.brokerage.support import (
    MovableClock,
    accept,
    account,
    care_group,
    framework_offers,
    offer_to,
    raise_referral,
    service,
    snapshot,
)

pytestmark = pytest.mark.django_db


# --- what each case needs in place ----------------------------------------------------------


def _si_with_an_acceptance() -> tuple[Referral, Offer, Offer]:
    """Supporting Independence (the person chooses; award after the window): two accept."""
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    first, second = framework_offers(referral)[:2]
    accept(first)
    accept(second)
    return referral, first, second


def _call_off(clock: MovableClock) -> Competition:
    referral = raise_referral(
        "staffs", 4, "supported-living", group="MH", band="medium", hours=None
    )
    return competitions.open_competition(
        by=account("staffs.broker"),
        lot=referral.lot,
        title="Supported living in Cannock",
        deadline=clock.moment + timedelta(days=2),
        referral=referral,
    )


def _harbour_bids(competition: Competition, price: Decimal) -> Any:
    harbour = account("provider.harbour")
    return competitions.submit_bid(
        competition.pk,
        provider=harbour.provider,
        by=harbour,
        weekly_price=price,
        answers={q["key"]: "We will." for q in competition.questions},
    )


def _iow_agreement() -> ServiceAgreement:
    referral = raise_referral("iow", 2, "personal-care")
    lead = account("provider.iow")
    offers.lead_delivers(referral.offers.get().pk, provider=lead.provider, by=lead)
    return ServiceAgreement.objects.get(award__referral=referral)


def _spot_route_referral() -> Referral:
    return raise_referral("devon", 4, "residential-care", hours=None, sessions=1)


# --- at the service -------------------------------------------------------------------------

# Each case: arrange (with the clock) and return the action that must be refused, the exact
# message (or its key words) and the field it names.
Arranged = tuple[Callable[[], object], str, str | None]


def _raise(**kwargs: Any) -> Callable[[], object]:
    return lambda: raise_referral("devon", 4, "personal-care", **kwargs)


def case_negative_hours(clock: MovableClock) -> Arranged:
    return _raise(hours="-5"), "Hours a week must be more than 0 and at most 168.", "hours_per_week"


def case_hours_over_a_week(clock: MovableClock) -> Arranged:
    return (
        _raise(hours="168.25"),
        "Hours a week must be more than 0 and at most 168.",
        "hours_per_week",
    )


def case_hours_not_in_quarters(clock: MovableClock) -> Arranged:
    return (
        _raise(hours="7.3"),
        "Give hours in quarters of an hour, like 7.5 or 10.25.",
        "hours_per_week",
    )


def case_start_date_in_the_past(clock: MovableClock) -> Arranged:
    yesterday = clock.today() - timedelta(days=1)
    return _raise(start=yesterday), "The start date cannot be in the past.", "start_date"


def case_postcode_in_no_zone(clock: MovableClock) -> Arranged:
    return (
        _raise(postcode="SW1A 1AA"),
        "SW1A 1AA is not in any of Devon County Council's zones.",
        "postcode",
    )


def case_postcode_of_another_council(clock: MovableClock) -> Arranged:
    return (
        _raise(postcode="po30 9zz"),
        "PO30 9ZZ is not in any of Devon County Council's zones.",
        "postcode",
    )


def case_not_a_postcode(clock: MovableClock) -> Arranged:
    return _raise(postcode="banana"), "Enter a real postcode, like EX39 1AB", "postcode"


def case_answer_after_the_deadline(clock: MovableClock) -> Arranged:
    referral = raise_referral("devon", 4, "personal-care")
    offer = framework_offers(referral)[0]
    clock.set(offer.deadline + timedelta(seconds=1))
    closed = clock_module.local(offer.deadline)
    return (
        lambda: accept(offer),
        f"The deadline to answer passed at {closed:%H:%M on %d %B %Y}.",
        None,
    )


def case_bid_above_the_band_cap(clock: MovableClock) -> Arranged:
    competition = _call_off(clock)
    cap = routing.cap_for(competition)
    assert cap is not None
    return (
        lambda: _harbour_bids(competition, cap + Decimal("0.01")),
        f"The weekly price cannot be above the band's rate, £{cap}.",
        "weekly_price",
    )


def case_bid_after_the_deadline(clock: MovableClock) -> Arranged:
    competition = _call_off(clock)
    clock.set(competition.deadline)
    closed = clock_module.local(competition.deadline)
    return (
        lambda: _harbour_bids(competition, Decimal("300")),
        f"Bids closed at {closed:%H:%M on %d %B %Y}.",
        None,
    )


def case_bid_of_nothing(clock: MovableClock) -> Arranged:
    competition = _call_off(clock)
    return (
        lambda: _harbour_bids(competition, Decimal("-1")),
        "Give a weekly price above zero.",
        "weekly_price",
    )


def case_decline_without_a_reason(clock: MovableClock) -> Arranged:
    offer = framework_offers(raise_referral("devon", 4, "personal-care"))[0]
    return (
        lambda: offers.decline(offer.pk, provider=offer.provider, by=None, reason=""),
        "Choose a reason for declining.",
        "reason",
    )


def case_decline_for_another_reason_unsaid(clock: MovableClock) -> Arranged:
    offer = framework_offers(raise_referral("devon", 4, "personal-care"))[0]
    return (
        lambda: offers.decline(offer.pk, provider=offer.provider, by=None, reason="other"),
        "Say what the other reason is.",
        "detail",
    )


def case_spot_without_a_reason(clock: MovableClock) -> Arranged:
    referral = _spot_route_referral()
    provider = account("provider.harbour").provider
    return (
        lambda: awards.spot_purchase(
            referral.pk,
            by=account("devon.broker"),
            provider=provider,
            unit_price=Decimal("1000"),
            reason="",
        ),
        "Record why this care is bought off-framework.",
        "reason",
    )


def case_spot_before_awaiting_care(clock: MovableClock) -> Arranged:
    referral = raise_referral("devon", 4, "personal-care")
    provider = account("provider.harbour").provider
    return (
        lambda: awards.spot_purchase(
            referral.pk,
            by=account("devon.broker"),
            provider=provider,
            unit_price=Decimal("30"),
            reason="Fast",
        ),
        "Spot purchase is only for a referral the framework could not place: it must be on "
        "the awaiting-care list first.",
        None,
    )


def case_award_before_the_window_closes(clock: MovableClock) -> Arranged:
    referral, first, _ = _si_with_an_acceptance()
    closes = clock_module.local(max(o.deadline for o in framework_offers(referral)))
    return (
        lambda: awards.confirm(referral.pk, by=account("devon.broker"), chosen_offer=first.pk),
        f"Offers are open until {closes:%H:%M on %d %B}; this framework awards when the "
        "window closes.",
        None,
    )


def case_award_before_anyone_accepts(clock: MovableClock) -> Arranged:
    referral = raise_referral("devon", 4, "personal-care")
    return (
        lambda: awards.confirm(referral.pk, by=account("devon.broker")),
        "No provider has accepted yet.",
        None,
    )


def case_persons_choice_missing(clock: MovableClock) -> Arranged:
    referral, _, _ = _si_with_an_acceptance()
    clock.advance(hours=73)
    return (
        lambda: awards.confirm(referral.pk, by=account("devon.broker")),
        "Record which provider the person chose.",
        "chosen_offer",
    )


def case_variation_backdated(clock: MovableClock) -> Arranged:
    agreement = _iow_agreement()
    clock.advance(days=(agreement.start_date - clock.today()).days + 5)
    return (
        lambda: agreements.vary(
            agreement.pk,
            by=account("iow.broker"),
            effective_from=clock.today() - timedelta(days=1),
            units_per_week=Decimal("12"),
            reason="Backdated",
        ),
        "A variation takes effect today or later, and not before the agreement starts.",
        "effective_from",
    )


def case_variation_before_the_start(clock: MovableClock) -> Arranged:
    agreement = _iow_agreement()
    return (
        lambda: agreements.vary(
            agreement.pk,
            by=account("iow.broker"),
            effective_from=agreement.start_date - timedelta(days=1),
            units_per_week=Decimal("12"),
            reason="Early",
        ),
        "A variation takes effect today or later, and not before the agreement starts.",
        "effective_from",
    )


def case_ending_before_the_start(clock: MovableClock) -> Arranged:
    agreement = _iow_agreement()
    return (
        lambda: agreements.end(
            agreement.pk,
            by=account("iow.broker"),
            end_date=agreement.start_date - timedelta(days=1),
            reason="needs_met",
        ),
        "An agreement cannot end before it starts.",
        "end_date",
    )


def case_competition_closing_in_the_past(clock: MovableClock) -> Arranged:
    referral = raise_referral("staffs", 4, "supported-living", group="MH", band="low", hours=None)
    return (
        lambda: competitions.open_competition(
            by=account("staffs.broker"),
            lot=referral.lot,
            title="Too late",
            deadline=clock.moment - timedelta(minutes=1),
            referral=referral,
        ),
        "The deadline for bids must be in the future.",
        "deadline",
    )


SERVICE_CASES = {
    name.removeprefix("case_"): fn
    for name, fn in dict(globals()).items()
    if name.startswith("case_")
}


@pytest.mark.parametrize("case", list(SERVICE_CASES))
def test_the_service_refuses_with_a_clear_message_and_changes_nothing(clock, case: str) -> None:  # type: ignore[no-untyped-def]
    act, message, field = SERVICE_CASES[case](clock)
    before = snapshot()
    with pytest.raises(CaremarketError) as refused:
        act()
    error = refused.value
    if isinstance(error, Invalid) and error.field_errors:  # every field's message, by field
        assert field is not None and message in error.errors.get(field, ""), error.errors
    else:
        assert error.message == message
        assert error.field == field
    assert snapshot() == before


# --- through the web forms ------------------------------------------------------------------


def _date(prefix: str, day: date) -> dict[str, Any]:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def raise_form(clock: MovableClock, **changes: Any) -> dict[str, Any]:
    """A complete, valid 'Raise a referral' form for someone new in Exeter (Devon zone 4)."""
    data = {
        "person_reference": "",
        "given_name": "Wilhelmina",
        "family_name": "Formfiller",
        **_date("date_of_birth", date(1941, 4, 3)),
        "address": "3 Cathedral Yard, Exeter",
        "postcode": "EX1 9ZZ",
        "care_group": care_group("OP").pk,
        "service_type": service("personal-care").pk,
        "hours_per_week": "10",
        "calls_per_day": "2",
        "times_of_day": ["morning", "evening"],
        "minutes_per_call": "45",
        **_date("start_date", clock.today() + timedelta(days=7)),
        "urgency": "planned",
        "outcomes": "To keep going to the allotment on Tuesdays.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _shows_error(response: Any, message: str) -> None:
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert escape(message) in body, f"{message!r} is not on the page"


def test_the_valid_raise_form_does_raise_a_referral(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """The control for the cases below: the same form, valid, raises the referral."""
    before = Referral.objects.count()
    response = client_for("devon.practitioner").post("/referrals/new/", raise_form(clock))
    assert response.status_code == 302
    assert Referral.objects.count() == before + 1
    referral = Referral.objects.latest("pk")
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.zone.number == 4 and referral.route == "framework_first"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours_per_week": "-5"}, "Hours a week must be more than 0 and at most 168."),
        ({"hours_per_week": "200"}, "Hours a week must be more than 0 and at most 168."),
        ({"hours_per_week": "7.3"}, "Give hours in quarters of an hour, like 7.5 or 10.25."),
        ({"hours_per_week": "lots"}, "Enter hours as a number, like 7.5"),
        ({"postcode": "SW1A 1AA"}, "SW1A 1AA is not in any of Devon County Council's zones."),
        ({"postcode": "banana"}, "Enter a real postcode, like EX39 1AB"),
        ({"start_date_2": "2001"}, "The start date cannot be in the past."),
        ({"start_date_1": "13"}, "Enter a real date, like 27 3 2027"),
        ({"outcomes": ""}, "Say what matters to the person"),
        ({"given_name": ""}, "Enter the first name, or the person's reference"),
        ({"person_reference": "DEV-P-999999", "given_name": ""}, "No person DEV-P-999999"),
    ],
    ids=[
        "negative-hours",
        "hours-over-168",
        "hours-not-quarters",
        "hours-not-a-number",
        "postcode-in-no-zone",
        "not-a-postcode",
        "start-in-the-past",
        "not-a-date",
        "no-outcomes",
        "no-name",
        "unknown-person",
    ],
)
def test_the_raise_form_shows_the_error_summary_and_raises_nothing(  # type: ignore[no-untyped-def]
    clock, client_for, changes, message
) -> None:
    before = snapshot()
    response = client_for("devon.practitioner").post(
        "/referrals/new/", raise_form(clock, **changes)
    )
    _shows_error(response, message)
    assert "<title>Error: Raise a referral" in response.content.decode()
    assert snapshot() == before


def test_declining_on_the_page_needs_a_reason(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    offer = offer_to(referral, account("provider.devon").provider)
    client = client_for("provider.devon")
    before = snapshot()
    _shows_error(
        client.post(f"/inbox/offers/{offer.pk}/", {"action": "decline"}),
        "Choose a reason for declining",
    )
    _shows_error(
        client.post(f"/inbox/offers/{offer.pk}/", {"action": "decline", "reason": "other"}),
        "Say what the other reason is.",
    )
    assert snapshot() == before


def test_accepting_on_the_page_after_the_deadline_is_refused(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """The page no longer offers 'Accept'; a stale form posted anyway is refused with the
    time it closed, shown in the notification banner, and nothing changes."""
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    offer = offer_to(referral, account("provider.devon").provider)
    clock.set(offer.deadline + timedelta(minutes=1))
    before = snapshot()
    response = client_for("provider.devon").post(
        f"/inbox/offers/{offer.pk}/", {"action": "accept"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/inbox/offers/{offer.pk}/", 302)]
    body = response.content.decode()
    assert "The deadline to answer passed at" in body and "govuk-notification-banner" in body
    assert snapshot() == before


def _bid_form(competition: Competition, price: str) -> dict[str, str]:
    return {
        "action": "bid",
        "weekly_price": price,
        **{f"answer_{q['key']}": "We will." for q in competition.questions},
    }


def test_bidding_on_the_page_above_the_cap_or_after_the_deadline_is_refused(  # type: ignore[no-untyped-def]
    clock, client_for
) -> None:
    competition = _call_off(clock)
    cap = routing.cap_for(competition)
    client = client_for("provider.harbour")
    path = f"/competitions/{competition.pk}/"
    before = snapshot()
    _shows_error(
        client.post(path, _bid_form(competition, str(cap + Decimal("0.01")))),
        f"The weekly price cannot be above the band's rate, £{cap}.",
    )
    _shows_error(
        client.post(path, {**_bid_form(competition, "300"), "answer_staffing": ""}),
        "Answer every quality question",
    )
    # A form filled in before the deadline and sent after it: the form is no longer shown,
    # so the refusal comes back as a message on the page, which says bidding has closed.
    clock.set(competition.deadline + timedelta(seconds=1))
    late = client.post(path, _bid_form(competition, "300"), follow=True)
    page = late.content.decode()
    assert late.status_code == 200 and "Bidding has closed." in page
    assert "Bids closed at" in page
    assert snapshot() == before


def test_buying_spot_on_the_page_needs_a_reason(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral = _spot_route_referral()
    before = snapshot()
    response = client_for("devon.broker").post(
        f"/referrals/{referral.pk}/",
        {
            "action": "spot",
            "provider": account("provider.harbour").provider_id,
            "unit_price": "900",
        },
    )
    _shows_error(response, "Record why this care is bought spot")
    assert snapshot() == before


def test_awarding_on_the_page_before_the_window_closes_is_refused(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """Supporting Independence awards only when the window closes: the page says until
    when, offers no award button, and a stale award posted anyway changes nothing."""
    referral, first, _ = _si_with_an_acceptance()
    client = client_for("devon.broker")
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "this framework awards when the window closes" in page
    assert "Confirm award" not in page
    before = snapshot()
    response = client.post(
        f"/referrals/{referral.pk}/", {"action": "award", "chosen_offer": first.pk}
    )
    assert response.status_code == 200
    assert "this framework awards when the window closes" in response.content.decode()
    assert snapshot() == before


def test_awarding_on_the_page_without_the_persons_choice_is_refused(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral, _, _ = _si_with_an_acceptance()
    clock.advance(hours=73)
    client = client_for("devon.broker")
    assert "Confirm award" in client.get(f"/referrals/{referral.pk}/").content.decode()
    before = snapshot()
    _shows_error(
        client.post(f"/referrals/{referral.pk}/", {"action": "award", "note": ""}),
        "Record which",
    )
    assert snapshot() == before


def test_varying_or_ending_on_the_page_with_bad_dates_is_refused(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    agreement = _iow_agreement()
    clock.advance(days=(agreement.start_date - clock.today()).days + 5)
    client = client_for("iow.broker")
    path = f"/agreements/{agreement.pk}/"
    before = snapshot()
    _shows_error(
        client.post(
            path,
            {
                "action": "vary",
                **_date("vary-effective_from", clock.today() - timedelta(days=1)),
                "vary-units_per_week": "12",
                "vary-reason": "Backdated",
            },
        ),
        "A variation takes effect today or later, and not before the agreement starts.",
    )
    _shows_error(
        client.post(
            path,
            {
                "action": "end",
                **_date("end-end_date", agreement.start_date - timedelta(days=1)),
                "end-end_reason": "needs_met",
            },
        ),
        "An agreement cannot end before it starts.",
    )
    assert snapshot() == before


def test_a_provider_cannot_answer_someone_elses_offer_through_its_own_inbox(  # type: ignore[no-untyped-def]
    clock, client_for
) -> None:
    """The ids in the form are not trusted: posting an offer id that belongs to another
    provider gives 404 and changes nothing (the generated tests try every route)."""
    referral = raise_referral("devon", 1, "individualised-support", group="PD")
    theirs = next(
        o
        for o in framework_offers(referral)
        if o.provider_id != account("provider.devon").provider_id
    )
    before = snapshot()
    response = client_for("provider.devon").post(
        f"/inbox/offers/{theirs.pk}/", {"action": "accept"}
    )
    assert response.status_code == 404
    assert snapshot() == before
