"""Reads of providers, scoped to the acting user.

Council staff see the providers their commissioner works with (appointed on a lot, or on a
lead provider's panel). Provider users see their own organisation.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from caremarket.core import roles as access
from caremarket.core.errors import Invalid, NotFound
from caremarket.core.roles import Actor
from caremarket.providers.models import CapacityDeclaration, Provider


def providers_for(user: Actor, search: str = "") -> QuerySet[Provider]:
    qs = Provider.objects.all()
    if access.is_platform(user):
        pass
    elif access.is_council(user):
        commissioner = access.commissioner_id_of(user)
        qs = qs.filter(
            Q(appointments__lot__framework__commissioner_id=commissioner)
            | Q(panels__prime__lot__framework__commissioner_id=commissioner)
        ).distinct()
    elif access.is_provider(user):
        qs = qs.filter(pk=access.provider_id_of(user))
    else:
        return qs.none()
    if search:
        qs = qs.filter(name__icontains=search.strip())
    return qs.prefetch_related("care_groups", "specialisms").order_by("name")


def provider_for(user: Actor, pk: int) -> Provider:
    provider = (
        providers_for(user).prefetch_related("locations", "service_types").filter(pk=pk).first()
    )
    if provider is None:
        raise NotFound("No provider here that you can see.")
    return provider


def provider_by_slug(slug: str, field: str = "provider") -> Provider:
    """Any provider, by the slug a request names (providers are shared by every commissioner;
    whether this one may be chosen is the service's rule). An unknown slug is bad input on
    ``field``, not a 404: the page asked for exists, the body is wrong."""
    provider = Provider.objects.filter(slug=slug).first()
    if provider is None:
        raise Invalid({field: "No provider with that slug."})
    return provider


def capacity_for(user: Actor) -> QuerySet[CapacityDeclaration]:
    """A provider's own declarations; council staff see those made in their zones."""
    qs = CapacityDeclaration.objects.select_related(
        "provider", "zone__commissioner", "service_type"
    ).order_by("-declared_at")
    if access.is_provider(user):
        return qs.filter(provider_id=access.provider_id_of(user))
    if access.is_platform(user):
        return qs
    if access.is_council(user):
        return qs.filter(zone__commissioner_id=access.commissioner_id_of(user))
    return qs.none()
