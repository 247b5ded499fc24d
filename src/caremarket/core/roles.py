"""Roles and the access predicates every selector applies, in one place.

Scoping is security. A selector never trusts a URL's id: it starts from what the acting user
may see and narrows from there, so a guessed id yields 404, not someone else's record.
These predicates read only a user's attributes (role, commissioner_id, provider_id), so every
layer can use them without importing the accounts app that defines the user model.

Whether a role may take an action or open a page at all is not decided here but in
``core.permissions``, which reads these predicates; selectors use them for scoping.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.db import models


class Role(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    BROKER = "broker", "Broker"
    PRACTITIONER = "practitioner", "Practitioner"
    FINANCE = "finance", "Finance officer"
    PROVIDER = "provider", "Provider"
    PLATFORM = "platform", "Platform administrator"


COUNCIL_ROLES = frozenset({Role.COMMISSIONER, Role.BROKER, Role.PRACTITIONER, Role.FINANCE})


class Actor(Protocol):
    """What selectors need to know of a user (a signed-in User or an AnonymousUser)."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...


def role_of(user: Actor) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated else None


def commissioner_id_of(user: Actor) -> int | None:
    return getattr(user, "commissioner_id", None) if user.is_authenticated else None


def provider_id_of(user: Actor) -> int | None:
    return getattr(user, "provider_id", None) if user.is_authenticated else None


def is_platform(user: Actor) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def is_council(user: Actor) -> bool:
    return role_of(user) in COUNCIL_ROLES and commissioner_id_of(user) is not None


def is_provider(user: Actor) -> bool:
    return role_of(user) == Role.PROVIDER and provider_id_of(user) is not None


def has_role(user: Actor, roles: Iterable[str]) -> bool:
    return is_platform(user) or role_of(user) in set(roles)


COUNCIL = tuple(r.value for r in COUNCIL_ROLES)
BROKERS = (Role.BROKER.value,)
RAISERS = (Role.BROKER.value, Role.PRACTITIONER.value)
