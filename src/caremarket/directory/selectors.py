"""The public provider directory: Devon's "live platform" of providers by postcode, zone,
service and care group. Anonymous users read it, so nothing here touches prices, quality
scores or people: only who is appointed to deliver what, and where.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from caremarket.core.errors import NotFound
from caremarket.frameworks.models import Appointment, Lot, PanelMember
from caremarket.market.models import CareGroup, ServiceType, Zone
from caremarket.providers.models import Provider


def search(
    today: date,
    *,
    zones: list[Zone] | None = None,
    service_type: ServiceType | None = None,
    care_group: CareGroup | None = None,
    name: str = "",
) -> QuerySet[Provider]:
    appointments = Appointment.objects.live(today)
    panels = PanelMember.objects.live(today)
    if zones is not None:
        appointments = appointments.filter(zones__in=zones)
        panels = panels.filter(zones__in=zones)
    if service_type is not None:
        appointments = appointments.filter(lot__service_types=service_type)
        panels = panels.filter(prime__lot__service_types=service_type)
    providers = Provider.objects.filter(
        Q(pk__in=appointments.values("provider_id")) | Q(pk__in=panels.values("provider_id"))
    )
    if care_group is not None:
        providers = providers.filter(care_groups=care_group)
    if name:
        providers = providers.filter(name__icontains=name.strip())
    return providers.prefetch_related("care_groups", "service_types").order_by("name")


@dataclass
class PublicProfile:
    provider: Provider
    zones_by_commissioner: dict[str, list[Zone]] = field(default_factory=dict)
    lots: list[Lot] = field(default_factory=list)
    panels: list[PanelMember] = field(default_factory=list)


def profile(slug: str, today: date) -> PublicProfile:
    provider = (
        Provider.objects.prefetch_related(
            "care_groups", "specialisms", "service_types", "locations"
        )
        .filter(slug=slug)
        .first()
    )
    if provider is None:
        raise NotFound("No provider with that name is in the directory.")
    appointments = (
        Appointment.objects.live(today)
        .filter(provider=provider)
        .select_related("lot__framework__commissioner")
        .prefetch_related("zones")
    )
    panels = (
        PanelMember.objects.live(today)
        .filter(provider=provider)
        .select_related("prime__provider", "prime__lot__framework__commissioner")
        .prefetch_related("zones")
    )
    zones: dict[str, set[Zone]] = defaultdict(set)
    for a in appointments:
        zones[a.lot.framework.commissioner.name].update(a.zones.all())
    for p in panels:
        zones[p.prime.lot.framework.commissioner.name].update(p.zones.all())
    return PublicProfile(
        provider=provider,
        zones_by_commissioner={
            name: sorted(found, key=lambda z: z.number) for name, found in sorted(zones.items())
        },
        lots=[a.lot for a in appointments],
        panels=list(panels),
    )


def zones_served(providers: list[Provider], today: date) -> dict[int, list[Zone]]:
    """Zones each provider serves, in two queries for a whole page of results."""
    ids = [p.pk for p in providers]
    served: dict[int, set[Zone]] = defaultdict(set)
    for a in (
        Appointment.objects.live(today)
        .filter(provider_id__in=ids)
        .prefetch_related("zones__commissioner")
    ):
        served[a.provider_id].update(a.zones.all())
    for m in (
        PanelMember.objects.live(today)
        .filter(provider_id__in=ids)
        .prefetch_related("zones__commissioner")
    ):
        served[m.provider_id].update(m.zones.all())
    return {
        pid: sorted(zs, key=lambda z: (z.commissioner.name, z.number)) for pid, zs in served.items()
    }
