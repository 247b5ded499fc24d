from __future__ import annotations


class BrokerageError(Exception):
    """A rule stopped the change; the message is for the person who asked, and nothing
    was changed. Views show it in the error summary; the API returns it as a 400 or 409."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(BrokerageError):
    """Someone else got there first (the referral is already placed, the offer answered)."""

    status = 409


class DeadlinePassed(Conflict):
    pass
