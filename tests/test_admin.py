"""The back office is scoped: a commissioner's staff edit only their own records."""

from __future__ import annotations

import pytest

from caremarket.frameworks.models import Appointment, Price
from caremarket.market.models import Zone

pytestmark = pytest.mark.django_db


def test_commissioner_staff_list_only_their_own_zones(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("devon.commissioner").get("/admin/market/zone/").content.decode()
    assert "Bideford" in page or "Zone 1" in page
    assert "West and Central" not in page


def test_another_commissioners_record_cannot_be_opened(client_for) -> None:  # type: ignore[no-untyped-def]
    iow_zone = Zone.objects.get(commissioner__slug="isle-of-wight", number=1)
    response = client_for("devon.commissioner").get(f"/admin/market/zone/{iow_zone.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect
    iow_price_count = Price.objects.filter(
        appointment__lot__framework__commissioner__slug="isle-of-wight"
    ).count()
    assert iow_price_count == 0


def test_choices_in_back_office_forms_are_scoped(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("devon.commissioner").get("/admin/frameworks/appointment/add/")
    assert response.status_code == 200
    lot_choices = {str(c[1]) for c in response.context["adminform"].form.fields["lot"].choices}
    assert any("Group based care" in c for c in lot_choices)
    assert not any("Group 1: specialist mental health" in c for c in lot_choices)


def test_every_commissioning_record_keeps_its_history(client_for) -> None:  # type: ignore[no-untyped-def]
    appointment = Appointment.objects.filter(lot__framework__commissioner__slug="devon").first()
    client = client_for("devon.commissioner")
    response = client.get(f"/admin/frameworks/appointment/{appointment.pk}/history/")
    assert response.status_code == 200
    appointment.quality_score = 91
    appointment.save()
    assert appointment.history.count() >= 1
    assert appointment.history.first().quality_score == 91


def test_providers_and_practitioners_have_no_back_office(client_for) -> None:  # type: ignore[no-untyped-def]
    for who in ("provider.devon", "devon.practitioner"):
        assert client_for(who).get("/admin/").status_code == 302


def test_the_platform_administrator_sees_everything(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("admin").get("/admin/market/zone/").content.decode()
    assert "West and Central" in page and "Exeter" in page
