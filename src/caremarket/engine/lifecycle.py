"""A referral's lifecycle: which state may follow which.

A referral is raised (submitted), put to providers (offered), placed (awarded), or joins the
awaiting-care list when nobody takes it in time; it can be withdrawn (cancelled) while not
placed. Once awarded, what follows belongs to its service agreement (varied, ended, handed
back): a handed-back package is a new referral, so the history of each stays readable.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    SUBMITTED = "submitted"
    OFFERED = "offered"
    AWAITING_CARE = "awaiting_care"
    AWARDED = "awarded"
    CANCELLED = "cancelled"


ALLOWED: dict[State, frozenset[State]] = {
    State.SUBMITTED: frozenset(
        {State.OFFERED, State.AWAITING_CARE, State.AWARDED, State.CANCELLED}
    ),
    State.OFFERED: frozenset({State.OFFERED, State.AWAITING_CARE, State.AWARDED, State.CANCELLED}),
    State.AWAITING_CARE: frozenset({State.OFFERED, State.AWARDED, State.CANCELLED}),
    State.AWARDED: frozenset(),
    State.CANCELLED: frozenset(),
}

OPEN = frozenset({State.SUBMITTED, State.OFFERED, State.AWAITING_CARE})


class TransitionError(ValueError):
    """Raised with a message fit for the person who tried."""


def check(current: str, target: str) -> None:
    now, then = State(current), State(target)
    if then not in ALLOWED[now]:
        labels = {s: s.value.replace("_", " ") for s in State}
        raise TransitionError(f"A referral that is {labels[now]} cannot become {labels[then]}.")
