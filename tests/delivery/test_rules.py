"""delivery.rules (pure) and the ECM file's time parser."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from caremarket.delivery import rules
from caremarket.delivery.services.ecm_times import moment

T = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


def test_visit_faults_name_the_column() -> None:
    assert rules.visit_faults(T, T + timedelta(minutes=30), "telephony", "") == {}
    assert (
        "before check_in"
        in rules.visit_faults(T, T - timedelta(minutes=1), "manual", "")["check_out"]
    )
    assert "12 hours" in rules.visit_faults(T, T + timedelta(hours=13), "qr_nfc", "")["check_out"]
    assert "method" in rules.visit_faults(T, T, "carrier pigeon", "")
    assert "planned_end" in rules.visit_faults(T, T, "app_gps", "", T, T - timedelta(minutes=5))


def test_percent_hours_and_quarters() -> None:
    assert rules.percent(1, 3) == 33.3 and rules.percent(5, 0) == 0.0
    assert rules.hours(90) == 1.5
    assert rules.quarter_start(date(2026, 11, 30)) == date(2026, 10, 1)
    assert rules.quarter_end(date(2026, 10, 1)) == date(2026, 12, 31)
    assert rules.quarter_end(date(2026, 1, 1)) == date(2026, 3, 31)


def test_bar_chart_marks_bars_below_the_standard() -> None:
    chart = rules.bar_chart(
        [{"p": "A", "e": 90.0}, {"p": "B", "e": 40.0}], label="p", value="e", standard=85
    )
    assert [b["below"] for b in chart["bars"]] == [False, True]  # type: ignore[index]
    assert chart["bars"][0]["w"] > chart["bars"][1]["w"]  # type: ignore[index]


def test_moment_reads_iso_first_and_falls_back_to_the_uk_form() -> None:
    assert moment("2026-11-03T08:05").utcoffset() == timedelta(0)  # UK time in November
    assert moment("2026-07-03T08:05").utcoffset() == timedelta(hours=1)
    assert moment("03/11/2026 08:05") == moment("2026-11-03T08:05")
    with pytest.raises(ValueError, match="like 2026-03-31T08:05"):
        moment("yesterday")
    with pytest.raises(ValueError, match="between the years"):
        moment("1890-01-01T08:00")


def test_only_an_approved_or_paid_run_may_be_exported() -> None:
    assert rules.export_refusal("approved") is None and rules.export_refusal("paid") is None
    for state in ("draft", "review"):
        assert "approve this run first" in (rules.export_refusal(state) or "")
