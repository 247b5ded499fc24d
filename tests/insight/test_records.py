"""The records behind a figure are sorted and paged by the database: the page shows 50 in
the asked order, the next page the next 50, and the CSV every record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from caremarket.insight.models import PackageInPlace
from caremarket.insight.services import summary
from caremarket.market.models import CareGroup, ServiceType
from tests import factories
from tests.insight.factories import devon_like

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_drill_down_pages_in_the_databases_order(client) -> None:
    county = devon_like(slug="records-county")
    zone = county.zones.get(number=3)
    op, care = CareGroup.objects.get(code="OP"), ServiceType.objects.get(code="personal-care")
    with summary.deferred():
        for n in range(120):
            PackageInPlace.objects.create(
                commissioner=county,
                reference=f"PK{n:03d}",
                person_reference=f"P{n}",
                care_group=op,
                service_type=care,
                setting="home",
                zone=zone,
                hours_per_week=Decimal(1 + n % 40),
                start_date=date(2020, 1, 1),
            )
    client.force_login(factories.council_user(county))
    url = "/sufficiency/packages/?zone=3&as_of=2020-06-01&sort=hours_per_week&order=desc"
    first = client.get(url).content.decode()
    assert first.count('<tr class="govuk-table__row">') == 51  # header + 50
    assert first.index("PK039") < first.index("PK079")  # 40 hours, then 40 hours by pk
    second = client.get(url + "&page=3").content.decode()
    assert second.count('<tr class="govuk-table__row">') == 21
    csv = client.get(url + "&format=csv").content.decode()
    assert len(csv.strip().splitlines()) == 121
