"""Pay runs: contiguous periods, a second person's approval and the limit, held lines
released into a later run, adjustments instead of edits, the manual cap, late evidence."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from caremarket.core.errors import Conflict, Invalid
from caremarket.core.roles import Role
from caremarket.delivery.models import PayLine, PayRun, Visit
from caremarket.delivery.rules import line_amount
from caremarket.delivery.services import lines, payruns, planning, recording, responses
from tests.delivery import factories as d

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)


@pytest.fixture
def a():  # type: ignore[no-untyped-def]
    made = d.agreement(start=MONDAY)
    d.daily_pattern(made)
    d.rule(made.commissioner, manual_cap_per_period=1, approval_limit=Decimal("100"))
    planning.plan(made.commissioner_id, MONDAY, MONDAY + timedelta(days=13))
    return made


def _send(a, rows):  # type: ignore[no-untyped-def]
    return recording.record(provider_id=a.provider_id, commissioner_id=a.commissioner_id, rows=rows)


def _paid_run(a, finance, approver):  # type: ignore[no-untyped-def]
    run = payruns.open_run(a.commissioner_id, by=finance, period_start=MONDAY)
    payruns.build(run.pk)
    payruns.send_for_review(run.pk, by=finance)
    payruns.approve(run.pk, by=approver)
    return payruns.record_payment(run.pk, by=finance, paid_on=MONDAY + timedelta(days=14))


def test_periods_are_contiguous_and_one_per_period(a) -> None:  # type: ignore[no-untyped-def]
    finance = d.finance(a.commissioner)
    first = payruns.open_run(a.commissioner_id, by=finance, period_start=MONDAY)
    with pytest.raises(Invalid, match="contiguous"):
        payruns.open_run(a.commissioner_id, by=finance, period_start=MONDAY + timedelta(days=14))
    second = payruns.open_run(a.commissioner_id, by=finance)
    assert second.period_start == first.period_end + timedelta(days=1)
    assert (second.period_end - second.period_start).days == 6


def test_over_the_limit_a_commissioner_approves(a) -> None:  # type: ignore[no-untyped-def]
    _send(a, [d.visit_row(a, MONDAY + timedelta(days=i), vid=f"L{i}") for i in range(7)])
    finance = d.finance(a.commissioner)
    run = payruns.open_run(a.commissioner_id, by=finance, period_start=MONDAY)
    run = payruns.build(run.pk)
    assert run.total == Decimal("134.96")  # 7 hours at £19.28, over the £100 limit
    payruns.send_for_review(run.pk, by=finance)
    with pytest.raises(Invalid, match="approval limit"):
        payruns.approve(run.pk, by=d.finance(a.commissioner))
    assert PayRun.objects.get(pk=run.pk).state == "review"
    payruns.approve(run.pk, by=d.finance(a.commissioner, role=Role.COMMISSIONER))
    assert PayRun.objects.get(pk=run.pk).state == "approved"


def test_manual_log_ins_over_the_cap_are_held_and_released_later(a) -> None:  # type: ignore[no-untyped-def]
    rows = [
        d.visit_row(a, MONDAY + timedelta(days=i), vid=f"M{i}", method="manual", reason="No signal")
        for i in range(3)
    ]
    _send(a, rows)
    finance, boss = d.finance(a.commissioner), d.finance(a.commissioner, role=Role.COMMISSIONER)
    run = _paid_run(a, finance, boss)
    held = run.lines.get(held=True)
    assert held.visits == 2 and "over the cap" in held.hold_reason
    assert run.lines.get(held=False).visits == 1
    lines.post_message(held.pk, by=finance, text="Why were these logged by hand?")
    with pytest.raises(Conflict, match="Open the next pay run"):
        lines.release(held.pk, by=finance)
    later = payruns.open_run(a.commissioner_id, by=finance)
    released = lines.release(held.pk, by=finance)
    assert released.run == later and released.amount == held.amount and not released.held
    with pytest.raises(Conflict, match="released already"):
        lines.release(held.pk, by=finance)
    assert PayRun.objects.get(pk=later.pk).total == held.amount


def test_a_paid_line_is_corrected_by_an_adjustment_in_the_next_run(a) -> None:  # type: ignore[no-untyped-def]
    _send(a, [d.visit_row(a, MONDAY, vid="P1")])
    finance, boss = d.finance(a.commissioner), d.finance(a.commissioner, role=Role.COMMISSIONER)
    paid = _paid_run(a, finance, boss).lines.get()
    payruns.open_run(a.commissioner_id, by=finance)
    with pytest.raises(Conflict, match="never edited"):
        lines.edit(paid.pk, minutes=90)
    fix = lines.adjust(paid.pk, by=finance, minutes=-15, reason="Carer left early: family said")
    assert (fix.kind, fix.amount, fix.corrects_id) == ("adjustment", Decimal("-4.82"), paid.pk)
    assert PayLine.objects.get(pk=paid.pk).minutes == 60
    with pytest.raises(Invalid, match="more than was paid"):
        lines.adjust(paid.pk, by=finance, minutes=-100, reason="x")


def test_visits_evidenced_after_their_period_was_run_come_as_adjustments(a) -> None:  # type: ignore[no-untyped-def]
    finance, boss = d.finance(a.commissioner), d.finance(a.commissioner, role=Role.COMMISSIONER)
    _send(a, [d.visit_row(a, MONDAY, vid="ON-TIME")])
    _paid_run(a, finance, boss)
    _send(
        a,
        [
            d.visit_row(a, MONDAY + timedelta(days=1), vid="LATE-FILE"),
            d.visit_row(a, MONDAY + timedelta(days=8), vid="WEEK2"),
        ],
    )
    second = payruns.build(payruns.open_run(a.commissioner_id, by=finance).pk)
    kinds = sorted(second.lines.values_list("kind", "visits"))
    assert kinds == [("adjustment", 1), ("visits", 1)]
    assert Visit.objects.get(external_id="LATE-FILE").pay_run == second


def test_extra_time_approved_is_paid_in_the_next_draft_run(a) -> None:  # type: ignore[no-untyped-def]
    _send(a, [d.visit_row(a, MONDAY, vid="LONG", minutes=90)])
    provider = d.provider_user(a.provider)
    visit = Visit.objects.get(external_id="LONG")
    assert visit.paid_minutes == 60 and "long" in visit.exceptions
    req = responses.request_variation(provider, visit.pk, reason="Person fell; waited with them")
    assert req.extra_minutes == 30
    run = payruns.open_run(a.commissioner_id, by=d.finance(a.commissioner), period_start=MONDAY)
    responses.decide_variation(
        d.finance(a.commissioner, role=Role.COMMISSIONER), req.pk, approve=True
    )
    extra = run.lines.get(kind="adjustment")
    assert extra.minutes == 30 and extra.amount == Decimal("9.64")
    with pytest.raises(Conflict, match="decided already"):
        responses.decide_variation(
            d.finance(a.commissioner, role=Role.COMMISSIONER), req.pk, approve=False
        )


def test_a_disputed_visit_is_held(a) -> None:  # type: ignore[no-untyped-def]
    _send(a, [d.visit_row(a, MONDAY, vid="D1", minutes=30)])
    provider = d.provider_user(a.provider)
    visit = Visit.objects.get(external_id="D1")
    responses.respond(provider, visit.pk, kind="dispute", text="The carer stayed the full hour")
    run = payruns.build(payruns.open_run(a.commissioner_id, by=None, period_start=MONDAY).pk)
    assert run.lines.get().held and "disputed" in run.lines.get().hold_reason
    with pytest.raises(Conflict, match="answered this exception already"):
        responses.respond(provider, visit.pk, kind="dispute", text="again")


def test_a_run_holds_its_periods_visits_by_range_without_writing_to_each(a) -> None:  # type: ignore[no-untyped-def]
    from caremarket.delivery.models.visits import run_of

    _send(a, [d.visit_row(a, MONDAY, vid="R1")])
    run = payruns.build(payruns.open_run(a.commissioner_id, by=None, period_start=MONDAY).pk)
    visit = Visit.objects.get(external_id="R1")
    assert visit.pay_run_id is None and run_of(visit) == run
    assert list(Visit.objects.in_run(run)) == [visit]
    _send(a, [d.visit_row(a, MONDAY + timedelta(days=1), vid="R2")])
    assert run_of(Visit.objects.get(external_id="R2")) is None  # recorded after the build
    assert payruns.build(run.pk).lines.get().visits == 2


def test_a_rebuild_keeps_the_lines_still_called_for_and_writes_only_what_changed(a) -> None:  # type: ignore[no-untyped-def]
    finance = d.finance(a.commissioner)
    _send(
        a,
        [
            d.visit_row(a, MONDAY, vid="D1", minutes=30),
            d.visit_row(a, MONDAY + timedelta(days=1), vid="OK1"),
        ],
    )
    provider = d.provider_user(a.provider)
    responses.respond(provider, Visit.objects.get(external_id="D1").pk, kind="dispute", text="No")
    run = payruns.build(payruns.open_run(a.commissioner_id, by=finance, period_start=MONDAY).pk)
    held, paid = run.lines.get(held=True), run.lines.get(held=False)
    written = PayLine.history.count()

    payruns.build(run.pk)  # nothing changed: nothing written
    assert set(run.lines.values_list("pk", flat=True)) == {held.pk, paid.pk}
    assert PayLine.history.count() == written

    _send(a, [d.visit_row(a, MONDAY + timedelta(days=2), vid="OK2")])
    payruns.build(run.pk)  # the paid line changes in place, its change in its history
    assert run.lines.get(pk=paid.pk).visits == 2
    assert list(PayLine.history.filter(id=paid.pk).values_list("history_type", "visits")) == [
        ("~", 2)
    ]

    Visit.objects.filter(external_id="D1").update(held=False, hold_reason="")  # resolved
    run = payruns.build(run.pk)  # the held line is called for no more: deleted, in history
    assert not PayLine.objects.filter(pk=held.pk).exists()
    assert PayLine.history.get(id=held.pk, history_type="-").visits == 1
    assert list(run.lines.values_list("pk", "visits")) == [(paid.pk, 3)]
    assert run.total == line_amount(150, Decimal("19.28"))

    Visit.objects.filter(external_id="OK2").update(held=True, hold_reason="checking")
    asked = payruns.build(run.pk).lines.get(held=True)
    lines.post_message(asked.pk, by=finance, text="Can you send the rota?")
    Visit.objects.filter(external_id="OK2").update(held=False, hold_reason="")
    run = payruns.build(run.pk)  # a line with a thread stays, at nothing, saying why
    kept = run.lines.get(pk=asked.pk)
    assert (kept.visits, kept.minutes, kept.amount) == (0, 0, Decimal("0.00"))
    assert "rebuilt" in kept.note and kept.messages.count() == 1
    assert run.held_total == Decimal("0.00")
