"""The commissioner's Client Level Data page (caremarket.returns.views): its own council's
return, the check's findings by row, field and rule, both as CSV, empty states, and nothing of
another council's."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import override_settings

from caremarket.brokerage.models import AgreementVariation, ServiceAgreement
from caremarket.core import clock
from caremarket.returns import periods, vocabulary

pytestmark = pytest.mark.django_db
PAGE = "/returns/cld/"


def quarter() -> str:
    return periods.quarter_of(clock.today())


def test_a_commissioner_sees_its_councils_return_and_a_clean_check(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("devon.commissioner").get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Devon County Council, " + quarter() in html
    assert "E10000008" in html and "No problems" in html
    assert 'class="app-table-wrapper" tabindex="0" role="region"' in html
    assert "The check found no problems" in html
    assert "DEV-R-" in html and "IOW-" not in html


def test_the_return_downloads_as_the_full_csv(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("devon.commissioner").get(PAGE, {"download": "file"})
    assert response["Content-Type"].startswith("text/csv")
    assert f"E10000008-{quarter()}-client-level-data.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == vocabulary.FIELDS
    assert {r["LA_Code"] for r in rows} == {"E10000008"}


def test_a_fault_is_listed_by_row_field_and_rule_and_downloads(client_for) -> None:  # type: ignore[no-untyped-def]
    agreement = ServiceAgreement.objects.get(commissioner__slug="devon", end_reason="needs_met")
    variation = agreement.variations.order_by("effective_from").first()
    AgreementVariation.objects.filter(pk=variation.pk).update(weekly_cost=Decimal("1.00"))
    client = client_for("devon.commissioner")
    html = client.get(PAGE).content.decode()
    assert "1 to fix" in html and "weekly_cost" in html
    assert f"{agreement.reference}-1" in html
    findings = client.get(PAGE, {"download": "findings"}).content.decode()
    header, line = list(csv.reader(io.StringIO(findings)))[:2]
    assert header == ["Row", "Event reference", "Field", "Rule", "What is wrong"]
    assert line[1:4] == [f"{agreement.reference}-1", "Unit_Cost", "weekly_cost"]


def test_another_councils_return_is_not_found(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("devon.commissioner")
    assert client.get(PAGE, {"council": "isle-of-wight"}).status_code == 404
    assert client.get(PAGE, {"council": "isle-of-wight", "download": "file"}).status_code == 404
    iow = client_for("iow.commissioner").get(PAGE, {"download": "file"}).content.decode()
    assert "E10000008" not in iow and "DEV-" not in iow and "E06000046" in iow


def test_platform_staff_choose_a_council(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("admin")
    html = client.get(PAGE).content.decode()
    assert 'name="council"' in html and "Staffordshire" in html
    html = client.get(PAGE, {"council": "staffordshire", "quarter": quarter()}).content.decode()
    assert "E10000028" in html


def test_a_quarter_with_no_events_says_so(client_for) -> None:  # type: ignore[no-untyped-def]
    oldest = periods.recent(clock.today())[-1]
    html = client_for("devon.commissioner").get(PAGE, {"quarter": oldest}).content.decode()
    assert "No request, service or review of this council falls in this period." in html
    assert "Download the return as CSV" not in html


def test_a_quarter_not_offered_is_an_error_on_the_field(client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("devon.commissioner").get(PAGE, {"quarter": "1999Q1"}).content.decode()
    assert "govuk-error-summary" in html and "Devon County Council, " not in html


@override_settings(CLD_PSEUDONYM_KEY="")
def test_without_a_pseudonym_key_the_page_says_what_is_missing(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("devon.commissioner").get(PAGE)
    assert response.status_code == 200
    assert "CLD_PSEUDONYM_KEY" in response.content.decode()
