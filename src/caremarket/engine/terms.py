"""Framework terms and entry windows, decided by date rather than by a flag someone flips.

Devon's Supporting Independence framework opens each spring to new providers, with contracts
commencing the following October; Staffordshire reserves the right to re-open its framework.
Whether a window is open, and when the next one opens, is a function of today's date.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class WindowState(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Window:
    opens: date
    closes: date
    contracts_commence: date | None = None

    def __post_init__(self) -> None:
        if self.closes < self.opens:
            raise ValueError("an entry window cannot close before it opens")
        if self.contracts_commence is not None and self.contracts_commence < self.closes:
            raise ValueError("contracts cannot commence before the entry window closes")

    def state(self, today: date) -> WindowState:
        if today < self.opens:
            return WindowState.UPCOMING
        if today <= self.closes:
            return WindowState.OPEN
        return WindowState.CLOSED


@dataclass(frozen=True, slots=True)
class EntrySummary:
    """What a provider wants to know: can I apply now, and if not, when?"""

    open_now: Window | None
    next_opening: Window | None
    last_closed: Window | None


def summarise(windows: Iterable[Window], today: date) -> EntrySummary:
    ordered = sorted(windows, key=lambda w: (w.opens, w.closes))
    open_now = next((w for w in ordered if w.state(today) is WindowState.OPEN), None)
    upcoming = [w for w in ordered if w.state(today) is WindowState.UPCOMING]
    closed = [w for w in ordered if w.state(today) is WindowState.CLOSED]
    return EntrySummary(
        open_now=open_now,
        next_opening=upcoming[0] if upcoming else None,
        last_closed=closed[-1] if closed else None,
    )


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Term:
    """A contract term: start, initial end, and extension options in months."""

    start: date
    end: date
    extension_months: tuple[int, ...] = ()
    extensions_exercised: int = 0

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a term cannot end before it starts")
        if not 0 <= self.extensions_exercised <= len(self.extension_months):
            raise ValueError("cannot exercise more extensions than the term offers")

    @property
    def current_end(self) -> date:
        return add_months(self.end, sum(self.extension_months[: self.extensions_exercised]))

    @property
    def latest_possible_end(self) -> date:
        return add_months(self.end, sum(self.extension_months))

    def is_live(self, today: date) -> bool:
        return self.start <= today <= self.current_end
