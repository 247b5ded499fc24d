"""The dashboard's queries do not grow with the market: more day opportunity services (with
statuses), more replacement care providers (with capacity) and more imported packages cost
no more queries (no N+1 in the selectors or the templates)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caremarket.core import clock
from caremarket.insight.models import DayServiceStatus, PackageInPlace
from caremarket.insight.services import summary
from caremarket.market.models import CareGroup, ServiceType
from caremarket.providers.models import CapacityDeclaration
from tests import factories
from tests.insight.factories import devon_like

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
START = date(2024, 1, 1)


def _grow(county, framework, n: int) -> None:
    zones = list(county.zones.all()[:2])
    day = ServiceType.objects.get(code="group-day-opportunity")
    night = ServiceType.objects.get(code="replacement-care-night")
    day_lot = framework.lots.filter(service_types=day).first() or factories.lot(
        framework, zones=zones, service_types=[day]
    )
    list_lot = framework.lots.filter(service_types=night).first() or factories.lot(
        framework, zones=zones, service_types=[night]
    )
    op, care = CareGroup.objects.get(code="OP"), ServiceType.objects.get(code="personal-care")
    with summary.deferred():
        for _ in range(n):
            a = factories.appointment(day_lot, appointed_on=START)
            DayServiceStatus.objects.create(
                commissioner=county,
                appointment=a,
                status="at_risk",
                effective_from=START,
                recorded_at=clock.now(),
            )
            sitter = factories.appointment(list_lot, appointed_on=START)
            CapacityDeclaration.objects.create(
                provider=sitter.provider,
                zone=zones[0],
                service_type=night,
                hours_per_week=Decimal("2"),
                valid_from=START,
                declared_at=clock.now(),
            )
            k = PackageInPlace.objects.count()
            PackageInPlace.objects.create(
                commissioner=county,
                reference=f"Q{k}",
                person_reference=f"Q{k}",
                care_group=op,
                service_type=care,
                setting="home",
                zone=zones[0],
                hours_per_week=Decimal("3"),
                start_date=START,
            )


def test_dashboard_queries_do_not_grow_with_the_market(client) -> None:
    county = devon_like(slug="queries-county")
    framework = factories.framework(county, start_date=START)
    client.force_login(factories.council_user(county, role="commissioner"))
    url = f"/sufficiency/?as_of={START + timedelta(days=30)}&compare_with={START}"
    _grow(county, framework, 1)
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(county, framework, 12)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("Factory Care") >= 26  # every service and sitter shown
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
