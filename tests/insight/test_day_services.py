"""Day opportunity services by operating status and the replacement care list: a status is
recorded (dated, idempotent, corrected with history, refused with a named field when wrong),
read as of any date, shown on its page with a CSV, counted on the dashboard and in the
statement's JSON; the replacement care list names each provider with its declared capacity."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.insight.models import DayServiceStatus
from caremarket.insight.selectors import services_market
from caremarket.insight.selectors.dashboard import dashboard
from caremarket.insight.selectors.export import figures
from caremarket.market.models import ServiceType
from caremarket.providers.models import CapacityDeclaration
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
START = date(2024, 1, 1)


@pytest.fixture
def market():
    county = factories.commissioner(slug="day-county")
    zone = factories.zone(county, number=1)
    day = ServiceType.objects.get(code="group-day-opportunity")
    night = ServiceType.objects.get(code="replacement-care-night")
    framework = factories.framework(county, start_date=START)
    day_lot = factories.lot(framework, zones=[zone], service_types=[day])
    list_lot = factories.lot(framework, zones=[zone], service_types=[night])
    hub = factories.appointment(
        day_lot, factories.provider(name="Hub Day Club"), appointed_on=START
    )
    club = factories.appointment(day_lot, factories.provider(name="Club Day"), appointed_on=START)
    sitter = factories.appointment(
        list_lot, factories.provider(name="Night Sitters"), appointed_on=START
    )
    for valid_from, hours in ((START, "3"), (START + timedelta(days=40), "5")):
        CapacityDeclaration.objects.create(
            provider=sitter.provider,
            zone=zone,
            service_type=night,
            hours_per_week=Decimal(hours),
            valid_from=valid_from,
            declared_at=clock.now(),
        )
    return county, hub, club, sitter


def test_a_status_is_dated_idempotent_and_corrected_with_history(market) -> None:
    from caremarket.insight.services.market import record_status

    county, hub, _, _ = market
    day = START + timedelta(days=30)
    made, changed = record_status(
        county, appointment_id=hub.pk, status="at_risk", effective_from=day, note="low attendance"
    )
    assert changed
    again, changed = record_status(
        county, appointment_id=hub.pk, status="at_risk", effective_from=day, note="low attendance"
    )
    assert (again.pk, changed) == (made.pk, False)
    record_status(county, appointment_id=hub.pk, status="closed", effective_from=day)
    assert DayServiceStatus.objects.filter(appointment=hub).count() == 1
    assert list(made.history.order_by("history_id").values_list("status", flat=True)) == [
        "at_risk",
        "closed",
    ]
    before = services_market.day_services(county, day - timedelta(days=1))
    after = services_market.day_services(county, day)
    assert {r.provider: r.status for r in before} == {
        "Club Day": "not_recorded",
        "Hub Day Club": "not_recorded",
    }
    assert {r.provider: r.status for r in after}["Hub Day Club"] == "closed"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"appointment_id": "sitter"}, "appointment"),
        ({"status": "sleeping"}, "status"),
        ({"effective_from": "future"}, "effective_from"),
        ({"effective_from": date(2023, 12, 31)}, "effective_from"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(market, change, field) -> None:
    from caremarket.insight.services.market import record_status

    county, hub, _, sitter = market
    values = {"appointment_id": hub.pk, "status": "open", "effective_from": START}
    values |= change
    if values["appointment_id"] == "sitter":
        values["appointment_id"] = sitter.pk  # on the replacement list, not a day service
    if values["effective_from"] == "future":
        values["effective_from"] = clock.today() + timedelta(days=1)
    with pytest.raises(Invalid) as raised:
        record_status(county, **values)
    assert field in raised.value.errors
    assert not DayServiceStatus.objects.filter(commissioner=county).exists()


def test_another_councils_service_is_refused(market) -> None:
    from caremarket.insight.services.market import record_status

    _, hub, _, _ = market
    other = factories.commissioner(slug="other-day-county")
    with pytest.raises(Invalid):
        record_status(other, appointment_id=hub.pk, status="open", effective_from=START)


def test_replacement_list_shows_the_capacity_in_force(market) -> None:
    county, _, _, _ = market
    early = services_market.replacement_care(county, START + timedelta(days=1))
    later = services_market.replacement_care(county, START + timedelta(days=50))
    assert [(r.provider, r.nights) for r in early] == [("Night Sitters", Decimal("3"))]
    assert [(r.provider, r.nights) for r in later] == [("Night Sitters", Decimal("5"))]


def test_page_form_csv_dashboard_and_json_agree(client, market) -> None:
    county, hub, _, _ = market
    user = factories.council_user(county, role="commissioner")
    client.force_login(user)
    day = START + timedelta(days=60)
    posted = client.post(
        f"/sufficiency/day-opportunities/?commissioner={county.slug}",
        {
            "appointment": hub.pk,
            "status": "reduced",
            "effective_from_0": day.day,
            "effective_from_1": day.month,
            "effective_from_2": day.year,
            "note": "three days a week",
        },
    )
    assert posted.status_code == 302
    assert DayServiceStatus.objects.get(appointment=hub).status == "reduced"
    bad = client.post(
        "/sufficiency/day-opportunities/",
        {"appointment": hub.pk, "status": "reduced", "effective_from_0": "31"},
    )
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    page = client.get(f"/sufficiency/day-opportunities/?status=reduced&as_of={day}")
    text = page.content.decode()
    assert "Hub Day Club" in text and "Club Day</th>" not in text
    csv = client.get(f"/sufficiency/day-opportunities/?as_of={day}&format=csv").content.decode()
    assert "Hub Day Club" in csv and "Club Day" in csv
    d = dashboard(county, day)
    assert {c.status: c.services for c in d.day_status} == {
        "open": 0,
        "reduced": 1,
        "at_risk": 0,
        "closed": 0,
        "not_recorded": 1,
    }
    out = figures(d)
    assert out["day_opportunities"]["by_operating_status"]["reduced"] == 1
    assert out["day_opportunities"]["services_of_concern"][0]["provider"] == "Hub Day Club"
    assert out["replacement_care"]["list"][0]["night_sitting_nights"] == "5"
    json.dumps(out)


def test_a_practitioner_sees_the_page_but_cannot_record(client, market) -> None:
    county, hub, _, _ = market
    client.force_login(factories.council_user(county))
    assert client.get("/sufficiency/day-opportunities/").status_code == 200
    assert "Record a service" not in client.get("/sufficiency/day-opportunities/").content.decode()
    refused = client.post(
        "/sufficiency/day-opportunities/", {"appointment": hub.pk, "status": "closed"}
    )
    assert refused.status_code == 403
    assert not DayServiceStatus.objects.filter(appointment=hub).exists()


def test_the_demo_devon_figures_are_those_docs_demo_data_describes() -> None:
    """docs/demo-data.md: seed 003's 105 day opportunity providers, 7 at risk, 4 reduced and
    2 closed (an assumed mix), the rest open; 20 providers on the replacement care list."""
    from caremarket.market.models import Commissioner

    devon = Commissioner.objects.get(slug="devon")
    rows = services_market.day_services(devon, clock.today())
    counts = {c.status: c.services for c in services_market.status_counts(rows)}
    assert counts == {"open": 92, "reduced": 4, "at_risk": 7, "closed": 2, "not_recorded": 0}
    replacement = services_market.replacement_care(devon, clock.today())
    assert len(replacement) == 20
    assert all(r.day_hours and r.nights for r in replacement)
