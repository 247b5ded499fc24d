"""Raising home care with both hours a week and a visit pattern (``services.referrals``): a
contradiction is refused on the hours field, on the web form and over the API alike; with
only the pattern, the hours are derived from it.

The old behaviour this catches: 4 calls a day of 60 minutes saved against 1 hour a week.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from caremarket.brokerage.models import Referral
from caremarket.brokerage.services import referrals
from caremarket.core.errors import Invalid
from tests.brokerage.support import (
    account,
    care_group,
    person_input,
    postcode_in,
    referral_input,
    service,
    snapshot,
    zone,
)

pytestmark = pytest.mark.django_db


def _pattern(hours: str | None, calls: int, minutes: int) -> referrals.ReferralInput:
    data = referral_input("personal-care", hours=hours)
    data.calls_per_day, data.minutes_per_call = calls, minutes
    return data


def _raise(data: referrals.ReferralInput) -> Referral:
    z = zone("devon", 4)
    return referrals.raise_referral(
        account("devon.practitioner"), z.commissioner, data, new_person=person_input(z)
    )


def test_a_contradiction_is_refused_on_the_hours_and_writes_nothing(clock) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    with pytest.raises(Invalid) as refused:
        _raise(_pattern("1", 4, 60))
    assert refused.value.field == "hours_per_week"
    assert "4 calls a day of 60 minutes is 4 hours a day" in refused.value.message
    assert snapshot() == before


def test_hours_that_fit_the_pattern_are_kept_and_a_pattern_alone_gives_them(clock) -> None:  # type: ignore[no-untyped-def]
    assert _raise(_pattern("20", 4, 60)).hours_per_week == Decimal("20")
    assert _raise(_pattern(None, 4, 60)).hours_per_week == Decimal("28")


def test_a_service_not_bought_by_the_hour_is_not_checked(clock) -> None:  # type: ignore[no-untyped-def]
    data = referral_input("group-day-opportunity", hours=None, sessions=3)
    data.calls_per_day, data.minutes_per_call = 4, 60
    assert _raise(data).sessions_per_week == 3


def _date(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_the_web_form_names_the_hours_field(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    data = {
        "given_name": "Wilhelmina",
        "family_name": "Patternclash",
        **_date("date_of_birth", date(1941, 2, 3)),
        "address": "3 Form Lane",
        "postcode": postcode_in(zone("devon", 4)),
        "care_group": care_group("OP").pk,
        "service_type": service("personal-care").pk,
        **_date("start_date", clock.today() + timedelta(days=7)),
        "urgency": "planned",
        "outcomes": "To be settled and safe.",
        "hours_per_week": "1",
        "calls_per_day": "4",
        "minutes_per_call": "60",
        "times_of_day": ["morning", "lunch"],
    }
    before = Referral.objects.count()
    response = client_for("devon.practitioner").post("/referrals/new/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert 'href="#id_hours_per_week"' in page
    assert "1 hour a week does not fit" in page
    assert Referral.objects.count() == before


def test_the_api_names_the_hours_field(clock) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    token, _ = Token.objects.get_or_create(user=account("devon.practitioner"))
    z = zone("devon", 4)
    body = {
        "service_type": "personal-care",
        "start_date": (clock.today() + timedelta(days=7)).isoformat(),
        "urgency": "planned",
        "outcomes": "To be settled.",
        "hours_per_week": "1",
        "calls_per_day": 4,
        "minutes_per_call": 60,
        "person": {
            "given_name": "Wilhelmina",
            "family_name": "Apiclash",
            "date_of_birth": "1941-02-03",
            "address": "4 Form Lane",
            "postcode": postcode_in(z),
            "care_group": "OP",
        },
    }
    response = Client(HTTP_AUTHORIZATION=f"Token {token.key}").post(
        "/api/v1/referrals/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    body_text = response.content.decode()
    assert "hours_per_week" in body_text and "does not fit" in body_text
