"""Due work that makes the platform prompt: each app registers its jobs, ``caremarket tick``
runs them all.

Correctness never depends on a job here: deadlines, expiries and windows are computed on read
(ADR 0007). A job only makes a change visible sooner (a status stored, an email sent, a
queued import run).
"""

from __future__ import annotations

from collections.abc import Callable

Job = Callable[[], int]
_JOBS: dict[str, Job] = {}


def register(name: str, job: Job) -> None:
    """Register a job (in an AppConfig.ready()); it returns how many things it did."""
    _JOBS[name] = job


def run_all() -> dict[str, int]:
    """One pass of every registered job, in the order they were registered."""
    return {name: job() for name, job in _JOBS.items()}
