"""The core path: pattern -> planned visits -> recorded visits -> verified -> pay run -> paid."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from caremarket.core.errors import Conflict, Invalid
from caremarket.delivery.models import PayLine, PayRun, PlannedVisit, Visit
from caremarket.delivery.services import lines, payruns, planning, recording
from tests.delivery import factories as d

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)


@pytest.fixture
def setup():  # type: ignore[no-untyped-def]
    a = d.agreement(start=MONDAY)
    d.daily_pattern(a, minutes=60)
    d.rule(a.commissioner, tolerance_minutes=5, rounding_minutes=15, minimum_minutes=30)
    planning.plan(a.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    return a


def test_a_week_of_visits_is_verified_and_paid(setup) -> None:  # type: ignore[no-untyped-def]
    a = setup
    assert PlannedVisit.objects.filter(agreement=a).count() == 7
    rows = [d.visit_row(a, MONDAY + timedelta(days=i), vid=f"V{i}", minutes=62) for i in range(5)]
    rows.append(d.visit_row(a, MONDAY + timedelta(days=5), vid="V5", minutes=40))  # short
    done = recording.record(provider_id=a.provider_id, commissioner_id=a.commissioner_id, rows=rows)
    assert (done.received, done.written) == (6, 6)
    short = Visit.objects.get(external_id="V5")
    assert short.exceptions == "short" and short.paid_minutes == 45  # 40 rounds to 45
    assert Visit.objects.get(external_id="V0").paid_minutes == 60  # within tolerance: planned

    finance, second = d.finance(a.commissioner), d.finance(a.commissioner)
    run = payruns.open_run(a.commissioner_id, by=finance, period_start=MONDAY)
    run = payruns.build(run.pk)
    assert PlannedVisit.objects.get(agreement=a, day=MONDAY + timedelta(days=6)).missed
    line = run.lines.get()
    assert (line.minutes, line.rate, line.amount) == (345, Decimal("19.28"), Decimal("110.86"))
    assert run.total == Decimal("110.86")
    payruns.send_for_review(run.pk, by=finance)
    with pytest.raises(Invalid, match="second person"):
        payruns.approve(run.pk, by=finance)
    payruns.approve(run.pk, by=second)
    with pytest.raises(Conflict, match="already approved"):
        payruns.approve(run.pk, by=second)
    payruns.record_payment(run.pk, by=second, paid_on=MONDAY + timedelta(days=20))
    assert PayRun.objects.get(pk=run.pk).state == "paid"
    with pytest.raises(Conflict, match="never edited"):
        lines.edit(line.pk, minutes=1)
    assert PayLine.objects.get(pk=line.pk).minutes == 345


def test_the_same_visits_twice_change_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    a = setup
    rows = [d.visit_row(a, MONDAY, vid="SAME")]
    recording.record(provider_id=a.provider_id, commissioner_id=a.commissioner_id, rows=rows)
    again = recording.record(
        provider_id=a.provider_id, commissioner_id=a.commissioner_id, rows=rows
    )
    assert again.written == 0 and Visit.objects.filter(external_id="SAME").count() == 1


def test_a_visit_for_another_providers_person_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    a = setup
    other = d.agreement(commissioner=a.commissioner)
    rows = [d.visit_row(other, MONDAY, vid="X1")]
    with pytest.raises(Invalid, match="no agreement with your organisation"):
        recording.record(provider_id=a.provider_id, commissioner_id=a.commissioner_id, rows=rows)
    assert not Visit.objects.exists()


def test_check_out_before_check_in_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    a = setup
    rows = [d.visit_row(a, MONDAY, vid="X2", minutes=-10)]
    with pytest.raises(Invalid, match="before check_in"):
        recording.record(provider_id=a.provider_id, commissioner_id=a.commissioner_id, rows=rows)
    assert not Visit.objects.exists()
