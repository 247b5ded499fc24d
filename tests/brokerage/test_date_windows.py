"""Every date has a sensible window, and a route changed by a date says so (issue 14).

A start date in 2099 (web) and 9999-12-31 (API) were accepted and the referral fell silently
to an off-framework spot route; a date of birth in 1900 was accepted.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from caremarket.brokerage.models import Referral
from caremarket.brokerage.routing import plan_route
from caremarket.brokerage.services import referrals
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.frameworks.models import Framework
from tests.brokerage.support import (
    account,
    care_group,
    person_input,
    postcode_in,
    raise_referral,
    referral_input,
    service,
    unique_person,
    zone,
)

pytestmark = pytest.mark.django_db


def test_a_start_date_years_ahead_is_refused_naming_the_field() -> None:
    raised = Referral.objects.count()
    with pytest.raises(Invalid) as refused:
        raise_referral("devon", 1, "personal-care", start=date(2099, 1, 1))
    assert "within a year" in refused.value.errors["start_date"]
    assert Referral.objects.count() == raised


def test_a_date_of_birth_making_someone_over_120_is_refused() -> None:
    z = zone("devon", 1)
    new = person_input(z)
    new.date_of_birth = date(1900, 1, 1)
    with pytest.raises(Invalid) as refused:
        referrals.raise_referral(
            account("devon.practitioner"),
            z.commissioner,
            referral_input("personal-care"),
            new_person=new,
        )
    assert "older than 120" in refused.value.errors["date_of_birth"]


def test_the_api_refuses_9999_12_31_with_a_400_naming_the_field() -> None:
    token, _ = Token.objects.get_or_create(user=account("devon.practitioner"))
    details = unique_person()
    body = {
        "person": {
            "given_name": details.given_name,
            "family_name": details.family_name,
            "date_of_birth": details.date_of_birth.isoformat(),
            "address": details.address,
            "postcode": postcode_in(zone("devon", 1)),
            "care_group": "OP",
        },
        "service_type": "personal-care",
        "hours_per_week": "10",
        "start_date": "9999-12-31",
        "urgency": "planned",
        "outcomes": "To stay at home.",
    }
    raised = Referral.objects.count()
    answer = Client(HTTP_AUTHORIZATION=f"Token {token.key}").post(
        "/api/v1/referrals/", body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert "start_date" in answer.json()
    assert Referral.objects.count() == raised


def test_the_web_form_refuses_a_start_in_2099(client_for: Any) -> None:
    details = unique_person()
    z = zone("devon", 1)
    born = details.date_of_birth
    page = client_for("devon.practitioner").post(
        "/referrals/new/",
        {
            "given_name": details.given_name,
            "family_name": details.family_name,
            "date_of_birth_0": born.day,
            "date_of_birth_1": born.month,
            "date_of_birth_2": born.year,
            "address": details.address,
            "postcode": postcode_in(z),
            "care_group": care_group("OP").pk,
            "service_type": service("personal-care").pk,
            "hours_per_week": "10",
            "start_date_0": 1,
            "start_date_1": 1,
            "start_date_2": 2099,
            "urgency": "planned",
            "outcomes": "To stay at home.",
        },
    )
    assert page.status_code == 200
    assert "The start date must be within a year" in page.content.decode()


def test_a_route_changed_by_the_start_date_says_so_at_the_time() -> None:
    """The framework ends before care starts: the referral is spot, and the note says why."""
    z = zone("devon", 1)
    today = clock.today()
    now_plan = plan_route(z.commissioner, service("personal-care"), z, today, care_group("OP"))
    assert now_plan.framework is not None
    Framework.objects.filter(pk=now_plan.framework.pk).update(end_date=today + timedelta(days=30))
    now_plan.framework.extension_options.update(exercised=False)
    referral = raise_referral("devon", 1, "personal-care", start=today + timedelta(days=60))
    note = referral.events.first().note
    assert f"Because care starts on {today + timedelta(days=60):%d %B %Y}" in note
    assert now_plan.framework.name in note


def test_hourly_care_given_only_as_a_pattern_takes_its_hours_from_it() -> None:
    z = zone("devon", 1)
    data = referral_input("personal-care", hours=None)
    data.calls_per_day, data.minutes_per_call = 4, 60
    derived = referrals.raise_referral(
        account("devon.practitioner"), z.commissioner, data, new_person=person_input(z)
    )
    assert derived.hours_per_week == 28
