from __future__ import annotations

from datetime import date

import pytest

from caremarket.demo import builder
from caremarket.market.models import Zone
from caremarket.providers.models import Provider

pytestmark = pytest.mark.django_db


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
