from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.core.management import call_command

from caremarket.core import clock
from caremarket.demo import builder
from caremarket.frameworks.models import Appointment, Price
from caremarket.market.models import Zone
from caremarket.providers.models import Provider

pytestmark = pytest.mark.django_db


def _digest() -> str:
    rows = [
        *(f"P|{p.name}|{p.is_fictitious}" for p in Provider.objects.order_by("name")),
        *(
            f"A|{a.provider.name}|{a.lot}|{a.quality_score}|"
            f"{sorted(z.number for z in a.zones.all())}"
            for a in Appointment.objects.select_related("provider", "lot").prefetch_related("zones")
        ),
        *(
            f"£|{p.appointment.provider.name}|{p.zone.number}|{p.unit}|{p.amount}|{p.effective_from}"
            for p in Price.objects.select_related("appointment__provider", "zone")
        ),
    ]
    return hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()


@pytest.mark.slow
def test_the_demo_is_deterministic_for_a_seed_and_date() -> None:
    before = _digest()
    call_command("flush", interactive=False, verbosity=0)
    assert not Provider.objects.exists()
    builder.build(as_of=clock.today())
    assert _digest() == before


def test_every_provider_in_the_demo_is_labelled_fictitious() -> None:
    assert not Provider.objects.filter(is_fictitious=False).exists()
    assert all(p.display_name.endswith("(fictitious)") for p in Provider.objects.all()[:20])


def test_the_demo_carries_the_seed_figures() -> None:
    assert Zone.objects.filter(commissioner__slug="devon").count() == 8
    assert Zone.objects.filter(commissioner__slug="isle-of-wight").count() == 3
    towns = set(
        Zone.objects.get(commissioner__slug="devon", number=2).towns.values_list("name", flat=True)
    )
    assert towns == {"Ilfracombe", "Lynton/Lynmouth", "Barnstaple", "South Molton"}  # seed 000


def test_dates_are_laid_out_around_the_build_day() -> None:
    assert builder.is_built()
    from caremarket.demo.devon import contract_year

    assert contract_year(date(2026, 11, 22)) == 2026
    assert contract_year(date(2026, 9, 30)) == 2025
