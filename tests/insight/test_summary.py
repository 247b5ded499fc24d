"""The running totals (``services.summary``, read by ``selectors.totals``) give the same
figures as counting the records themselves, on every day, for histories with overlapping
packages, open ends, one-day packages and a person in two care groups; and they stay current
on every kind of write (save, delete, bulk write under ``deferred``)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from caremarket.insight.models import AwaitingCareRecord, FigureChange, Measure, PackageInPlace
from caremarket.insight.selectors import totals
from caremarket.insight.services import summary
from caremarket.market.models import CareGroup, ServiceType
from tests.insight.factories import devon_like

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
START = date(2020, 1, 1)


def _random_history(commissioner, rng: random.Random) -> None:
    groups = list(CareGroup.objects.order_by("pk")[:3])
    services = list(ServiceType.objects.filter(code__in=["personal-care", "group-day-opportunity"]))
    zones = list(commissioner.zones.all()[:3])
    with summary.deferred():
        for n in range(120):
            start = START + timedelta(days=rng.randint(0, 60))
            end = rng.choice([None, start, start + timedelta(days=rng.randint(0, 40))])
            PackageInPlace.objects.create(
                commissioner=commissioner,
                reference=f"PK{n}",
                person_reference=f"P{rng.randint(1, 25)}",  # many overlaps per person
                care_group=rng.choice(groups),
                service_type=rng.choice(services),
                setting=rng.choice(["home", "group"]),
                zone=rng.choice(zones),
                hours_per_week=rng.choice([None, Decimal(rng.randint(1, 30)) / 2]),
                band="",
                start_date=start,
                end_date=end,
            )
        for n in range(60):
            since = START + timedelta(days=rng.randint(0, 60))
            resolved = rng.choice([None, since, since + timedelta(days=rng.randint(1, 30))])
            AwaitingCareRecord.objects.create(
                commissioner=commissioner,
                reference=f"AW{n}",
                person_reference=f"W{rng.randint(1, 15)}",
                zone=rng.choice(zones),
                care_group=groups[0],
                service_type=services[0],
                hours_per_week=Decimal(rng.randint(1, 20)),
                awaiting_since=since,
                resolved_on=resolved,
            )


def _counted(commissioner, day: date) -> dict[tuple[str, int, str], Decimal]:
    """The figures counted over the records, the slow way."""
    out: dict[tuple[str, int, str], Decimal] = {}
    live = PackageInPlace.objects.live(day).filter(commissioner=commissioner)
    for r in live.values("care_group_id", "setting").annotate(
        n=Count("person_reference", distinct=True)
    ):
        out[(Measure.PEOPLE_GROUP, r["care_group_id"], r["setting"])] = Decimal(r["n"])
    for r in live.values("setting").annotate(n=Count("person_reference", distinct=True)):
        out[(Measure.PEOPLE_SETTING, 0, r["setting"])] = Decimal(r["n"])
    for r in live.values("service_type_id").annotate(n=Count("person_reference", distinct=True)):
        out[(Measure.PEOPLE_SERVICE, r["service_type_id"], "")] = Decimal(r["n"])
    for r in (
        live.filter(hours_per_week__isnull=False)
        .values("zone_id")
        .annotate(h=Sum("hours_per_week"))
    ):
        out[(Measure.HOURS_ZONE, r["zone_id"], "")] = Decimal(str(r["h"])).quantize(Decimal("0.01"))
    waiting = AwaitingCareRecord.objects.live(day).filter(commissioner=commissioner)
    for r in waiting.values("zone_id").annotate(
        h=Sum("hours_per_week"), n=Count("person_reference", distinct=True)
    ):
        out[(Measure.AWAITING_HOURS, r["zone_id"], "")] = Decimal(str(r["h"])).quantize(
            Decimal("0.01")
        )
        out[(Measure.AWAITING_PEOPLE, r["zone_id"], "")] = Decimal(r["n"])
    return {k: v for k, v in out.items() if v}


def test_running_totals_equal_counts_over_the_records_on_every_day() -> None:
    commissioner = devon_like(slug="summary-random")
    _random_history(commissioner, random.Random(13))
    days = [START + timedelta(days=n) for n in range(-1, 110, 3)]
    read = totals.on(commissioner, days)
    for day in days:
        got = {k: v.quantize(Decimal("0.01")) for k, v in read[day].items()}
        want = {k: v.quantize(Decimal("0.01")) for k, v in _counted(commissioner, day).items()}
        assert got == want, day


def test_save_and_delete_refresh_the_totals_in_the_same_transaction() -> None:
    commissioner = devon_like(slug="summary-signals")
    zone = commissioner.zones.get(number=1)
    package = PackageInPlace.objects.create(
        commissioner=commissioner,
        reference="PK1",
        person_reference="P1",
        care_group=CareGroup.objects.get(code="OP"),
        service_type=ServiceType.objects.get(code="personal-care"),
        setting="home",
        zone=zone,
        hours_per_week=Decimal("10"),
        start_date=date(2021, 1, 1),
        end_date=date(2021, 1, 31),
    )
    key = (Measure.HOURS_ZONE, zone.pk, "")
    assert totals.on(commissioner, [date(2021, 1, 31)])[date(2021, 1, 31)][key] == 10
    assert key not in totals.on(commissioner, [date(2021, 2, 1)])[date(2021, 2, 1)]
    package.hours_per_week = Decimal("12.5")
    package.save()
    assert totals.on(commissioner, [date(2021, 1, 15)])[date(2021, 1, 15)][key] == Decimal("12.5")
    package.delete()
    assert not FigureChange.objects.filter(commissioner=commissioner).exists()


def test_deferred_refreshes_once_and_not_after_a_failure() -> None:
    commissioner = devon_like(slug="summary-deferred")
    with pytest.raises(RuntimeError), summary.deferred() as pending:
        _random_history(commissioner, random.Random(1))
        assert commissioner.pk in pending
        assert not FigureChange.objects.filter(commissioner=commissioner).exists()
        raise RuntimeError("the writer failed")
    summary.refresh(commissioner.pk)
    assert FigureChange.objects.filter(commissioner=commissioner).exists()
