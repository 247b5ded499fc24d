"""Statements end to end with factories: refused before any data, written, edited,
published; the page, its CSV, JSON, PDF and the command agree; providers see published
statements only; another council's statement is not found."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from caremarket.accounts.models import User
from caremarket.core.errors import Conflict, Invalid
from caremarket.insight.models import AwaitingCareRecord, PackageInPlace, Statement
from caremarket.insight.services import statements
from caremarket.market.models import CareGroup, ServiceType
from tests import factories
from tests.insight.factories import devon_like

pytestmark = pytest.mark.django_db
AS_OF = date(2019, 10, 15)


@pytest.fixture
def devon():
    commissioner = devon_like(slug="devon-statements")
    zone4 = commissioner.zones.get(number=4)
    op = CareGroup.objects.get(code="OP")
    care = ServiceType.objects.get(code="personal-care")
    PackageInPlace.objects.create(
        commissioner=commissioner,
        reference="PK1",
        person_reference="P1",
        care_group=op,
        service_type=care,
        setting="home",
        zone=zone4,
        hours_per_week=Decimal("38"),
        start_date=date(2019, 1, 1),
    )
    AwaitingCareRecord.objects.create(
        commissioner=commissioner,
        reference="AW1",
        person_reference="W1",
        zone=zone4,
        care_group=op,
        service_type=care,
        hours_per_week=Decimal("2"),
        awaiting_since=date(2019, 9, 1),
    )
    return commissioner


def _login(client, commissioner, role="commissioner"):
    user = factories.council_user(commissioner, role=role)
    client.force_login(user)
    return user


def test_a_statement_before_any_data_is_refused_and_nothing_is_made(devon) -> None:
    with pytest.raises(Invalid) as refused:
        statements.create_statement(devon, as_of=date(2018, 6, 1), title="Too early")
    assert "no data before 1 January 2019" in refused.value.message
    assert not Statement.objects.exists()
    statements.create_statement(devon, as_of=AS_OF, title="Autumn")
    with pytest.raises(Conflict):
        statements.create_statement(devon, as_of=AS_OF, title="Again")


def test_dashboard_figures_link_to_the_records_behind_them(devon, client) -> None:
    _login(client, devon, role="broker")
    page = client.get("/sufficiency/", {"as_of": "2019-10-15"})
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "/sufficiency/awaiting/?zone=4&amp;as_of=2019-10-15&amp;commissioner=devon-statements"
        in html
    )
    assert ">5%<" in html.replace(" ", "").replace("\n", "")  # 2 unmet / (38 + 2) hours
    records = client.get(
        "/sufficiency/awaiting/", {"zone": 4, "as_of": "2019-10-15"}
    ).content.decode()
    assert "AW1" in records and "/awaiting-care/?zone=4" in records
    csv = client.get("/sufficiency/", {"as_of": "2019-10-15", "format": "csv", "table": "zones"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "4,Exeter,38.00,2.00,1,5.0" in csv.content.decode().replace("\r", "")


def test_dashboard_before_any_data_says_so(devon, client) -> None:
    _login(client, devon, role="broker")
    html = client.get("/sufficiency/", {"as_of": "2017-01-01"}).content.decode()
    assert "There is no data before 1 January 2019" in html


def test_write_edit_publish_and_who_sees_it(devon, client) -> None:
    user = _login(client, devon)
    made = client.post(
        "/statements/",
        {"title": "Autumn 2019", "as_of_0": "15", "as_of_1": "10", "as_of_2": "2019"},
    )
    statement = Statement.objects.get()
    assert made["Location"] == f"/statements/{statement.pk}/"
    client.post(
        f"/statements/{statement.pk}/edit/", {"introduction": "Hello", "home_care": "Waits grew."}
    )
    bad = client.post(f"/statements/{statement.pk}/actions/new/", {"sector": "home_care"})
    assert bad.status_code == 200 and statement.actions.count() == 0
    client.post(
        f"/statements/{statement.pk}/actions/new/",
        {
            "sector": "home_care",
            "action": "Recruit",
            "activities": "Campaign",
            "impact": "More staff",
            "timescale": "Spring",
            "owner": "Commissioners",
            "status": "in_progress",
        },
    )
    html = client.get(f"/statements/{statement.pk}/").content.decode()
    assert "Waits grew." in html and "Recruit" in html
    provider_user = User.objects.create_user(
        username="insight.provider", role="provider", provider=factories.provider()
    )
    other = factories.council_user(devon_like(), role="commissioner")
    for outsider in (other, provider_user):  # a draft: another council's, or any provider's
        client.force_login(outsider)
        assert client.get(f"/statements/{statement.pk}/").status_code == 404
    client.force_login(user)
    client.post(f"/statements/{statement.pk}/publish/")
    statement.refresh_from_db()
    assert statement.is_published
    client.force_login(provider_user)
    assert client.get(f"/statements/{statement.pk}/").status_code == 200
    assert client.get("/sufficiency/").status_code == 403


def test_json_pdf_and_command_give_the_page_s_figures(devon, client, tmp_path: Path) -> None:
    _login(client, devon)
    statement = statements.create_statement(devon, as_of=AS_OF, title="Autumn")
    page_json = client.get(f"/statements/{statement.pk}/", {"format": "json"}).json()
    out = StringIO()
    target = tmp_path / "s.json"
    call_command(
        "statement",
        commissioner="devon-statements",
        as_of="2019-10-15",
        format="json",
        output=str(target),
        stdout=out,
    )
    assert json.loads(target.read_text())["figures"] == page_json["figures"]
    assert page_json["figures"]["unmet"]["share_of_demand_percent"] == "5.0"
    pdf = client.get(f"/statements/{statement.pk}/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
