"""Care homes' own pure rules and the chart: nearness, months, the SVG line chart."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caremarket.care_homes import presenters, rules
from caremarket.engine import postcodes


def _near(home: str, zone: int = 9) -> int:
    return rules.nearness(
        postcodes.parse("EX39 1AB"),
        home,
        home_zone_id=zone,
        search_zone_id=1,
        neighbour_zone_ids={2},
    )


def test_nearness_ranks_sector_district_zone_neighbour() -> None:
    assert _near("EX39 1ZZ") == 0
    assert _near("EX39 5AA") == 1
    assert _near("EX22 6AA", zone=1) == 2
    assert _near("EX31 1AA", zone=2) == 3
    assert _near("PL19 1AA") == 4
    assert _near("not a postcode", zone=1) == 2


def test_months_back_and_parse_month() -> None:
    assert rules.months_back(date(2026, 2, 1), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert rules.parse_month("2026-11") == date(2026, 11, 1)
    assert rules.parse_month("2026-11-30") == date(2026, 11, 1)
    assert rules.parse_month("November") is None
    assert rules.parse_month("2026-13") is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 36))
def test_months_back_are_consecutive_month_starts(latest: date, count: int) -> None:
    months = rules.months_back(latest.replace(day=1), count)
    assert len(months) == count and months[-1] == latest.replace(day=1)
    assert all(m.day == 1 for m in months)
    assert all(
        (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1
        for a, b in itertools.pairwise(months)
    )


def test_line_chart_scales_to_the_highest_rate() -> None:
    months = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    chart = presenters.line_chart(
        months,
        {"Zone 1": {months[0]: Decimal("0.04"), months[2]: Decimal("0.12")}, "Zone 2": {}},
    )
    assert chart["ticks"][-1]["label"] == "15%"
    first = chart["lines"][0]["points"].split()
    assert len(first) == 2  # the month with no return is left out, not drawn as 0
    assert first[0].startswith(f"{presenters.LEFT}.0,")
    assert chart["lines"][1]["points"] == ""
    assert chart["lines"][0]["dash"] != chart["lines"][1]["dash"]
