"""Supported living's pure rules (supported_living.rules), without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caremarket.supported_living import rules

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_a_hold_that_has_run_out_reads_as_vacant() -> None:
    assert rules.effective_status(rules.HELD, NOW - timedelta(seconds=1), NOW) == rules.VACANT
    assert rules.effective_status(rules.HELD, NOW, NOW) == rules.VACANT
    assert rules.effective_status(rules.HELD, NOW + timedelta(hours=1), NOW) == rules.HELD
    assert rules.effective_status(rules.OCCUPIED, None, NOW) == rules.OCCUPIED


def test_a_vacancy_is_stale_after_fourteen_days_unconfirmed() -> None:
    assert not rules.is_stale(rules.VACANT, NOW - timedelta(days=14), NOW)
    assert rules.is_stale(rules.VACANT, NOW - timedelta(days=14, seconds=1), NOW)
    assert not rules.is_stale(rules.OCCUPIED, NOW - timedelta(days=60), NOW)


def test_a_void_is_priced_only_where_the_council_pays() -> None:
    paid = rules.void(
        date(2026, 1, 1), date(2026, 1, 15), council_pays=True, weekly_cost=Decimal("120")
    )
    assert (paid.days, paid.cost, paid.long) == (14, Decimal("240.00"), False)
    unpaid = rules.void(
        date(2026, 1, 1), date(2026, 1, 15), council_pays=False, weekly_cost=Decimal("120")
    )
    assert unpaid.cost is None


def test_a_void_over_ninety_days_is_long() -> None:
    start = date(2026, 1, 1)
    assert not rules.void(
        start, start + timedelta(days=90), council_pays=False, weekly_cost=None
    ).long
    assert rules.void(start, start + timedelta(days=91), council_pays=False, weekly_cost=None).long


@given(st.integers(min_value=0, max_value=3000), st.decimals(min_value=1, max_value=2000, places=2))
def test_void_cost_is_days_times_a_seventh_of_the_week_rounded_once(
    days: int, weekly: Decimal
) -> None:
    start = date(2020, 1, 1)
    v = rules.void(start, start + timedelta(days=days), council_pays=True, weekly_cost=weekly)
    assert v.days == days
    assert v.cost is not None and abs(v.cost - weekly * days / 7) <= Decimal("0.005")


def test_a_provider_may_not_set_held_or_unavailable_without_reason() -> None:
    assert "status" in rules.status_change_problem(rules.VACANT, rules.HELD, "")
    assert "reason" in rules.status_change_problem(rules.VACANT, rules.UNAVAILABLE, " ")
    assert "status" in rules.status_change_problem(rules.HELD, rules.OCCUPIED, "")
    assert rules.status_change_problem(rules.OCCUPIED, rules.VACANT, "") == {}


def test_distance_between_stafford_and_burton_is_about_32_km() -> None:
    km = rules.distance_km(52.806, -2.117, 52.807, -1.643)
    assert 31 < km < 33


@given(
    st.floats(min_value=50, max_value=58),
    st.floats(min_value=-5, max_value=1),
    st.floats(min_value=0.5, max_value=80),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=6.28),
)
def test_every_point_within_the_distance_is_inside_the_box(
    lat: float, lon: float, km: float, fraction: float, bearing: float
) -> None:
    import math

    d = km * fraction * 0.999
    dlat = d / rules.EARTH_RADIUS_KM * math.cos(bearing)
    plat = lat + math.degrees(dlat)
    plon = lon + math.degrees(
        d / rules.EARTH_RADIUS_KM * math.sin(bearing) / math.cos(math.radians(plat))
    )
    if rules.distance_km(lat, lon, plat, plon) > km:
        return
    lo_lat, hi_lat, lo_lon, hi_lon = rules.bounding_box(lat, lon, km)
    assert lo_lat <= plat <= hi_lat and lo_lon <= plon <= hi_lon


def test_who_a_single_sex_scheme_admits() -> None:
    assert rules.genders_admitting("female") == (rules.ANY_GENDER, rules.WOMEN_ONLY)
    assert rules.genders_admitting("male") == (rules.ANY_GENDER, rules.MEN_ONLY)
    assert set(rules.genders_admitting("")) == {rules.ANY_GENDER, rules.WOMEN_ONLY, rules.MEN_ONLY}


def test_compatibility_in_words() -> None:
    labels = rules.compatibility_labels(
        pets_allowed=False, smoking_allowed=False, gender="female", notes=" Quiet house "
    )
    assert labels == ["No pets", "No smokers", "Women only", "Quiet house"]
