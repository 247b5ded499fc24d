from datetime import date

import pytest

from caremarket.engine.terms import Term, Window, WindowState, add_months, summarise

SPRING_2026 = Window(date(2026, 3, 1), date(2026, 5, 31), date(2026, 10, 1))
SPRING_2027 = Window(date(2027, 3, 1), date(2027, 5, 31), date(2027, 10, 1))


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 2, 28), WindowState.UPCOMING),
        (date(2026, 3, 1), WindowState.OPEN),
        (date(2026, 5, 31), WindowState.OPEN),
        (date(2026, 6, 1), WindowState.CLOSED),
    ],
)
def test_a_window_is_open_from_its_first_day_to_its_last(today: date, state: WindowState) -> None:
    assert SPRING_2026.state(today) is state


def test_summary_names_the_open_window_or_the_next_opening() -> None:
    during = summarise([SPRING_2027, SPRING_2026], date(2026, 4, 15))
    assert during.open_now == SPRING_2026 and during.next_opening == SPRING_2027
    between = summarise([SPRING_2026, SPRING_2027], date(2026, 11, 22))
    assert between.open_now is None
    assert between.next_opening == SPRING_2027
    assert between.last_closed == SPRING_2026
    after = summarise([SPRING_2026, SPRING_2027], date(2028, 1, 1))
    assert after.open_now is None and after.next_opening is None


def test_windows_refuse_impossible_dates() -> None:
    with pytest.raises(ValueError):
        Window(date(2026, 5, 31), date(2026, 3, 1))
    with pytest.raises(ValueError):
        Window(date(2026, 3, 1), date(2026, 5, 31), contracts_commence=date(2026, 5, 1))


def test_months_are_calendar_months_clamped_to_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2029, 1, 31), 24) == date(2031, 1, 31)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_a_term_extends_only_by_the_options_exercised() -> None:
    # Isle of Wight: 8 years from 1 February 2021, up to 2 more at the council's discretion.
    term = Term(date(2021, 2, 1), date(2029, 1, 31), extension_months=(24,))
    assert term.current_end == date(2029, 1, 31)
    assert term.latest_possible_end == date(2031, 1, 31)
    assert term.is_live(date(2026, 11, 22))
    extended = Term(date(2021, 2, 1), date(2029, 1, 31), (24,), extensions_exercised=1)
    assert extended.current_end == date(2031, 1, 31)
    assert not term.is_live(date(2029, 2, 1))
    with pytest.raises(ValueError):
        Term(date(2021, 2, 1), date(2029, 1, 31), (24,), extensions_exercised=2)
