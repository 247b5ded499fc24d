"""Care homes tests run on 10 December 2026, inside December's return window (8 to 14)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from caremarket.core import clock

DAY = datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def in_the_window() -> Iterator[None]:
    with clock.frozen_at(DAY):
        yield
