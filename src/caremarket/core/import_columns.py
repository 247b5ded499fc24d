"""The columns of an import file and how each cell is read.

A parser takes the cell's text (already stripped; never empty: an empty optional cell is None
without calling it) and returns the value, or raises ``ValueError`` with a message a person can
act on ("must be a whole number from 0 to 500"). The importer reports it with the line and the
column, so every import in the platform words its errors the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """One column of a file: its header, how a cell is read, and whether it must be filled."""

    name: str
    parse: Parser
    required: bool = True
    help: str = ""


def text(max_length: int = 255) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"must be {max_length} characters or fewer")
        return value

    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(value: str) -> int:
        if not re.fullmatch(r"[+-]?\d{1,18}", value.replace(",", "")):
            raise ValueError(f"must be a whole number{_range(minimum, maximum)}")
        number = int(value.replace(",", ""))
        _check_range(number, minimum, maximum)
        return number

    return parse


def decimal(
    places: int = 2, minimum: Decimal | int | None = None, maximum: Decimal | int | None = None
) -> Parser:
    def parse(value: str) -> Decimal:
        cleaned = value.replace(",", "").lstrip("£")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"must be a number{_range(minimum, maximum)}") from None
        if not number.is_finite():
            raise ValueError(f"must be a number{_range(minimum, maximum)}")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise ValueError(f"must have at most {places} decimal places")
        _check_range(number, minimum, maximum)
        return number

    return parse


def date_value(earliest: date | None = None, latest: date | None = None) -> Parser:
    """ISO dates (2026-03-31) or the UK's day/month/year (31/03/2026)."""

    def parse(value: str) -> date:
        day = _parse_date(value)
        if earliest is not None and day < earliest:
            raise ValueError(f"must be on or after {earliest:%d/%m/%Y}")
        if latest is not None and day > latest:
            raise ValueError(f"must be on or before {latest:%d/%m/%Y}")
        return day

    return parse


def datetime_value() -> Parser:
    """ISO 8601 (2026-03-31T08:05, with or without seconds and offset) or 31/03/2026 08:05;
    a time with no offset is read in the platform's time zone (UK time)."""

    def parse(value: str) -> datetime:
        moment = None
        for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"):
            try:
                moment = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError("must be a date and time like 2026-03-31T08:05") from None
        if not 2000 <= moment.year <= 2100:
            raise ValueError("must be a date and time between the years 2000 and 2100")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    return parse


def choice(values: Iterable[str]) -> Parser:
    """One of a list of codes, matched without regard to case."""
    allowed = {v.lower(): v for v in values}

    def parse(value: str) -> str:
        try:
            return allowed[value.lower()]
        except KeyError:
            raise ValueError("must be one of " + ", ".join(sorted(allowed.values()))) from None

    return parse


def boolean() -> Parser:
    def parse(value: str) -> bool:
        lowered = value.lower()
        if lowered in {"yes", "y", "true", "1"}:
            return True
        if lowered in {"no", "n", "false", "0"}:
            return False
        raise ValueError("must be yes or no")

    return parse


def _parse_date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not 1900 <= day.year <= 2100:
            raise ValueError("must be a date between the years 1900 and 2100")
        return day
    raise ValueError("must be a date like 2026-03-31 or 31/03/2026")


def _range(minimum: Any, maximum: Any) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f" of at least {minimum}"
    if maximum is not None:
        return f" of at most {maximum}"
    return ""


def _check_range(number: Any, minimum: Any, maximum: Any) -> None:
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ValueError(f"must be{_range(minimum, maximum)}")
