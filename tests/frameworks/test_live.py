"""Whether an appointment or a panel membership is live on a day: one QuerySet method each
(``Appointment.objects.live``, ``PanelMember.objects.live``), which routing, call-offs,
suggested placements, the public directory and capacity declarations all read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caremarket.core import clock
from caremarket.frameworks.models import Appointment, PanelMember

pytestmark = pytest.mark.django_db


def test_a_live_appointment_is_active_begun_and_not_ended() -> None:
    today = clock.today()
    live = set(Appointment.objects.live(today).values_list("pk", flat=True))
    assert live
    suspended, ended, ending_today, future = Appointment.objects.filter(pk__in=live)[:4]
    Appointment.objects.filter(pk=suspended.pk).update(status=Appointment.Status.SUSPENDED)
    Appointment.objects.filter(pk=ended.pk).update(ends_on=today - timedelta(days=1))
    Appointment.objects.filter(pk=ending_today.pk).update(ends_on=today)
    Appointment.objects.filter(pk=future.pk).update(
        appointed_on=today + timedelta(days=1), ends_on=None
    )
    now_live = set(Appointment.objects.live(today).values_list("pk", flat=True))
    assert now_live == live - {suspended.pk, ended.pk, future.pk}
    assert future.pk in set(
        Appointment.objects.live(today + timedelta(days=1)).values_list("pk", flat=True)
    )


def test_a_live_panel_member_has_joined_not_left_and_its_leads_appointment_is_live() -> None:
    today = clock.today()
    members = list(PanelMember.objects.live(today).select_related("prime"))
    assert len(members) >= 3
    left, joining, leaving_today = members[:3]
    PanelMember.objects.filter(pk=left.pk).update(left_on=today - timedelta(days=1))
    PanelMember.objects.filter(pk=joining.pk).update(
        joined_on=today + timedelta(days=1), left_on=None
    )
    PanelMember.objects.filter(pk=leaving_today.pk).update(left_on=today)
    live = set(PanelMember.objects.live(today).values_list("pk", flat=True))
    assert {left.pk, joining.pk}.isdisjoint(live) and leaving_today.pk in live
    # A panel is the lead's: when the lead's appointment is suspended, so is its panel.
    lead = leaving_today.prime
    Appointment.objects.filter(pk=lead.pk).update(status=Appointment.Status.SUSPENDED)
    assert not PanelMember.objects.live(today).filter(prime=lead).exists()
    # The relation managers are the same QuerySet (providers read it without importing this).
    provider = leaving_today.provider
    assert set(provider.panels.live(today)) == set(
        PanelMember.objects.live(today).filter(provider=provider)
    )
