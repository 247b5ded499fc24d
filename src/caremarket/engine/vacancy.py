"""Care home vacancy returns: the monthly window, a return's checks, vacancy rates, and
Devon's "stratification" (homes at financial risk, homes that are business critical).

Pure Python: the care_homes app adapts its rows to these functions, the sufficiency dashboard
reads the answers through the app's selectors, and a benchmark can call them directly.

Facts (docs: ../shared/reference/domain-facts.md section 1 and 7):
- Capacity Tracker's monthly window opens at the start of the 8th and runs to the end of the
  14th; when the 14th is a weekend or public holiday, to the end of the next working day
  (DHSC formal notice; Dorset's 8-16 Sep 2024 and 8-16 Dec 2024 show it).
- Bed fields: maximum capacity, occupied or used, vacant reserved, vacant accepting
  admissions; "not available for admission" was removed, so it is what is left over.
- No official occupancy formula and no council's financial-risk threshold were found: the
  vacancy rate here is (maximum capacity - occupied) / maximum capacity, i.e. every bed not
  occupied counts as a vacancy, as Devon's "vacancy rate of CQC registered beds" reads, and
  the default threshold (20%, i.e. occupancy under 80%, the line Essex and Halton name) is an
  assumption a commissioner can change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

BED_TYPES: tuple[tuple[str, str], ...] = (
    ("general_residential", "General residential"),
    ("dementia_residential", "Dementia residential"),
    ("general_nursing", "General nursing"),
    ("dementia_nursing", "Dementia nursing"),
    ("ld_residential", "Learning disability residential"),
    ("ld_nursing", "Learning disability nursing"),
    ("mh_residential", "Mental health residential"),
    ("mh_nursing", "Mental health nursing"),
    ("short_stay", "Transitional or short stay"),
    ("ypd", "Younger people with dementia"),
)
"""The categories councils report Capacity Tracker data in (FOI answers: Windsor & Maidenhead
FOI001449, Herefordshire FOI2025/00441); not confirmed as the Tracker's own taxonomy."""

BED_TYPE_LABELS = dict(BED_TYPES)
NURSING_BED_TYPES = frozenset({"general_nursing", "dementia_nursing", "ld_nursing", "mh_nursing"})
DEMENTIA_BED_TYPES = frozenset({"dementia_residential", "dementia_nursing", "ypd"})

MAX_BEDS = 500  # sane range for one home's beds of one type (assumption: no home near it)
MAX_HEADCOUNT = 2000  # sane range for one headcount on a return (assumption)
FIRST_RETURN_MONTH = date(2022, 8, 1)  # mandatory from 31 July 2022; first due 14 Aug 2022
DEFAULT_RISK_THRESHOLD = Decimal("0.20")  # assumption: occupancy under 80% (Essex, Halton)
RATE_PLACES = Decimal("0.0001")


# --- Working days and the window -------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Western Easter (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


# One-off changes to England's bank holidays (gov.uk/bank-holidays): added days, and the
# regular days that moved away.
_EXTRA = {
    date(2020, 5, 8),
    date(2022, 6, 2),
    date(2022, 6, 3),
    date(2022, 9, 19),
    date(2023, 5, 8),
}
_MOVED_AWAY = {date(2020, 5, 4), date(2022, 5, 30)}


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in a year, with substitute days."""
    easter = easter_sunday(year)
    days = {
        _monday_on_or_after(date(year, 1, 1)),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _monday_on_or_after(date(year, 5, 1)),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Monday 27 and Tuesday 28
        days |= {date(year, 12, 27), date(year, 12, 28)}
    elif christmas.weekday() == 6:  # Sunday: Boxing Day Monday, Christmas's Tuesday 27
        days |= {boxing, date(year, 12, 27)}
    elif boxing.weekday() == 5:  # Friday Christmas, Saturday Boxing Day: Monday 28
        days |= {christmas, date(year, 12, 28)}
    else:
        days |= {christmas, boxing}
    days -= _MOVED_AWAY
    days |= {d for d in _EXTRA if d.year == year}
    return frozenset(days)


def is_working_day(day: date, extra_holidays: Iterable[date] = ()) -> bool:
    return (
        day.weekday() < 5 and day not in bank_holidays(day.year) and day not in set(extra_holidays)
    )


@dataclass(frozen=True, slots=True)
class ReturnWindow:
    """When the return for ``month`` may be made on time: ``opens`` to ``closes`` inclusive."""

    month: date
    opens: date
    closes: date


def month_start(day: date) -> date:
    return day.replace(day=1)


def return_window(month: date, extra_holidays: Iterable[date] = ()) -> ReturnWindow:
    """The 8th to the 14th of the month, to the next working day when the 14th is not one."""
    first = month_start(month)
    closes = first.replace(day=14)
    holidays = tuple(extra_holidays)
    while not is_working_day(closes, holidays):
        closes += timedelta(days=1)
    return ReturnWindow(first, first.replace(day=8), closes)


class ReturnStatus(StrEnum):
    NOT_OPEN = "not_open"  # the month's window has not opened yet
    DUE = "due"  # the window is open and nothing has been returned
    ON_TIME = "on_time"
    LATE = "late"  # returned, but after the window closed
    MISSING = "missing"  # the window closed with nothing returned


STATUS_LABELS = {
    ReturnStatus.NOT_OPEN: "Not open yet",
    ReturnStatus.DUE: "Due",
    ReturnStatus.ON_TIME: "Returned",
    ReturnStatus.LATE: "Returned late",
    ReturnStatus.MISSING: "Missing",
}


def return_status(
    window: ReturnWindow, today: date, first_returned_on: date | None
) -> ReturnStatus:
    """Where a home's return for the window's month stands on ``today``. A correction after
    the window does not make an on-time return late: the first submission counts."""
    if first_returned_on is not None:
        return ReturnStatus.ON_TIME if first_returned_on <= window.closes else ReturnStatus.LATE
    if today < window.opens:
        return ReturnStatus.NOT_OPEN
    return ReturnStatus.DUE if today <= window.closes else ReturnStatus.MISSING


def month_refusal(month: date, today: date) -> str | None:
    """Why a return cannot be made for ``month`` today, or None when it can."""
    month = month_start(month)
    if month > month_start(today):
        return "A return cannot be made for a month in the future."
    if month < FIRST_RETURN_MONTH:
        return "Returns start in August 2022, when they became mandatory."
    window = return_window(month)
    if today < window.opens:
        return (
            f"The return for {month:%B %Y} opens on {window.opens.day} {window.opens:%B}: "
            "the figures must be correct on a date no earlier than the 8th."
        )
    return None


def latest_month_open(today: date) -> date:
    """The newest month a return can be made for today (this month from the 8th on)."""
    this = month_start(today)
    if today >= return_window(this).opens:
        return this
    return month_start(this - timedelta(days=1))


def latest_month_closed(today: date) -> date:
    """The newest month whose window has closed: its returns are complete (or missing), so
    the commissioner's figures and flags default to it."""
    this = month_start(today)
    if today > return_window(this).closes:
        return this
    return month_start(this - timedelta(days=1))


