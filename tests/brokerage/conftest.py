"""Fixtures for the brokerage tests: a clock the test moves, and the market for tests that
commit (races in threads, the browser against a live server)."""

from __future__ import annotations

import inspect

import pytest

from caremarket.core import clock as clock_module
from tests.brokerage.support import MovableClock, just_after_now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    """Pin ``caremarket.core.clock.now`` (and so ``today``) just after now; tests move it.

    Every service and selector reads the time through that module, so moving this clock is
    how a test makes a deadline pass without waiting and without a worker. In a live-server
    test the server runs in a thread of this process, so it sees the same clock.
    """
    pinned = MovableClock(just_after_now())
    monkeypatch.setattr(clock_module, "now", pinned.now)
    return pinned


@pytest.fixture
def market(transactional_db: None) -> None:
    """The demo market for a test that commits (``transactional_db`` flushes afterwards).

    Like ``demo_market``, but when a flush has emptied the database it rebuilds the market
    without the demo's replayed brokerage history, which these tests never read and which is
    most of the build's time. The first such test on a worker still sees the full demo.
    """
    from caremarket.demo import builder

    if builder.is_built():
        return
    quick = {"with_brokerage": False}
    if "with_brokerage" not in inspect.signature(builder.build).parameters:
        quick = {}
    builder.build(as_of=clock_module.today(), **quick)
