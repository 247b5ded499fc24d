"""Which view of a record an API caller gets: the one place the app APIs read it.

A provider's users get the provider's view (no quality, price or bid scores, which could
reveal a rival's price; no person before the award); everyone else the council's. This
shapes what is shown; whether the caller may act at all is ``core.permissions``' question,
and which records are shown is the selectors'.
"""

from __future__ import annotations

from caremarket.core import roles
from caremarket.core.roles import Actor


def provider_view(user: Actor) -> bool:
    return roles.is_provider(user)


def shaped_for(user: Actor, *, provider: type, council: type) -> type:
    """The serializer class for the caller's view of a record."""
    return provider if provider_view(user) else council
