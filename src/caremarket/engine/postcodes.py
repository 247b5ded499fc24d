"""UK postcodes: normalise what people type, and say which keys to look a zone up by.

Brokers and the public type postcodes in any case and spacing (``ex39 1ab``, ``EX391AB``).
Zones are contracted by postcode district (``EX39``) and, where a district straddles two
zones, by sector (``EX39 1``); so a lookup tries the sector first, then the district.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The outward code is an area (1-2 letters), a district number (1-2 digits) and an optional
# letter (EC1A, W1B); the inward code is a digit and two letters. This is the GOV.UK pattern
# less the special cases (GIR 0AA, overseas territories) no English council contracts by.
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


class InvalidPostcode(ValueError):
    """Raised with a message fit to show the person who typed it."""


@dataclass(frozen=True, slots=True)
class Postcode:
    outward: str
    inward: str

    def __str__(self) -> str:
        return f"{self.outward} {self.inward}"

    @property
    def district(self) -> str:
        return self.outward

    @property
    def sector(self) -> str:
        return f"{self.outward} {self.inward[0]}"

    def lookup_keys(self) -> tuple[str, str]:
        """Most specific first: a sector mapping overrides its district's."""
        return (self.sector, self.district)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def parse(text: str) -> Postcode:
    """Parse a full postcode typed by a person, in any case and spacing."""
    squashed = _squash(text)
    if not squashed:
        raise InvalidPostcode("Enter a postcode, like EX39 1AB")
    match = _FULL.match(squashed)
    if match is None:
        raise InvalidPostcode(
            f"Enter a real postcode, like EX39 1AB ({text.strip()!r} is not a UK postcode)"
        )
    return Postcode(outward=match.group(1), inward=match.group(2))


def normalise_area(text: str) -> str:
    """Normalise a district (``ex39``) or sector (``ex39 1``) code used to map zones."""
    squashed = _squash(text)
    if _OUTWARD.match(squashed):
        return squashed
    # A sector is an outward code followed by one digit.
    if len(squashed) >= 3 and squashed[-1].isdigit() and _OUTWARD.match(squashed[:-1]):
        return f"{squashed[:-1]} {squashed[-1]}"
    raise InvalidPostcode(
        f"Enter a postcode district like EX39, or a sector like EX39 1 (got {text.strip()!r})"
    )


_AREA_PARTS = re.compile(r"^([A-Z]+)(\d+)([A-Z]?)$")


def area_sort_key(code: str) -> tuple[str, int, str, str]:
    """Sort EX8 before EX10, and a district before its sectors, as people read them."""
    outward, _, sector = code.partition(" ")
    match = _AREA_PARTS.match(outward)
    if match is None:
        return (outward, 0, "", sector)
    return (match.group(1), int(match.group(2)), match.group(3), sector)
