"""How each cell of an import is read: the messages a person sees for a bad cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.core import import_columns as c


def test_integer_reads_whole_numbers_in_range() -> None:
    parse = c.integer(0, 500)
    assert parse("12") == 12
    assert parse("250") == 250
    with pytest.raises(ValueError, match="from 0 to 500"):
        parse("501")
    with pytest.raises(ValueError, match="whole number"):
        parse("1.5")
    with pytest.raises(ValueError, match="whole number"):
        parse("9" * 40)  # no overflow, a message


def test_decimal_refuses_too_many_places_and_out_of_range() -> None:
    parse = c.decimal(2, Decimal("0.01"), Decimal("999"))
    assert parse("£19.28") == Decimal("19.28")
    with pytest.raises(ValueError, match="at most 2 decimal places"):
        parse("19.285")
    with pytest.raises(ValueError, match=r"from 0\.01 to 999"):
        parse("0")
    with pytest.raises(ValueError, match="must be a number"):
        parse("NaN")


def test_dates_read_iso_and_uk_forms_within_a_window() -> None:
    parse = c.date_value(earliest=date(2020, 1, 1), latest=date(2026, 12, 31))
    assert parse("2026-03-31") == parse("31/03/2026") == date(2026, 3, 31)
    with pytest.raises(ValueError, match="on or before 31/12/2026"):
        parse("2099-01-01")
    with pytest.raises(ValueError, match="like 2026-03-31"):
        parse("31 March")
    with pytest.raises(ValueError, match="between the years"):
        c.date_value()("1800-01-01")


def test_datetimes_are_made_aware_in_uk_time() -> None:
    moment = c.datetime_value()("2026-07-01T08:05")
    assert moment.tzinfo is not None
    assert moment.utcoffset().total_seconds() == 3600  # British Summer Time
    assert c.datetime_value()("01/07/2026 08:05") == moment
    with pytest.raises(ValueError, match="between the years 2000 and 2100"):
        c.datetime_value()("9999-01-01T00:00")


def test_choice_matches_without_case_and_lists_the_allowed() -> None:
    parse = c.choice(["OP", "LD", "MH"])
    assert parse("ld") == "LD"
    with pytest.raises(ValueError, match="LD, MH, OP"):
        parse("XX")


def test_boolean_and_text() -> None:
    assert c.boolean()("Yes") is True
    assert c.boolean()("0") is False
    with pytest.raises(ValueError, match="yes or no"):
        c.boolean()("maybe")
    with pytest.raises(ValueError, match="5 characters or fewer"):
        c.text(5)("abcdef")


@given(st.integers(min_value=-(10**17), max_value=10**17))
def test_any_integer_in_range_reads_back(number: int) -> None:
    assert c.integer()(str(number)) == number
