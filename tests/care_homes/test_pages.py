"""The care homes pages and API through the test client: the provider's form (good and bad
input), the commissioner's page with its chart and CSV, the broker's search, the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from caremarket.care_homes.models import VacancyReturn
from caremarket.core.roles import Role
from tests import factories
from tests.care_homes import factories as ch

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def home():  # type: ignore[no-untyped-def]
    return ch.care_home(beds={"general_residential": 20, "dementia_residential": 8})


def _form(month: str = "2026-12", occupied: int = 18) -> dict[str, str]:
    data = {"month": month}
    for bed, (cap, occ, res, acc) in {
        "general_residential": (20, occupied, 0, 20 - occupied),
        "dementia_residential": (8, 8, 0, 0),
    }.items():
        data |= {
            f"{bed}-maximum_capacity": str(cap),
            f"{bed}-occupied": str(occ),
            f"{bed}-vacant_reserved": str(res),
            f"{bed}-vacant_accepting": str(acc),
        }
    return data | {k: str(v) for k, v in ch.WORKFORCE.items()}


def test_provider_sees_due_then_returns_on_the_form(home) -> None:  # type: ignore[no-untyped-def]
    client = _client(ch.provider_user(home.location.provider))
    page = client.get("/care-homes/mine/")
    assert page.status_code == 200
    assert "Due" in page.content.decode() and "14 December 2026" in page.content.decode()
    form = client.get(f"/care-homes/mine/{home.pk}/return/")
    assert "Dementia residential" in form.content.decode()
    saved = client.post(f"/care-homes/mine/{home.pk}/return/", _form())
    assert saved.status_code == 302
    made = VacancyReturn.objects.get(care_home=home)
    assert made.month == date(2026, 12, 1) and made.source == "form"
    assert "Returned" in client.get("/care-homes/mine/").content.decode()
    history = client.get(f"/care-homes/mine/{home.pk}/?format=csv")
    assert history["Content-Type"].startswith("text/csv") and b"December" not in history.content


def test_bad_input_on_the_form_changes_nothing(home) -> None:  # type: ignore[no-untyped-def]
    client = _client(ch.provider_user(home.location.provider))
    data = _form()
    data["general_residential-occupied"] = "21"
    page = client.post(f"/care-homes/mine/{home.pk}/return/", data)
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and "more than the maximum capacity" in text
    future = client.post(f"/care-homes/mine/{home.pk}/return/", _form(month="2027-01"))
    assert "future month" in future.content.decode()
    assert not VacancyReturn.objects.filter(care_home=home).exists()


def test_another_provider_cannot_open_the_form(home) -> None:  # type: ignore[no-untyped-def]
    client = _client(ch.provider_user(factories.provider()))
    assert client.get(f"/care-homes/mine/{home.pk}/return/").status_code == 404
    assert client.post(f"/care-homes/mine/{home.pk}/return/", _form()).status_code == 404
    assert not VacancyReturn.objects.filter(care_home=home).exists()


def test_commissioner_page_chart_table_flags_and_csv(home) -> None:  # type: ignore[no-untyped-def]
    ch.vacancy_return(
        home, NOV, {"general_residential": (20, 12, 0, 8), "dementia_residential": (8, 8, 0, 0)}
    )
    client = _client(factories.council_user(home.zone.commissioner, role=Role.COMMISSIONER))
    page = client.get("/care-homes/")
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "<polyline" in text
    assert "At risk" in text  # 8 of 28 vacant: above 20%
    zones = client.get("/care-homes/?format=csv&table=zones").content.decode().splitlines()
    assert zones[0].startswith("Zone,Beds Nov 2026,Dec 2025")
    assert zones[1].endswith(",28.57") or "28.57" in zones[1]
    homes = client.get("/care-homes/?format=csv&table=homes&threshold=50").content.decode()
    assert "At risk" not in homes and home.name in homes


def test_broker_search_finds_the_home(home) -> None:  # type: ignore[no-untyped-def]
    ch.vacancy_return(
        home, NOV, {"general_residential": (20, 12, 0, 8), "dementia_residential": (8, 8, 0, 0)}
    )
    client = _client(factories.council_user(home.zone.commissioner, role=Role.BROKER))
    page = client.get(f"/care-homes/beds/?bed_type=general_residential&postcode={home.postcode}")
    assert home.name in page.content.decode()
    none = client.get(f"/care-homes/beds/?bed_type=dementia_residential&postcode={home.postcode}")
    assert "No home in your area" in none.content.decode()
    bad = client.get("/care-homes/beds/?bed_type=general_residential&postcode=zzz")
    assert "There is a problem" in bad.content.decode()


def test_api_post_get_and_refusals(home) -> None:  # type: ignore[no-untyped-def]
    client = _client(ch.provider_user(home.location.provider))
    body = {
        "care_home": home.pk,
        "month": "2026-11-01",
        **ch.WORKFORCE,
        "lines": [
            {
                "bed_type": "general_residential",
                "maximum_capacity": 20,
                "occupied": 15,
                "vacant_reserved": 0,
                "vacant_accepting": 5,
            },
            {
                "bed_type": "dementia_residential",
                "maximum_capacity": 8,
                "occupied": 8,
                "vacant_reserved": 0,
                "vacant_accepting": 0,
            },
        ],
    }
    made = client.post("/api/v1/care-homes/returns/", body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["version"] == 1 and made.json()["in_force"]
    again = client.post("/api/v1/care-homes/returns/", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    body["lines"][0]["occupied"] = 21
    bad = client.post("/api/v1/care-homes/returns/", body, content_type="application/json")
    assert bad.status_code == 400 and "maximum capacity" in bad.content.decode()
    listed = client.get(f"/api/v1/care-homes/returns/?care_home={home.pk}&month=2026-11").json()
    assert [r["id"] for r in listed["results"]] == [made.json()["id"]]
    homes = client.get("/api/v1/care-homes/homes/").json()["results"]
    assert [h["id"] for h in homes] == [home.pk]
    broker = _client(factories.council_user(home.zone.commissioner, role=Role.BROKER))
    refused = broker.post("/api/v1/care-homes/returns/", body, content_type="application/json")
    assert refused.status_code == 403
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/care-homes/returns/" in schema and "VacancyReturnCreate" in schema
