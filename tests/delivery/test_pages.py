"""The pages, through the test client: scoping, the upload, a run's actions, remittances."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from caremarket.core import clock
from caremarket.core.errors import Conflict
from caremarket.core.roles import Role
from caremarket.delivery.models import PayRun, Visit
from caremarket.delivery.selectors import payments as selectors
from caremarket.delivery.services import payruns, planning, recording
from tests.delivery import factories as d

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)


@pytest.fixture
def a():  # type: ignore[no-untyped-def]
    made = d.agreement(start=MONDAY)
    d.daily_pattern(made)
    d.rule(made.commissioner)
    planning.plan(made.commissioner_id, MONDAY, MONDAY + timedelta(days=6))
    rows = [
        d.visit_row(made, MONDAY + timedelta(days=i), vid=f"W{i}", minutes=50 + i) for i in range(6)
    ]
    recording.record(provider_id=made.provider_id, commissioner_id=made.commissioner_id, rows=rows)
    return made


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_provider_sees_only_its_own_visits(a) -> None:  # type: ignore[no-untyped-def]
    other = d.agreement(commissioner=a.commissioner)
    stranger = _as(d.provider_user(other.provider))
    mine = _as(d.provider_user(a.provider))
    visit = Visit.objects.first()
    assert stranger.get(f"/visits/{visit.pk}/").status_code == 404
    assert "W1" not in stranger.get("/visits/").content.decode()
    page = mine.get("/visits/?show=exceptions").content.decode()
    assert "W0" in page and "Short" in page
    csv = mine.get("/visits/?format=csv").content.decode()
    assert csv.count("\n") == 7


def test_the_upload_page_imports_and_links_to_the_run(a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = _as(d.provider_user(a.provider))
    body = (
        "visit_id,person_ref,carer_ref,planned_start,planned_end,check_in,check_out,method,manual_reason\n"
        f"U1,{a.person.reference},CW1,,,{MONDAY}T18:00,{MONDAY}T18:30,qr_nfc,\n"
    )
    upload = SimpleUploadedFile("ecm.csv", body.encode(), content_type="text/csv")
    with override_settings(IMPORTS_DIR=tmp_path):
        response = client.post(
            "/visits/upload/", {"commissioner": a.commissioner_id, "file": upload}
        )
    assert response.status_code == 302 and response["Location"].startswith("/imports/")
    assert Visit.objects.filter(external_id="U1").exists()


def test_a_run_through_its_pages_with_a_second_approver(a) -> None:  # type: ignore[no-untyped-def]
    finance = d.finance(a.commissioner)
    me = _as(finance)
    response = me.post(
        "/pay-runs/",
        {
            "action": "open",
            "open-period_start_0": "5",
            "open-period_start_1": "10",
            "open-period_start_2": "2026",
        },
    )
    assert response.status_code == 302
    run = PayRun.objects.get()
    me.post(f"/pay-runs/{run.pk}/", {"action": "review"})
    refused = me.post(f"/pay-runs/{run.pk}/", {"action": "approve"}, follow=True)
    assert "A second person approves" in refused.content.decode()
    assert PayRun.objects.get().state == "review"
    _as(d.finance(a.commissioner, role=Role.COMMISSIONER)).post(
        f"/pay-runs/{run.pk}/", {"action": "approve"}
    )
    assert PayRun.objects.get().state == "approved"
    export = me.get(f"/pay-runs/{run.pk}/export/").content.decode()
    assert (
        export.splitlines()[0]
        == "run,period_end,supplier_code,supplier,cost_centre,agreement,kind,hours,rate,amount"
    )
    assert "ASC-HC-01" in export


def test_remittance_page_csv_and_pdf_for_the_provider_only(a) -> None:  # type: ignore[no-untyped-def]
    run = payruns.build(payruns.open_run(a.commissioner_id, by=None, period_start=MONDAY).pk)
    path = f"/pay-runs/{run.pk}/remittance/{a.provider_id}/"
    provider = _as(d.provider_user(a.provider))
    page = provider.get(path).content.decode()
    assert "Remittance advice" in page and f"£{run.total}" in page
    assert provider.get(path + "?format=csv")["Content-Type"].startswith("text/csv")
    pdf = provider.get(path + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    other = d.agreement(commissioner=a.commissioner)
    assert _as(d.provider_user(other.provider)).get(path).status_code == 404


def test_kpis_show_a_chart_beside_its_table() -> None:
    start = clock.today() - timedelta(days=10)
    recent = d.agreement(start=start)
    d.daily_pattern(recent)
    d.rule(recent.commissioner)
    planning.plan(recent.commissioner_id, start, start + timedelta(days=6))
    rows = [
        d.visit_row(
            recent,
            start + timedelta(days=i),
            vid=f"K{i}",
            method="manual" if i else "telephony",
            reason="x",
        )
        for i in range(3)
    ]
    recording.record(
        provider_id=recent.provider_id, commissioner_id=recent.commissioner_id, rows=rows
    )
    page = _as(d.finance(recent.commissioner)).get("/delivery/kpis/").content.decode()
    assert "<svg" in page and "85% standard" in page and "Logged electronically" in page


def test_the_finance_export_of_a_run_not_yet_approved_is_refused(a) -> None:  # type: ignore[no-untyped-def]
    finance = d.finance(a.commissioner)
    run = payruns.build(payruns.open_run(a.commissioner_id, by=finance, period_start=MONDAY).pk)
    me = _as(finance)
    assert (
        "finance export can be downloaded once" in me.get(f"/pay-runs/{run.pk}/").content.decode()
    )
    for state in ("draft", "review"):
        if state == "review":
            payruns.send_for_review(run.pk, by=finance)
        refused = me.get(f"/pay-runs/{run.pk}/export/", follow=True)
        assert refused.redirect_chain[-1][0] == f"/pay-runs/{run.pk}/"
        assert "Only an approved or paid run can be exported" in refused.content.decode()
        assert not refused.get("Content-Type", "").startswith("text/csv")
    with pytest.raises(Conflict, match="approve this run first"):
        selectors.export_rows(finance, PayRun.objects.get(pk=run.pk))