# --- A return's bed line ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BedLine:
    bed_type: str
    maximum_capacity: int
    occupied: int
    vacant_reserved: int
    vacant_accepting: int

    @property
    def vacant(self) -> int:
        """Every bed not occupied: reserved, accepting admissions, or not available."""
        return self.maximum_capacity - self.occupied

    @property
    def not_available(self) -> int:
        return self.maximum_capacity - self.occupied - self.vacant_reserved - self.vacant_accepting


LINE_FIELDS = ("maximum_capacity", "occupied", "vacant_reserved", "vacant_accepting")
LINE_LABELS = {
    "maximum_capacity": "Maximum capacity",
    "occupied": "Occupied",
    "vacant_reserved": "Vacant, reserved",
    "vacant_accepting": "Vacant, accepting admissions",
}


def line_errors(line: BedLine, registered: int | None) -> dict[str, str]:
    """Each field at fault -> its message; empty when the line is sound. ``registered`` is
    the home's registered beds of this type (None: the home has none of this type)."""
    label = BED_TYPE_LABELS.get(line.bed_type)
    if label is None:
        return {"bed_type": f"Unknown bed type {line.bed_type!r}."}
    errors: dict[str, str] = {}
    for field in LINE_FIELDS:
        value = getattr(line, field)
        if not 0 <= value <= MAX_BEDS:
            errors[field] = f"{label}: {LINE_LABELS[field].lower()} must be 0 to {MAX_BEDS}."
    if errors:
        return errors
    if registered is None:
        if line.maximum_capacity:
            errors["bed_type"] = f"The home has no registered {label.lower()} beds."
        return errors
    if line.maximum_capacity > registered:
        errors["maximum_capacity"] = (
            f"{label}: maximum capacity {line.maximum_capacity} is more than the "
            f"{registered} registered beds."
        )
    elif line.occupied + line.vacant_reserved + line.vacant_accepting > line.maximum_capacity:
        errors["occupied"] = (
            f"{label}: occupied ({line.occupied}) plus vacant reserved "
            f"({line.vacant_reserved}) and accepting ({line.vacant_accepting}) is more "
            f"than the maximum capacity ({line.maximum_capacity})."
        )
    return errors


# --- Rates and stratification ----------------------------------------------------------


def vacancy_rate(vacant: int, capacity: int) -> Decimal | None:
    """Vacant beds as a share of maximum capacity, to 4 places (None when no beds)."""
    if capacity <= 0:
        return None
    return (Decimal(vacant) / Decimal(capacity)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def lines_rate(lines: Iterable[BedLine]) -> Decimal | None:
    lines = list(lines)
    return vacancy_rate(sum(x.vacant for x in lines), sum(x.maximum_capacity for x in lines))


def is_financial_risk(rate: Decimal | None, threshold: Decimal = DEFAULT_RISK_THRESHOLD) -> bool:
    """A home whose vacancy rate is above the threshold (Devon: "homes declaring high numbers
    of vacancies", supported "to maintain or address business viability")."""
    return rate is not None and rate > threshold


@dataclass(frozen=True, slots=True)
class HomeOffer:
    """A home offers beds of one type in one zone."""

    home_id: int
    zone_id: int
    bed_type: str


def business_critical(offers: Iterable[HomeOffer]) -> dict[int, tuple[str, ...]]:
    """Homes that are the only one in their zone with beds of a type -> those types.

    Devon's stratification "to understand business critical homes": were such a home to
    close, nobody in the locality could be placed in that specialism.
    """
    homes_by_place: dict[tuple[int, str], set[int]] = defaultdict(set)
    for offer in offers:
        homes_by_place[(offer.zone_id, offer.bed_type)].add(offer.home_id)
    critical: dict[int, list[str]] = defaultdict(list)
    order = {code: i for i, (code, _) in enumerate(BED_TYPES)}
    for (_, bed_type), homes in homes_by_place.items():
        if len(homes) == 1:
            critical[next(iter(homes))].append(bed_type)
    return {
        home: tuple(sorted(types, key=lambda t: order.get(t, 99)))
        for home, types in critical.items()
    }
