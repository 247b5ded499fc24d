"""Band reviews (Staffordshire): a person moved to another band from a date, the agreement
varied at the new band's weekly rate, the provider told, each band held kept."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.brokerage.models import Notification
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.frameworks.models import Band, Framework
from caremarket.pricing import selectors
from caremarket.pricing.services import bands
from tests import factories
from tests.pricing import factories as pf

pytestmark = pytest.mark.django_db


def _banded() -> tuple[object, Band, Band]:
    framework = factories.framework(pricing_model=Framework.PricingModel.BANDED_WEEKLY_RATE)
    lot = factories.lot(framework)
    start = framework.start_date
    low = Band.objects.create(
        framework=framework,
        level="low",
        typical_hours_per_week=Decimal("10"),
        hourly_rate=Decimal("25.70"),
        effective_from=start,
    )
    high = Band.objects.create(
        framework=framework,
        level="high",
        typical_hours_per_week=Decimal("42"),
        hourly_rate=Decimal("25.70"),
        effective_from=start,
    )
    agreement = pf.agreement(lot, units="1", price=str(low.weekly_rate), unit="week", band=low)
    return agreement, low, high


def test_a_band_review_varies_the_agreement_at_the_new_bands_rate() -> None:
    agreement, low, high = _banded()
    by = factories.council_user(agreement.commissioner)
    day = clock.today() + timedelta(days=7)
    review = bands.review_band(
        agreement,
        by=by,
        level="high",
        effective_from=day,
        reason="Needs increased after a fall.",
        evidence="OT assessment 12 Nov.",
    )
    assert review.from_band == low and review.to_band == high
    assert agreement.terms_on(day).unit_price == Decimal("1079.40")  # 42 x 25.70
    assert agreement.terms_on(day - timedelta(days=1)).unit_price == Decimal("257.00")
    history = selectors.band_history(agreement)
    assert [(h.band, h.since, h.until) for h in history] == [
        ("Low", agreement.start_date, day),
        ("High", day, None),
    ]
    assert Notification.objects.filter(subject__contains=agreement.reference).exists()


def test_a_band_review_needs_a_reason_evidence_and_a_different_band() -> None:
    agreement, _, _ = _banded()
    by = factories.council_user(agreement.commissioner)
    day = clock.today() + timedelta(days=7)
    with pytest.raises(Invalid) as refused:
        bands.review_band(
            agreement, by=by, level="high", effective_from=day, reason="", evidence=""
        )
    assert set(refused.value.errors) == {"reason", "evidence"}
    with pytest.raises(Invalid, match="already in the Low band"):
        bands.review_band(
            agreement, by=by, level="low", effective_from=day, reason="x", evidence="y"
        )
    assert agreement.variations.count() == 1


def test_the_band_review_page_shows_the_bands_held_and_records_a_review() -> None:
    from django.test import Client

    agreement, _, _ = _banded()
    client = Client()
    client.force_login(factories.council_user(agreement.commissioner, role="practitioner"))
    url = f"/pricing/agreements/{agreement.pk}/band-review/"
    assert "Low" in client.get(url).content.decode()
    day = clock.today() + timedelta(days=3)
    done = client.post(
        url,
        {
            "level": "high",
            "effective_from_0": day.day,
            "effective_from_1": day.month,
            "effective_from_2": day.year,
            "reason": "More care needed.",
            "evidence": "Review notes.",
        },
    )
    assert done.status_code == 302
    assert "High" in client.get(url + "?format=csv").content.decode()
