"""The scoping predicates every delivery read starts from."""

from __future__ import annotations

from django.db.models import Q

from caremarket.core import roles
from caremarket.core.roles import Actor

NOTHING = Q(pk__in=[])


def council(user: Actor, field: str = "commissioner_id") -> Q:
    if roles.is_platform(user):
        return Q()
    if roles.is_council(user):
        return Q(**{field: roles.commissioner_id_of(user)})
    return NOTHING


def visits(user: Actor) -> Q:
    if roles.is_provider(user):
        me = roles.provider_id_of(user)
        return Q(provider_id=me) | Q(agreement__provider_id=me)
    return council(user)


def lines(user: Actor) -> Q:
    if roles.is_provider(user):
        return Q(provider_id=roles.provider_id_of(user))
    return council(user, "run__commissioner_id")
