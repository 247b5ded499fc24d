"""The demo's accounts: one password for every fictitious user, and one way to make a user.

Kept apart from ``builder`` so that the demo's parts (rooms, care homes, delivery, pricing,
insight), which ``builder`` calls, can make their own accounts without importing it back.
"""

from __future__ import annotations

from typing import Any

from caremarket.accounts.models import User

DEMO_PASSWORD = "caremarket-demo"  # noqa: S105 - printed for the demo's fictitious accounts


def demo_user(username: str, role: str, first: str, last: str, **fields: Any) -> User:
    """A demo account (``commissioner=`` or ``provider=`` says whose), signed in with
    ``DEMO_PASSWORD``, with an address at caremarket.example (a domain nobody receives at)."""
    return User.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        role=role,
        first_name=first,
        last_name=last,
        email=f"{username}@caremarket.example",
        **fields,
    )
