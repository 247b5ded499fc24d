"""Payment sharing (services.shares, selectors.shares, views.shares): a subcontractor sees the
visits it delivered, and what its lead was paid for them only while the lead shares it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client

from caremarket.core import clock
from caremarket.core.roles import Role
from caremarket.delivery.models import PaymentShare, PayRun, Visit
from caremarket.delivery.services import payruns, planning, recording, shares
from caremarket.frameworks.models import PanelMember
from tests import factories as f
from tests.delivery import factories as d

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _panel(lead, sub):  # type: ignore[no-untyped-def]
    prime = f.appointment(provider=lead)
    return PanelMember.objects.create(prime=prime, provider=sub, joined_on=prime.appointed_on)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """A lead with a subcontractor on its panel: one agreement the subcontractor delivers
    (six visits), one the lead delivers itself; a week's run built and approved."""
    lead, sub = f.provider(), f.provider()
    _panel(lead, sub)
    theirs = d.agreement(provider=lead, delivering=sub, start=MONDAY)
    own = d.agreement(provider=lead, commissioner=theirs.commissioner, start=MONDAY)
    for a in (theirs, own):
        d.daily_pattern(a)
    d.rule(theirs.commissioner)
    planning.plan(theirs.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    for a, who, tag in ((theirs, sub, "S"), (own, lead, "L")):
        rows = [d.visit_row(a, MONDAY + timedelta(days=i), vid=f"{tag}{i}") for i in range(6)]
        recording.record(provider_id=who.pk, commissioner_id=a.commissioner_id, rows=rows)
    finance = d.finance(theirs.commissioner)
    run = payruns.build(
        payruns.open_run(theirs.commissioner_id, by=finance, period_start=MONDAY).pk
    )
    payruns.send_for_review(run.pk, by=finance)
    payruns.approve(run.pk, by=d.finance(theirs.commissioner, role=Role.COMMISSIONER))
    return {
        "lead": _as(d.provider_user(lead)),
        "sub": _as(d.provider_user(sub)),
        "lead_user": d.provider_user(lead),
        "sub_id": sub.pk,
        "theirs": theirs,
        "own": own,
    }


def _sees_money(client: Client, visit: Visit) -> bool:
    page = client.get(f"/visits/{visit.pk}/")
    assert page.status_code == 200  # the visit itself is always the subcontractor's to see
    return "£19.28" in page.content.decode()


def test_not_shared_the_subcontractor_sees_its_visits_but_no_money(world) -> None:  # type: ignore[no-untyped-def]
    visit = Visit.objects.get(external_id="S0")
    assert not _sees_money(world["sub"], visit)
    api = world["sub"].get(f"/api/v1/delivery/visits/{visit.pk}/").json()
    assert api["external_id"] == "S0" and api["rate"] is None
    page = world["sub"].get("/delivery/paid-for-your-visits/").content.decode()
    assert "No lead provider shares its payments with you." in page
    assert _sees_money(world["lead"], visit)  # the lead's own money


def test_shared_the_subcontractor_sees_the_rate_and_amount_of_its_visits_only(world) -> None:  # type: ignore[no-untyped-def]
    page = world["lead"].get("/delivery/payment-sharing/").content.decode()
    assert "Not shared" in page
    done = world["lead"].post(
        "/delivery/payment-sharing/", {"action": "share", "subcontractor": world["sub_id"]}
    )
    assert done.status_code == 302
    assert (
        PaymentShare.objects.live(clock.today()).filter(subcontractor_id=world["sub_id"]).count()
        == 1
    )
    assert _sees_money(world["sub"], Visit.objects.get(external_id="S0"))
    api = world["sub"].get("/api/v1/delivery/visits/").json()
    rates = {v["external_id"]: v["rate"] for v in api["results"]}
    assert rates and all(r == "19.28" for r in rates.values())
    assert not any(k.startswith("L") for k in rates)  # the lead's own visits stay the lead's
    paid = Visit.objects.filter(external_id__startswith="S").values_list("paid_minutes", flat=True)
    expected = (Decimal(sum(paid)) * Decimal("19.28") / 60).quantize(Decimal("0.01"))
    csv = world["sub"].get("/delivery/paid-for-your-visits/?format=csv").content.decode()
    assert world["theirs"].reference in csv and str(expected) in csv
    assert world["own"].reference not in csv  # never the lead's other lines


def test_sharing_twice_changes_nothing_and_stopping_hides_the_money(world) -> None:  # type: ignore[no-untyped-def]
    lead = world["lead_user"]
    first = shares.share(lead, world["sub_id"])
    again = shares.share(lead, world["sub_id"])
    assert first.changed and not again.changed and "nothing changed" in again.message
    assert PaymentShare.objects.count() == 1
    world["lead"].post(
        "/delivery/payment-sharing/", {"action": "stop", "subcontractor": world["sub_id"]}
    )
    share = PaymentShare.objects.get()
    assert share.stopped_on == clock.today() and share.history.count() == 2
    assert not _sees_money(world["sub"], Visit.objects.get(external_id="S0"))
    assert (
        "No lead provider" in world["sub"].get("/delivery/paid-for-your-visits/").content.decode()
    )
    assert not shares.stop(lead, world["sub_id"]).changed
    history = world["lead"].get("/delivery/payment-sharing/?format=csv").content.decode()
    assert history.count("\n") == 2  # header and the one period of sharing


def test_another_leads_subcontractor_sees_nothing(world) -> None:  # type: ignore[no-untyped-def]
    shares.share(world["lead_user"], world["sub_id"])
    other_lead, other_sub = f.provider(), f.provider()
    _panel(other_lead, other_sub)
    shares.share(d.provider_user(other_lead), other_sub.pk)
    stranger = _as(d.provider_user(other_sub))
    visit = Visit.objects.get(external_id="S0")
    assert stranger.get(f"/visits/{visit.pk}/").status_code == 404
    page = stranger.get("/delivery/paid-for-your-visits/?format=csv").content.decode()
    assert world["theirs"].reference not in page and page.count("\n") == 1


def test_a_lead_cannot_share_with_a_provider_off_its_panel(world) -> None:  # type: ignore[no-untyped-def]
    outsider = f.provider()
    refused = world["lead"].post(
        "/delivery/payment-sharing/",
        {"action": "share", "subcontractor": outsider.pk},
        follow=True,
    )
    assert "not a subcontractor on your panel" in refused.content.decode()
    assert not PaymentShare.objects.exists()


def test_the_demo_lead_shares_with_its_subcontractor_once() -> None:
    """demo.delivery: provider.iow shares with provider.subcontractor, on its panel; a second
    build step changes nothing (the service is idempotent)."""
    from django.utils import timezone

    from caremarket.accounts.models import User
    from caremarket.demo.delivery import _share_payments

    moment = timezone.now()
    assert _share_payments(moment) == 1
    assert _share_payments(moment) == 0
    sub = User.objects.get(username="provider.subcontractor")
    share = PaymentShare.objects.get()
    assert share.subcontractor_id == sub.provider_id
    assert share.lead.users.filter(username="provider.iow").exists()


def test_the_api_shares_lists_and_stops(world) -> None:  # type: ignore[no-untyped-def]
    api, body = world["lead"], {"subcontractor": world["sub_id"]}
    first = api.post("/api/v1/delivery/payment-shares/", body, content_type="application/json")
    again = api.post("/api/v1/delivery/payment-shares/", body, content_type="application/json")
    assert (first.status_code, first.json()["changed"]) == (201, True)
    assert (again.status_code, again.json()["changed"]) == (200, False)
    listed = api.get("/api/v1/delivery/payment-shares/").json()
    rows = listed["results"]  # paginated (BoundedLimitOffsetPagination)
    assert [r["subcontractor"] for r in rows] == [world["sub_id"]]
    stopped = api.post(
        "/api/v1/delivery/payment-shares/stop/", body, content_type="application/json"
    )
    assert stopped.status_code == 200 and stopped.json()["share"]["stopped_on"] == str(
        clock.today()
    )
    outsider = api.post(
        "/api/v1/delivery/payment-shares/",
        {"subcontractor": f.provider().pk},
        content_type="application/json",
    )
    assert outsider.status_code == 400 and "subcontractor" in outsider.content.decode()
    assert PaymentShare.objects.count() == 1


def test_paid_for_my_visits_rounds_once_per_pay_line_as_the_run_does(world) -> None:  # type: ignore[no-untyped-def]
    """selectors.shares.paid_for_my_visits: the run pays an agreement's visits of its period
    and those evidenced late as two lines, each rounded once; the subcontractor's row adds
    the two rounded parts (35 minutes at £19.28 is £11.2467, so £11.25 a line: £22.50), not
    one rounding over 70 minutes (£22.49)."""
    from caremarket.accounts.models import User
    from caremarket.delivery.selectors.shares import paid_for_my_visits
    from caremarket.engine.pricing import money

    shares.share(world["lead_user"], world["sub_id"])
    run = PayRun.objects.get()
    for vid, paid in (("S0", 15), ("S1", 10), ("S2", 10), ("S3", 15), ("S4", 10), ("S5", 10)):
        late = run if vid >= "S3" else None  # as if evidenced after the period was run
        Visit.objects.filter(external_id=vid).update(paid_minutes=paid, pay_run=late)
    rate = Visit.objects.get(external_id="S0").rate
    assert money(Decimal(70) * rate / 60) != 2 * payruns.line_amount(35, rate)  # a penny apart
    sub = User.objects.filter(provider_id=world["sub_id"]).first()
    [row] = paid_for_my_visits(sub)
    assert row["visits"] == 6 and row["hours"] == Decimal("1.17")
    assert row["amount"] == 2 * payruns.line_amount(35, rate) == Decimal("22.50")


def test_held_visits_come_in_the_run_their_line_is_released_into(world) -> None:  # type: ignore[no-untyped-def]
    from caremarket.accounts.models import User
    from caremarket.delivery.selectors.shares import paid_for_my_visits
    from caremarket.delivery.services import lines

    shares.share(world["lead_user"], world["sub_id"])
    theirs = world["theirs"]
    week2 = MONDAY + timedelta(days=7)
    planning.plan(theirs.commissioner_id, week2, week2 + timedelta(days=6))
    rows = [d.visit_row(theirs, week2 + timedelta(days=i), vid=f"W{i}") for i in range(2)]
    recording.record(provider_id=world["sub_id"], commissioner_id=theirs.commissioner_id, rows=rows)
    Visit.objects.filter(external_id="W0").update(held=True, hold_reason="disputed")
    finance = d.finance(theirs.commissioner)
    boss = d.finance(theirs.commissioner, role=Role.COMMISSIONER)

    def settle(run):  # type: ignore[no-untyped-def]
        payruns.send_for_review(run.pk, by=finance)
        return payruns.approve(run.pk, by=boss)

    second = settle(payruns.build(payruns.open_run(theirs.commissioner_id, by=finance).pk))
    held = second.lines.get(held=True)
    sub = User.objects.filter(provider_id=world["sub_id"]).first()
    in_second = [r for r in paid_for_my_visits(sub) if r["run"] == second.reference]
    assert [(r["visits"], r["note"]) for r in in_second] == [(1, "")]  # W0 held: not paid

    third = payruns.open_run(theirs.commissioner_id, by=finance)
    released = lines.release(held.pk, by=finance)
    settle(third)
    [row] = [r for r in paid_for_my_visits(sub) if r["run"] == third.reference]
    assert row["visits"] == 1 and row["note"] == f"released from {second.reference}"
    assert row["amount"] == released.amount == held.amount
