"""The platform's clock. Every rule that depends on time asks here, so tests can move time.

Deadlines, entry windows and effective-from prices are enforced by date; reading the time in
one place means a test (or the demo generator, replaying weeks of brokerage) can set it
without patching Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def local(moment: dt.datetime) -> dt.datetime:
    """A moment in the platform's time zone (Europe/London), for messages and emails."""
    return timezone.localtime(moment)


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[None]:
    """Act as if it were ``moment``: for the demo's replayed history and for tests."""
    global _frozen
    before = _frozen
    _frozen = moment
    try:
        yield
    finally:
        _frozen = before
