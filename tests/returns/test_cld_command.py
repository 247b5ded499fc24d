"""``caremarket cld`` (returns/management/commands/cld.py): writes the file, prints the check's
findings, and exits non-zero when there are any."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from caremarket.brokerage.models import AgreementVariation, ServiceAgreement
from caremarket.core import clock
from caremarket.returns import periods, vocabulary

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("cld", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def this_quarter() -> str:
    return periods.quarter_of(clock.today())


def test_it_writes_the_file_and_reports_a_clean_check(tmp_path: Path) -> None:
    target = tmp_path / "devon.csv"
    out, _ = run("--commissioner", "devon", "--quarter", this_quarter(), "--output", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert tuple(rows[0]) == vocabulary.FIELDS
    assert {r["LA_Code"] for r in rows} == {"E10000008"}
    assert f"{len(rows)} rows for" in out
    assert "found no problems" in out


def test_without_output_the_csv_goes_to_stdout_and_the_report_to_stderr() -> None:
    out, err = run("--commissioner", "isle-of-wight", "--quarter", this_quarter())
    assert out.startswith("LA_Code,Reporting_Period_Start_Date,")
    assert "Isle of Wight" in err and "LA_Code" not in err


def test_findings_are_listed_by_row_and_field_and_the_exit_status_is_one() -> None:
    agreement = ServiceAgreement.objects.get(commissioner__slug="devon", end_reason="needs_met")
    variation = agreement.variations.order_by("effective_from").first()
    AgreementVariation.objects.filter(pk=variation.pk).update(weekly_cost=Decimal("1.00"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"found 1 problem\.") as raised:
        call_command(
            "cld", "--commissioner", "devon", "--quarter", this_quarter(), "--check-only",
            stdout=out, stderr=err,
        )  # fmt: skip
    assert raised.value.returncode == 1
    assert f"({agreement.reference}-1): Unit_Cost [weekly_cost]" in err.getvalue()
    assert out.getvalue() == ""  # --check-only: no file


def test_an_unknown_council_or_quarter_is_refused_by_name() -> None:
    with pytest.raises(CommandError, match=r"No commissioner 'narnia'\. Known: .*devon"):
        run("--commissioner", "narnia", "--quarter", "2026Q3")
    with pytest.raises(CommandError, match="2026Q3"):
        run("--commissioner", "devon", "--quarter", "2026-09")
