"""Writes about providers: declaring spare capacity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.market.models import ServiceType, Zone
from caremarket.providers.models import CapacityDeclaration, Provider


def zones_served(provider: Provider, today: date) -> list[Zone]:
    """Zones the provider may declare capacity in: where it is appointed, or on a lead's panel."""
    # The frameworks app owns "live" (``Appointment.objects.live``, ``PanelMember.objects.live``);
    # its managers serve these reverse relations too, so providers need not import it.
    appointed = Zone.objects.filter(appointments__in=provider.appointments.live(today))
    panel = Zone.objects.filter(panel_members__in=provider.panels.live(today))
    return list(
        (appointed | panel)
        .distinct()
        .select_related("commissioner")
        .order_by("commissioner__name", "number")
    )


@transaction.atomic
def declare_capacity(
    provider: Provider,
    *,
    zone: Zone,
    service_type: ServiceType,
    hours_per_week: Decimal,
    valid_from: date | None = None,
    by: Any = None,
) -> CapacityDeclaration:
    today = clock.today()
    valid_from = valid_from or today
    if valid_from < today:
        raise Invalid({"valid_from": "Capacity is declared from today or later."})
    if hours_per_week is None or not Decimal("0") <= hours_per_week <= Decimal("1000"):
        raise Invalid({"hours_per_week": "Hours a week must be between 0 and 1,000."})
    if hours_per_week % Decimal("0.25"):
        raise Invalid({"hours_per_week": "Give hours in quarters of an hour."})
    if zone not in zones_served(provider, today):
        raise Invalid({"zone": f"You are not appointed in {zone.label}."})
    if service_type not in provider.service_types.all():
        raise Invalid({"service_type": f"You do not offer {service_type.name.lower()}."})
    return CapacityDeclaration.objects.create(
        provider=provider,
        zone=zone,
        service_type=service_type,
        hours_per_week=hours_per_week,
        valid_from=valid_from,
        declared_at=clock.now(),
        declared_by=by if getattr(by, "pk", None) else None,
    )


def current_declarations(provider: Provider, today: date) -> list[CapacityDeclaration]:
    latest: dict[tuple[int, int], CapacityDeclaration] = {}
    for d in (
        CapacityDeclaration.objects.filter(provider=provider, valid_from__lte=today)
        .select_related("zone__commissioner", "service_type")
        .order_by("valid_from", "declared_at")
    ):
        latest[(d.zone_id, d.service_type_id)] = d
    return sorted(
        latest.values(),
        key=lambda d: (d.zone.commissioner.name, d.zone.number, d.service_type.name),
    )
