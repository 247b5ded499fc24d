from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from caremarket.core import clock
from caremarket.frameworks import selectors
from caremarket.frameworks.models import Appointment, Framework, Lot, Price

pytestmark = pytest.mark.django_db


def test_devon_supporting_independence_is_as_the_seed_describes() -> None:
    si = Framework.objects.get(commissioner__slug="devon", slug="supporting-independence")
    assert si.kind == Framework.Kind.OPEN_FRAMEWORK
    assert [lot.name for lot in si.lots.all()] == [
        "Group based care and support",
        "Individualised care and support",
    ]
    assert si.lots.get(number=1).appointments.count() == 105  # seed 003, 3.6.2
    assert si.lots.get(number=1).zones.count() == 8
    windows = list(si.entry_windows.all())
    assert all(w.opens.month == 3 and w.contracts_commence.month == 10 for w in windows)


def test_entry_windows_are_decided_by_todays_date() -> None:
    si = Framework.objects.get(slug="supporting-independence")
    today = clock.today()
    summary = si.entry_summary(today)
    if summary.open_now is None:
        assert summary.next_opening is not None and summary.next_opening.opens > today
    staffs = Framework.objects.get(commissioner__slug="staffordshire")
    assert staffs.entry_summary(today).open_now is not None  # the demo's re-opening
    assert staffs.entry_summary(today + timedelta(days=365)).open_now is None


def test_isle_of_wight_pays_a_fixed_19_28_an_hour_for_eight_years_plus_two() -> None:
    iow = Framework.objects.get(commissioner__slug="isle-of-wight")
    assert iow.rates.get().amount == Decimal("19.28")
    assert iow.min_subcontract_share == Decimal("30")
    term = iow.term()
    assert (term.start, term.end, term.latest_possible_end) == (
        date(2021, 2, 1),
        date(2029, 1, 31),
        date(2031, 1, 31),
    )
    leads = Appointment.objects.filter(lot__framework=iow, prime_zones__isnull=False).distinct()
    assert leads.count() == 3
    assert all(lead.panel.count() >= 1 for lead in leads)


def test_staffordshire_bands_are_typical_hours_at_an_hourly_rate() -> None:
    staffs = Framework.objects.get(commissioner__slug="staffordshire")
    assert staffs.lots.count() == 4
    band = staffs.bands.get(level="medium", effective_from=date(2024, 3, 1))
    assert band.weekly_rate == band.typical_hours_per_week * band.hourly_rate
    assert staffs.term().latest_possible_end == date(2032, 2, 28)  # 5 years + 3


def test_the_price_in_force_follows_effective_dates(user) -> None:  # type: ignore[no-untyped-def]
    appointment = Appointment.objects.filter(lot__framework__slug="supporting-independence").first()
    zone = appointment.zones.first()
    Price.objects.filter(appointment=appointment, zone=zone).delete()
    today = clock.today()
    Price.objects.create(
        appointment=appointment,
        zone=zone,
        unit="hour",
        amount=Decimal("20.00"),
        effective_from=today - timedelta(days=400),
    )
    Price.objects.create(
        appointment=appointment,
        zone=zone,
        unit="hour",
        amount=Decimal("21.00"),
        effective_from=today,
    )
    Price.objects.create(
        appointment=appointment,
        zone=zone,
        unit="hour",
        amount=Decimal("22.00"),
        effective_from=today + timedelta(days=30),
    )
    rows = selectors.price_rows(
        user("devon.commissioner"), today, appointment=appointment, zone=zone
    )
    assert len(rows) == 1
    assert rows[0].amount == Decimal("21.00") and rows[0].effective_from == today
    assert rows[0].next_amount == Decimal("22.00")
    yesterday = selectors.price_rows(
        user("devon.commissioner"), today - timedelta(days=1), appointment=appointment, zone=zone
    )
    assert yesterday[0].amount == Decimal("20.00")


def test_the_database_refuses_impossible_records() -> None:
    appointment = Appointment.objects.first()
    zone = appointment.zones.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Price.objects.create(
            appointment=appointment,
            zone=zone,
            unit="hour",
            amount=Decimal("-1"),
            effective_from=date(2026, 1, 1),
        )
    framework = Framework.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.filter(pk=framework.pk).update(
            end_date=framework.start_date - timedelta(days=1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.filter(pk=framework.pk).update(
            award_rule="weighted", quality_weight=Decimal("70"), price_weight=Decimal("40")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.create(framework=framework, number=framework.lots.first().number, name="Twin")


def test_weights_must_add_up_to_100_for_the_weighted_rule() -> None:
    framework = Framework.objects.get(slug="living-well-at-home")
    framework.quality_weight = Decimal("55")
    with pytest.raises(ValidationError, match="add up to 100"):
        framework.clean()


def test_a_provider_sees_only_its_own_prices(user) -> None:  # type: ignore[no-untyped-def]
    provider_user = user("provider.devon")
    rows = selectors.price_rows(provider_user, clock.today())
    assert rows
    assert {r.provider_id for r in rows} == {provider_user.provider_id}
    council_rows = selectors.price_rows(user("devon.commissioner"), clock.today())
    assert len({r.provider_id for r in council_rows}) > 100


def test_council_staff_see_only_their_own_commissioners_frameworks(user) -> None:  # type: ignore[no-untyped-def]
    names = {f.commissioner.slug for f in selectors.frameworks_for(user("iow.broker"))}
    assert names == {"isle-of-wight"}
    harbour = {f.commissioner.slug for f in selectors.frameworks_for(user("provider.harbour"))}
    assert harbour == {"devon", "isle-of-wight", "staffordshire"}  # IoW: on a lead's panel
