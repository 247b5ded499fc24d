"""How an ECM file's time is read: one reader for the row-by-row path
(``ecm_import``) and for the rows the bulk path hands to Python (``ecm_bulk``: times near a
clock change), so a visit's moment is the same whichever path stored it."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from caremarket.core import imports

_SLOW_MOMENT = imports.datetime_value()
_ZONE = timezone.get_default_timezone()


def moment(value: str) -> datetime:
    """``imports.datetime_value`` with ISO 8601 (what ECM systems send) tried first: a file
    of a million visits holds four million times, and the general parser tries the UK forms
    first. Anything else falls back to it, with its messages."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return _SLOW_MOMENT(value)  # type: ignore[no-any-return]
    if not 2000 <= parsed.year <= 2100:
        return _SLOW_MOMENT(value)  # type: ignore[no-any-return]
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_ZONE)
