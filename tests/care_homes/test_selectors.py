"""Reads of care homes: scoping, rates by zone and bed type, stratification, the return
statuses and the placement search."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from caremarket.care_homes import selectors
from caremarket.core.errors import Invalid, NotFound
from caremarket.core.roles import Role
from caremarket.engine import postcodes
from tests import factories
from tests.care_homes import factories as ch

pytestmark = pytest.mark.django_db

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def area():  # type: ignore[no-untyped-def]
    """One council, two zones (neighbours), three homes with November returns."""
    council = factories.commissioner()
    north, south = factories.zone(council), factories.zone(council)
    north.neighbours.add(south)
    big = ch.care_home(north, beds={"general_residential": 40, "dementia_nursing": 10})
    small = ch.care_home(north, beds={"general_residential": 20})
    far = ch.care_home(south, beds={"general_residential": 20})
    ch.vacancy_return(
        big, NOV, {"general_residential": (40, 36, 0, 4), "dementia_nursing": (10, 10, 0, 0)}
    )
    ch.vacancy_return(small, NOV, {"general_residential": (20, 14, 1, 5)})
    ch.vacancy_return(far, NOV, {"general_residential": (20, 19, 0, 1)})
    ch.vacancy_return(far, OCT, {"general_residential": (20, 20, 0, 0)})
    staff = factories.council_user(council, role=Role.COMMISSIONER)
    return {
        "council": council,
        "north": north,
        "south": south,
        "big": big,
        "small": small,
        "far": far,
        "staff": staff,
    }


def test_each_sees_only_its_own(area) -> None:  # type: ignore[no-untyped-def]
    staff = area["staff"]
    assert set(selectors.care_homes_for(staff)) == {area["big"], area["small"], area["far"]}
    owner = ch.provider_user(area["big"].location.provider)
    assert list(selectors.care_homes_for(owner)) == [area["big"]]
    stranger = factories.council_user(role=Role.COMMISSIONER)
    assert not selectors.care_homes_for(stranger).exists()
    with pytest.raises(NotFound):
        selectors.care_home_for(stranger, area["big"].pk)
    with pytest.raises(NotFound):
        selectors.return_for(owner, area["far"].returns.first().pk)


def test_rates_by_zone_bed_type_and_area(area) -> None:  # type: ignore[no-untyped-def]
    staff = area["staff"]
    by_zone = {
        (r["zone_id"], r["month"]): r
        for r in selectors.vacancy_rates(staff, by=("zone",), latest=NOV)
    }
    north = by_zone[(area["north"].pk, NOV)]
    assert (north["homes"], north["capacity"], north["vacant"]) == (2, 70, 10)
    assert north["rate"] == Decimal("0.1429")
    assert north["vacant_accepting"] == 9
    assert by_zone[(area["south"].pk, OCT)]["rate"] == Decimal("0")
    by_bed = {
        (r["bed_type"], r["month"]): r["rate"]
        for r in selectors.vacancy_rates(staff, by=("bed_type",), latest=NOV)
    }
    assert by_bed[("dementia_nursing", NOV)] == Decimal("0")
    whole = selectors.vacancy_rates(staff, by=(), latest=NOV)
    assert [(r["month"], r["capacity"], r["vacant"]) for r in whole] == [
        (OCT, 20, 0),
        (NOV, 90, 11),
    ]
    with pytest.raises(Invalid):
        selectors.vacancy_rates(staff, by=("provider",))


def test_corrections_count_once(area) -> None:  # type: ignore[no-untyped-def]
    from caremarket.care_homes import services
    from caremarket.engine.vacancy import BedLine

    owner = ch.provider_user(area["small"].location.provider)
    services.submit_return(
        owner,
        area["small"].pk,
        services.ReturnInput(NOV, [BedLine("general_residential", 20, 20, 0, 0)], ch.WORKFORCE),
    )
    rows = selectors.vacancy_rates(area["staff"], by=(), latest=NOV)
    assert rows[-1]["vacant"] == 5  # 4 + 0 (corrected) + 1, not 4 + 6 + 0 + 1


def test_stratification_flags_risk_and_business_critical(area) -> None:  # type: ignore[no-untyped-def]
    rows = {r["home_id"]: r for r in selectors.home_stratification(area["staff"], month=NOV)}
    small, big, far = rows[area["small"].pk], rows[area["big"].pk], rows[area["far"].pk]
    assert small["rate"] == Decimal("0.3000") and small["financial_risk"]
    assert not big["financial_risk"]
    assert big["business_critical"] == ("dementia_nursing",)  # the only one in the north
    assert far["business_critical"] == ("general_residential",)  # the only home in the south
    assert small["business_critical"] == ()
    lower = {
        r["home_id"]: r
        for r in selectors.home_stratification(area["staff"], month=NOV, threshold=Decimal("0.05"))
    }
    assert lower[area["big"].pk]["financial_risk"]


def test_return_status_due_then_missing(area) -> None:  # type: ignore[no-untyped-def]
    statuses = {r["home_id"]: r["status"] for r in selectors.return_statuses(area["staff"], NOV)}
    assert set(statuses.values()) == {"on_time"}
    december = selectors.return_statuses(area["staff"])  # the clock is 10 December
    assert {r["status"] for r in december} == {"due"}
    assert december[0]["window_closes"] == date(2026, 12, 14)
    october = selectors.return_compliance(area["staff"], OCT)
    assert october["counts"] == {"missing": 2, "on_time": 1}
    assert {m["home_id"] for m in october["missing"]} == {area["big"].pk, area["small"].pk}


def test_placement_search_nearest_first(area) -> None:  # type: ignore[no-untyped-def]
    broker = factories.council_user(area["council"], role=Role.BROKER)
    postcode = area["far"].postcode
    code, origin, rows = selectors.placement_search(
        broker, bed_type="general_residential", postcode=postcode
    )
    assert str(code) == postcode and origin is None  # no home has a location recorded
    assert [r["home_id"] for r in rows] == [area["far"].pk, area["small"].pk, area["big"].pk]
    assert rows[0]["nearness"] == 0 and rows[1]["nearness_label"] == "Neighbouring zone"
    assert rows[0]["distance_km"] is None
    none = selectors.placement_search(broker, bed_type="dementia_nursing", postcode=postcode)
    assert none.rows == []  # the only dementia nursing beds are all occupied
    assert "ranked by postcode sector" in none.measured_from
    with pytest.raises(Invalid) as caught:
        selectors.placement_search(broker, bed_type="general_residential", postcode="nonsense")
    assert "postcode" in caught.value.errors


def test_placement_search_ignores_stale_returns(area) -> None:  # type: ignore[no-untyped-def]
    broker = factories.council_user(area["council"], role=Role.BROKER)
    stale = ch.care_home(area["north"], beds={"ypd": 10})
    ch.vacancy_return(stale, date(2026, 9, 1), {"ypd": (10, 2, 0, 8)})
    found = selectors.placement_search(broker, bed_type="ypd", postcode=area["big"].postcode)
    assert found.rows == []


def _place(home, lat: str, lon: str) -> None:  # type: ignore[no-untyped-def]
    home.latitude, home.longitude = Decimal(lat), Decimal(lon)
    home.save()


def test_placement_search_sorts_by_distance_and_says_from_where(area) -> None:  # type: ignore[no-untyped-def]
    """Homes with a location sort by real distance from the middle of the homes known at
    the person's postcode (here the far home's own), whatever their zones; a home with no
    location comes after, ranked by postcode and zone."""
    broker = factories.council_user(area["council"], role=Role.BROKER)
    _place(area["far"], "50.70000", "-3.50000")
    _place(area["big"], "50.75000", "-3.50000")  # about 5.6 km north
    found = selectors.placement_search(
        broker, bed_type="general_residential", postcode=area["far"].postcode
    )
    assert [r["home_id"] for r in found.rows] == [
        area["far"].pk,
        area["big"].pk,
        area["small"].pk,
    ]
    assert found.rows[0]["distance_km"] == 0 and 5 < found.rows[1]["distance_km"] < 6
    assert found.rows[2]["distance_km"] is None
    assert found.measured_from == (
        f"Distance is measured from the care home we know at {area['far'].postcode}, "
        "not the address."
    )


def test_the_origin_falls_back_from_postcode_to_sector_to_district(area) -> None:  # type: ignore[no-untyped-def]
    _place(area["far"], "50.70000", "-3.50000")
    far = area["far"].postcode  # like "AB1 2AB"
    district, sector = far.split(" ")[0], far[: far.index(" ") + 2]
    same_sector = selectors.placement_origin(postcodes.parse(f"{sector}ZZ"))
    assert same_sector is not None and same_sector.measured_from.endswith(f"in {sector}")
    other_sector = str(int(sector[-1]) % 9 + 1)
    in_district = selectors.placement_origin(postcodes.parse(f"{district} {other_sector}ZZ"))
    assert in_district is not None and in_district.measured_from.endswith(f"in {district}")
    assert (in_district.latitude, in_district.longitude) == (50.7, -3.5)
    assert selectors.placement_origin(postcodes.parse("ZZ9 9ZZ")) is None
