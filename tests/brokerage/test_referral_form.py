"""The referral form asks only what the chosen service is bought by (issue 14): hours and the
visit pattern for home care, sessions or nights, a band for supported living, the kind of bed
for a care home. Server-rendered: the service is chosen first by a plain GET form; htmx only
swaps the form in place. What another service asks cannot slip into a referral."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from caremarket.brokerage.models import Referral
from caremarket.core import clock
from tests.brokerage.support import care_group, postcode_in, service, zone

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

RAISE = "/referrals/new/"
PATTERN = ("hours_per_week", "calls_per_day", "minutes_per_call", "times_of_day", "double_handed")
ALL = {*PATTERN, "sessions_per_week", "band_level", "bed_type"}

# service code -> the amount questions its form asks
ASKED = {
    "personal-care": set(PATTERN),
    "individualised-support": set(PATTERN),
    "group-day-opportunity": {"sessions_per_week"},
    "replacement-care-night": {"sessions_per_week"},
    "supported-living": {"band_level"},
    "residential-care": {"bed_type"},
    "nursing-care": {"bed_type"},
}


def _names(page: str) -> set[str]:
    return {n for n in ALL if f'name="{n}"' in page}


def test_before_a_service_is_chosen_only_the_choice_is_asked(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("devon.practitioner").get(RAISE).content.decode()
    assert 'name="service"' in page and "Choose the service first" in page
    assert _names(page) == set() and 'name="given_name"' not in page


@pytest.mark.parametrize("code", list(ASKED))
def test_each_service_shows_only_its_own_questions(client_for, code: str) -> None:  # type: ignore[no-untyped-def]
    page = client_for("devon.practitioner").get(f"{RAISE}?service={code}").content.decode()
    assert _names(page) == ASKED[code], code
    assert f'name="service_type" value="{service(code).pk}"' in page
    assert 'name="given_name"' in page and 'name="outcomes"' in page


def test_night_sitting_asks_nights_and_day_opportunities_sessions(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("devon.practitioner")
    nights = client.get(f"{RAISE}?service=replacement-care-night").content.decode()
    sessions = client.get(f"{RAISE}?service=group-day-opportunity").content.decode()
    assert "Nights a week" in nights and "Sessions a week" in sessions


def test_an_unknown_service_is_asked_again(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("devon.practitioner").get(f"{RAISE}?service=teleportation").content.decode()
    assert "Choose a service" in page and _names(page) == set()


def test_htmx_gets_only_the_form_to_swap_in(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("devon.practitioner").get(
        f"{RAISE}?service=supported-living", HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page and _names(page) == {"band_level"}
    full = client_for("devon.practitioner").get(RAISE).content.decode()
    assert 'hx-get="/referrals/new/"' in full and 'hx-target="#referral-form"' in full


def _date(prefix: str, day: date) -> dict[str, Any]:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _post(council: str, number: int, code: str, group: str = "OP", **amount: Any) -> dict:  # type: ignore[type-arg]
    return {
        "given_name": "Wilhelmina",
        "family_name": f"Formshape{code.replace('-', '')}",
        **_date("date_of_birth", date(1941, 2, 3)),
        "address": "3 Form Lane",
        "postcode": postcode_in(zone(council, number)),
        "care_group": care_group(group).pk,
        "service_type": service(code).pk,
        **_date("start_date", clock.today() + timedelta(days=7)),
        "urgency": "planned",
        "outcomes": "To be settled and safe.",
        **amount,
    }


def test_home_care_ignores_what_other_services_ask(client_for) -> None:  # type: ignore[no-untyped-def]
    """A band and sessions posted with home care are not questions home care asks: they are
    not on the form, so they cannot reach the referral."""
    data = _post("devon", 4, "personal-care", hours_per_week="7.5", band_level="high")
    data.update(sessions_per_week="3", bed_type="general_nursing")
    response = client_for("devon.practitioner").post(f"{RAISE}?service=personal-care", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.latest("pk")
    assert referral.hours_per_week == 7.5
    assert referral.band is None and referral.sessions_per_week is None
    assert referral.bed_type == ""


def test_home_care_takes_its_hours_from_the_visit_pattern(client_for) -> None:  # type: ignore[no-untyped-def]
    data = _post("devon", 4, "personal-care", calls_per_day="2", minutes_per_call="30")
    data["times_of_day"] = ["morning", "evening"]
    response = client_for("devon.practitioner").post(RAISE, data)
    assert response.status_code == 302
    referral = Referral.objects.latest("pk")
    assert referral.hours_per_week == 7 and referral.calls_per_day == 2


def test_day_opportunities_without_sessions_name_the_sessions_field(client_for) -> None:  # type: ignore[no-untyped-def]
    before = Referral.objects.count()
    response = client_for("devon.practitioner").post(
        RAISE, _post("devon", 4, "group-day-opportunity", hours_per_week="6")
    )
    assert response.status_code == 200
    assert "sessions_per_week" in response.context["form"].errors
    assert Referral.objects.count() == before
    assert _names(response.content.decode()) == {"sessions_per_week"}


def test_supported_living_asks_the_band(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("staffs.practitioner")
    response = client.post(RAISE, _post("staffs", 4, "supported-living", "MH"))
    assert response.context["form"].errors["band_level"] == [
        "Choose the band the social worker assessed."
    ]
    response = client.post(RAISE, _post("staffs", 4, "supported-living", "MH", band_level="low"))
    assert response.status_code == 302
    assert Referral.objects.latest("pk").band.level == "low"


def test_a_care_home_place_asks_the_kind_of_bed_and_keeps_it(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("devon.practitioner")
    before = Referral.objects.count()
    refused = client.post(RAISE, _post("devon", 4, "nursing-care"))
    assert refused.context["form"].errors["bed_type"] == [
        "Choose the kind of care home bed the person needs."
    ]
    assert Referral.objects.count() == before
    done = client.post(RAISE, _post("devon", 4, "nursing-care", bed_type="dementia_nursing"))
    assert done.status_code == 302, done.content.decode()[:3000]
    referral = Referral.objects.latest("pk")
    assert referral.bed_type == "dementia_nursing"
    assert referral.amount_label == "A dementia nursing bed"
    page = client.get(done["Location"]).content.decode()
    assert "A dementia nursing bed" in page


def test_changing_the_service_on_a_post_shows_the_new_services_questions(client_for) -> None:  # type: ignore[no-untyped-def]
    """Posted for supported living from a home-care page: the band is asked, by name."""
    data = _post("staffs", 4, "supported-living", "MH", hours_per_week="10")
    response = client_for("staffs.practitioner").post(f"{RAISE}?service=personal-care", data)
    assert response.status_code == 200
    assert _names(response.content.decode()) == {"band_level"}


def test_a_post_with_no_known_service_asks_for_the_service(client_for) -> None:  # type: ignore[no-untyped-def]
    before = Referral.objects.count()
    data = _post("devon", 4, "personal-care", hours_per_week="5")
    data["service_type"] = "999999"
    response = client_for("devon.practitioner").post(RAISE, data)
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Raise a referral" in page
    assert "Choose a service" in page and _names(page) == set()
    assert Referral.objects.count() == before
