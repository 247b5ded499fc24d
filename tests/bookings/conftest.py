from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from caremarket.core import clock


@pytest.fixture
def clock_at() -> Iterator[Callable[[datetime], None]]:
    """Move the platform's clock for the rest of the test."""
    stack: list[object] = []

    def move(moment: datetime) -> None:
        frozen = clock.frozen_at(moment)
        frozen.__enter__()
        stack.append(frozen)

    yield move
    while stack:
        stack.pop().__exit__(None, None, None)  # type: ignore[attr-defined]
