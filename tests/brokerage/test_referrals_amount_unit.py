"""The amount of care asked for must be in the unit the service is bought in.

Home care and individualised support are bought by the hour, day opportunities by the
session, night sitting by the night, and Staffordshire's supported living at a weekly band
rate. A referral in any other unit could never be turned into an agreement's "so many a
week at so much", so it is refused before anything is written, with a message that names
the field to correct. Tried at the service, through the practitioner's web form (the GOV.UK
error summary linking to the field) and through the API (a 400 keyed by the field).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils.html import escape

from caremarket.brokerage.models import Referral
from caremarket.core.errors import Invalid
from tests.brokerage.support import (
    care_group,
    postcode_in,
    raise_referral,
    service,
    snapshot,
    zone,
)

pytestmark = pytest.mark.django_db

HOME_CARE = "Regulated personal care (home care)"
DAY_OPS = "Group day opportunity"
NIGHTS = "Replacement care: night sitting"

# (council, zone, service, care group, amount given, field named, message)
WRONG = {
    "home-care-in-sessions": (
        "devon", 4, "personal-care", "OP", {"hours": None, "sessions": 3},
        "hours_per_week", f"{HOME_CARE} is bought by the hour: give hours a week.",
    ),
    "home-care-in-hours-and-sessions": (
        "devon", 4, "personal-care", "OP", {"hours": "10", "sessions": 3},
        "sessions_per_week", f"{HOME_CARE} is bought by the hour, not by the session.",
    ),
    "home-care-with-a-band": (
        "devon", 4, "personal-care", "OP", {"hours": "10", "band": "medium"},
        "band_level", f"{HOME_CARE} here is not bought at banded rates.",
    ),
    "day-opportunity-in-hours": (
        "devon", 4, "group-day-opportunity", "OP", {"hours": "6"},
        "sessions_per_week", f"{DAY_OPS} is bought by the session: give how many a week.",
    ),
    "day-opportunity-in-hours-and-sessions": (
        "devon", 4, "group-day-opportunity", "OP", {"hours": "6", "sessions": 2},
        "hours_per_week", f"{DAY_OPS} is bought by the session, not by the hour.",
    ),
    "night-sitting-in-hours": (
        "devon", 4, "replacement-care-night", "OP", {"hours": "10"},
        "sessions_per_week", f"{NIGHTS} is bought by the night: give how many a week.",
    ),
    "banded-in-hours": (
        "staffs", 4, "supported-living", "MH", {"hours": "20"},
        "band_level", "Choose the band the social worker assessed.",
    ),
    "banded-in-sessions": (
        "staffs", 4, "supported-living", "MH", {"hours": None, "sessions": 5},
        "band_level", "Choose the band the social worker assessed.",
    ),
}  # fmt: skip

RIGHT = {
    "home-care-in-hours": ("devon", 4, "personal-care", "OP", {"hours": "10"}),
    "day-opportunity-in-sessions": (
        "devon", 4, "group-day-opportunity", "OP", {"hours": None, "sessions": 2},
    ),
    "night-sitting-in-nights": (
        "devon", 4, "replacement-care-night", "OP", {"hours": None, "sessions": 3},
    ),
    "banded-with-a-band": (
        "staffs", 4, "supported-living", "MH", {"hours": None, "band": "medium"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(WRONG))
def test_the_service_names_the_field_and_changes_nothing(clock, case: str) -> None:  # type: ignore[no-untyped-def]
    council, number, code, group, amount, field, message = WRONG[case]
    before = snapshot()
    with pytest.raises(Invalid) as refused:
        raise_referral(council, number, code, group=group, **amount)
    assert refused.value.errors == {field: message}
    assert refused.value.message == message
    assert snapshot() == before


@pytest.mark.parametrize("case", list(RIGHT))
def test_the_same_services_in_their_own_unit_are_raised(clock, case: str) -> None:  # type: ignore[no-untyped-def]
    """The control: each service, in its own unit, does raise, so the refusals above are
    about the unit and nothing else."""
    council, number, code, group, amount = RIGHT[case]
    referral = raise_referral(council, number, code, group=group, **amount)
    assert referral.pk and referral.service_type.code == code
    assert referral.framework is not None


# --- the practitioner's web form and the API --------------------------------------------


def _date(prefix: str, day: date) -> dict[str, Any]:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _form(clock, council: str, number: int, code: str, group: str, amount: dict) -> dict:  # type: ignore[no-untyped-def,type-arg]
    data = {
        "given_name": "Wilhelmina",
        "family_name": "Unitwrong",
        **_date("date_of_birth", date(1950, 6, 7)),
        "address": "7 Quay Hill",
        "postcode": postcode_in(zone(council, number)),
        "care_group": care_group(group).pk,
        "service_type": service(code).pk,
        **_date("start_date", clock.today() + timedelta(days=7)),
        "urgency": "planned",
        "outcomes": "To get out of the house and see friends.",
    }
    if amount.get("hours"):
        data["hours_per_week"] = amount["hours"]
    if amount.get("sessions"):
        data["sessions_per_week"] = str(amount["sessions"])
    if amount.get("band"):
        data["band_level"] = amount["band"]
    return data


# The web form asks only the chosen service's questions (``forms_referral``): these mixes
# cannot be posted from it (what another service asks is not on the form), only by the API.
ONLY_BY_API = {
    "home-care-in-hours-and-sessions",
    "home-care-with-a-band",
    "day-opportunity-in-hours-and-sessions",
}


@pytest.mark.parametrize("case", [c for c in WRONG if c not in ONLY_BY_API])
def test_the_web_form_shows_the_message_against_the_field(clock, client_for, case: str) -> None:  # type: ignore[no-untyped-def]
    council, number, code, group, amount, field, message = WRONG[case]
    before = snapshot()
    response = client_for(f"{council}.practitioner").post(
        "/referrals/new/", _form(clock, council, number, code, group, amount)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Raise a referral" in page
    summary = page[page.index("govuk-error-summary") :]
    assert f'<a href="#id_{field}">{escape(message)}</a>' in summary
    assert response.context["form"].errors[field] == [message]
    assert snapshot() == before


def test_the_web_form_raises_in_the_right_unit(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    """The control for the form: the same form with sessions for day opportunities."""
    council, number, code, group, amount = RIGHT["day-opportunity-in-sessions"]
    response = client_for("devon.practitioner").post(
        "/referrals/new/", _form(clock, council, number, code, group, amount)
    )
    assert response.status_code == 302
    referral = Referral.objects.latest("pk")
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.sessions_per_week == 2 and referral.hours_per_week is None


@pytest.mark.parametrize("case", ["home-care-in-sessions", "day-opportunity-in-hours"])
def test_the_api_answers_400_keyed_by_the_field(clock, client_for, case: str) -> None:  # type: ignore[no-untyped-def]
    council, number, code, group, amount, field, message = WRONG[case]
    body = {
        "person": {
            "given_name": "Wilhelmina",
            "family_name": "Apiwrong",
            "date_of_birth": "1950-06-07",
            "address": "7 Quay Hill",
            "postcode": postcode_in(zone(council, number)),
            "care_group": group,
        },
        "service_type": code,
        "hours_per_week": amount.get("hours"),
        "sessions_per_week": amount.get("sessions"),
        "start_date": (clock.today() + timedelta(days=7)).isoformat(),
        "urgency": "planned",
        "outcomes": "To get out of the house and see friends.",
    }
    before = snapshot()
    response = client_for(f"{council}.practitioner").post(
        "/api/v1/referrals/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {field: message}
    assert snapshot() == before
