"""Capacity may be declared only for the services and zones a provider is appointed for, and
the page shows what remains after awards (issue 14)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from caremarket.brokerage import allocation
from caremarket.core import clock
from caremarket.market.models import ServiceType
from caremarket.providers import services as provider_services
from caremarket.providers.models import CapacityDeclaration
from tests.brokerage.support import account

pytestmark = pytest.mark.django_db


def test_only_appointed_services_and_zones_can_be_declared(client_for: Any) -> None:
    harbour = account("provider.harbour")
    pairs = allocation.appointed_for(harbour.provider_id, clock.today())
    assert pairs
    hourly = set(ServiceType.objects.filter(unit="hour").values_list("pk", flat=True))
    # Capacity is declared in hours: the first appointed pair for an hourly service.
    served = {z.pk for z in provider_services.zones_served(harbour.provider, clock.today())}
    zone_id, service_id = sorted(p for p in pairs if p[1] in hourly and p[0] in served)[0]
    not_appointed = (
        ServiceType.objects.filter(unit="hour")
        .exclude(pk__in={s for z, s in pairs if z == zone_id})
        .first()
    )
    client = client_for("provider.harbour")
    page = client.get("/inbox/capacity/").content.decode()
    assert "what remains" in page
    declared = CapacityDeclaration.objects.count()
    if not_appointed is not None:
        refused = client.post(
            "/inbox/capacity/",
            {"zone": zone_id, "service_type": not_appointed.pk, "hours_per_week": "10"},
        )
        assert refused.status_code == 200
        assert CapacityDeclaration.objects.count() == declared
    done = client.post(
        "/inbox/capacity/", {"zone": zone_id, "service_type": service_id, "hours_per_week": "12"}
    )
    assert done.status_code == 302
    assert CapacityDeclaration.objects.count() == declared + 1


def test_what_remains_is_the_declaration_less_the_hours_awarded_since() -> None:
    harbour = account("provider.harbour")
    zone_id, service_id = sorted(allocation.appointed_for(harbour.provider_id, clock.today()))[0]
    d = CapacityDeclaration.objects.create(
        provider=harbour.provider,
        zone_id=zone_id,
        service_type_id=service_id,
        hours_per_week=Decimal("12"),
        valid_from=clock.today(),
        declared_at=clock.now(),
    )
    [row] = allocation.remaining_capacity([d])
    assert row.remaining == Decimal("12") - row.placed
    assert row.placed == allocation.placed_since(d)
