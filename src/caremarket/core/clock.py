"""The platform's clock. Every rule that depends on time asks here, so tests can move time.

Deadlines, entry windows and effective-from prices are enforced by date; reading the time in
one place means a test (or a replay) can pin it without patching Django.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())
