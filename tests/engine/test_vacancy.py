"""The care home return window, a return line's checks, vacancy rates and stratification."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.engine import vacancy
from caremarket.engine.vacancy import BedLine, HomeOffer, ReturnStatus

# --- the window -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "closes"),
    [
        # Dorset Council's published windows: the 14th on a Sunday or Saturday moves on.
        (date(2024, 1, 1), date(2024, 1, 15)),
        (date(2024, 7, 1), date(2024, 7, 15)),
        (date(2024, 9, 1), date(2024, 9, 16)),
        (date(2024, 12, 1), date(2024, 12, 16)),
        (date(2026, 12, 1), date(2026, 12, 14)),  # a Monday
        # Good Friday 14 April 2028, Easter Monday 17 April: the next working day is the 18th.
        (date(2028, 4, 1), date(2028, 4, 18)),
    ],
)
def test_window_runs_8th_to_14th_or_next_working_day(month: date, closes: date) -> None:
    window = vacancy.return_window(month)
    assert window.opens == month.replace(day=8)
    assert window.closes == closes


def test_an_extra_holiday_extends_the_window() -> None:
    assert vacancy.return_window(date(2026, 12, 5), [date(2026, 12, 14)]).closes == date(
        2026, 12, 15
    )


@given(st.dates(min_value=date(2022, 8, 1), max_value=date(2040, 12, 31)))
def test_window_always_closes_on_a_working_day_within_a_week(day: date) -> None:
    window = vacancy.return_window(day)
    assert window.month == day.replace(day=1)
    assert date(day.year, day.month, 14) <= window.closes <= date(day.year, day.month, 20)
    assert vacancy.is_working_day(window.closes)
    between = window.closes - timedelta(days=1)
    while between.day >= 14:  # every day from the 14th to the close was not a working day
        assert not vacancy.is_working_day(between)
        between -= timedelta(days=1)


def test_bank_holidays_with_substitute_days() -> None:
    assert date(2022, 12, 27) in vacancy.bank_holidays(2022)  # Christmas on a Sunday
    assert date(2021, 12, 28) in vacancy.bank_holidays(2021)  # Boxing Day on a Sunday
    assert date(2023, 5, 8) in vacancy.bank_holidays(2023)  # the coronation
    assert date(2020, 5, 4) not in vacancy.bank_holidays(2020)  # moved to VE Day
    assert vacancy.easter_sunday(2026) == date(2026, 4, 5)
    assert len(vacancy.bank_holidays(2026)) == 8


def test_return_status_through_the_month() -> None:
    window = vacancy.return_window(date(2026, 11, 1))  # 8 to 16 November (14th a Saturday)
    assert window.closes == date(2026, 11, 16)
    status = vacancy.return_status
    assert status(window, date(2026, 11, 7), None) is ReturnStatus.NOT_OPEN
    assert status(window, date(2026, 11, 16), None) is ReturnStatus.DUE
    assert status(window, date(2026, 11, 17), None) is ReturnStatus.MISSING
    assert status(window, date(2026, 12, 1), date(2026, 11, 16)) is ReturnStatus.ON_TIME
    assert status(window, date(2026, 12, 1), date(2026, 11, 20)) is ReturnStatus.LATE


def test_which_months_may_be_returned() -> None:
    today = date(2026, 12, 2)
    assert "future" in vacancy.month_refusal(date(2027, 1, 1), today)
    assert "opens on 8 December" in vacancy.month_refusal(date(2026, 12, 1), today)
    assert vacancy.month_refusal(date(2026, 11, 1), today) is None
    assert "August 2022" in vacancy.month_refusal(date(2022, 7, 1), today)
    assert vacancy.latest_month_open(today) == date(2026, 11, 1)
    assert vacancy.latest_month_open(date(2026, 12, 8)) == date(2026, 12, 1)
    assert vacancy.latest_month_closed(date(2026, 12, 14)) == date(2026, 11, 1)
    assert vacancy.latest_month_closed(date(2026, 12, 15)) == date(2026, 12, 1)


# --- a line ----------------------------------------------------------------------------


def test_a_sound_line_has_no_errors() -> None:
    line = BedLine("general_nursing", 30, 25, 1, 2)
    assert vacancy.line_errors(line, 30) == {}
    assert line.vacant == 5
    assert line.not_available == 2


def test_occupied_above_capacity_names_the_field() -> None:
    errors = vacancy.line_errors(BedLine("general_nursing", 20, 19, 1, 1), 30)
    assert set(errors) == {"occupied"}
    assert "more than the maximum capacity (20)" in errors["occupied"]


def test_capacity_above_registered_beds_and_unregistered_types() -> None:
    assert "registered" in vacancy.line_errors(BedLine("ypd", 12, 0, 0, 0), 10)["maximum_capacity"]
    assert "no registered" in vacancy.line_errors(BedLine("ypd", 2, 0, 0, 0), None)["bed_type"]
    assert vacancy.line_errors(BedLine("ypd", 0, 0, 0, 0), None) == {}
    assert "Unknown" in vacancy.line_errors(BedLine("suites", 1, 0, 0, 0), 1)["bed_type"]
    assert "0 to 500" in vacancy.line_errors(BedLine("ypd", 5, -1, 0, 0), 10)["occupied"]


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60), st.integers(0, 60))
def test_a_line_is_sound_exactly_when_its_beds_add_up(
    capacity: int, occupied: int, reserved: int, accepting: int
) -> None:
    errors = vacancy.line_errors(
        BedLine("general_residential", capacity, occupied, reserved, accepting), 60
    )
    assert (errors == {}) == (occupied + reserved + accepting <= capacity)


# --- rates and stratification ------------------------------------------------------------


def test_vacancy_rate_is_unoccupied_over_capacity() -> None:
    assert vacancy.vacancy_rate(4, 100) == Decimal("0.0400")
    assert vacancy.vacancy_rate(1, 3) == Decimal("0.3333")
    assert vacancy.vacancy_rate(0, 0) is None
    lines = [BedLine("general_nursing", 40, 36, 0, 4), BedLine("dementia_nursing", 10, 10, 0, 0)]
    assert vacancy.lines_rate(lines) == Decimal("0.0800")


def test_financial_risk_is_strictly_above_the_threshold() -> None:
    assert vacancy.is_financial_risk(Decimal("0.2001"))
    assert not vacancy.is_financial_risk(Decimal("0.2000"))
    assert not vacancy.is_financial_risk(None)
    assert vacancy.is_financial_risk(Decimal("0.11"), Decimal("0.10"))


def test_the_only_home_of_a_specialism_in_a_zone_is_business_critical() -> None:
    offers = [
        HomeOffer(1, 10, "general_residential"),
        HomeOffer(1, 10, "dementia_nursing"),
        HomeOffer(2, 10, "general_residential"),
        HomeOffer(3, 20, "general_residential"),
        HomeOffer(3, 20, "ld_residential"),
    ]
    assert vacancy.business_critical(offers) == {
        1: ("dementia_nursing",),
        3: ("general_residential", "ld_residential"),
    }


@given(
    st.lists(
        st.tuples(st.integers(1, 8), st.integers(1, 3), st.sampled_from(["ypd", "mh_nursing"]))
    )
)
def test_business_critical_types_have_exactly_one_home(rows: list[tuple[int, int, str]]) -> None:
    offers = [HomeOffer(h, z, t) for h, z, t in rows]
    zone_of = {}
    for o in offers:
        zone_of.setdefault(o.home_id, set()).add(o.zone_id)
    for home, types in vacancy.business_critical(offers).items():
        for bed_type in types:
            homes = {
                o.home_id for o in offers if o.bed_type == bed_type and o.zone_id in zone_of[home]
            }
            assert home in homes
