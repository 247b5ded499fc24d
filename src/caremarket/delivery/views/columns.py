"""The tables delivery's pages show (and download as CSV): one definition each."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from caremarket.core.tables import Column
from caremarket.engine.verification import EXCEPTION_LABELS


def _exceptions(v: object) -> str:
    return ", ".join(EXCEPTION_LABELS.get(e, e) for e in getattr(v, "exception_list", []))


def _time(moment: object) -> str:
    return f"{timezone.localtime(moment):%H:%M}" if moment else ""  # type: ignore[arg-type]


VISITS = [
    Column("external_id", "Visit", link=lambda v: reverse("delivery:visit", args=[v.pk])),
    Column("day", "Day", format="date"),
    Column("person", "Person", get=lambda v: v.person.reference),
    Column("provider", "Delivered by", get=lambda v: v.provider.display_name),
    Column("carer_ref", "Carer"),
    Column("check_in", "In", get=lambda v: _time(v.check_in)),
    Column("minutes", "Minutes", numeric=True),
    Column(
        "planned",
        "Planned minutes",
        get=lambda v: v.planned.minutes if v.planned else None,
        numeric=True,
    ),
    Column("method", "Method", get=lambda v: v.get_method_display()),
    Column("exceptions", "Exceptions", get=_exceptions),
    Column("paid_minutes", "Paid minutes", numeric=True),
    Column("held", "Held", get=lambda v: v.hold_reason if v.held else ""),
]

RUNS = [
    Column("reference", "Run", link=lambda r: reverse("delivery:pay-run", args=[r.pk])),
    Column("commissioner", "Council", get=lambda r: r.commissioner.name),
    Column("period_start", "From", format="date"),
    Column("period_end", "To", format="date"),
    Column("state", "State", get=lambda r: r.get_state_display()),
    Column("total", "Paid", numeric=True, format="money"),
    Column("held_total", "Held", numeric=True, format="money"),
    Column("paid_on", "Paid on", format="date"),
]

LINES = [
    Column(
        "agreement",
        "Agreement",
        get=lambda ln: ln.agreement.reference,
        link=lambda ln: reverse("delivery:line", args=[ln.pk]),
    ),
    Column("provider", "Provider", get=lambda ln: ln.provider.display_name),
    Column("kind", "Kind", get=lambda ln: ln.get_kind_display()),
    Column("visits", "Visits", numeric=True),
    Column("hours", "Evidenced hours", numeric=True, format="hours"),
    Column("rate", "Rate", numeric=True, format="money"),
    Column("amount", "Amount", numeric=True, format="money"),
    Column("held", "Held", get=lambda ln: ln.hold_reason if ln.held else ""),
    Column(
        "note",
        "Note",
        get=lambda ln: (
            ln.note
            + (f" (released into {ln.released_into.run.reference})" if ln.released_into_id else "")
        ),
    ),
]

PROVIDERS = [
    Column("provider", "Provider"),
    Column("lines", "Lines", numeric=True),
    Column("paid", "Paid", numeric=True, format="money"),
    Column("held", "Held", numeric=True, format="money"),
]

KPIS = [
    Column("provider", "Provider"),
    Column("visits", "Visits", numeric=True),
    Column("electronic", "Logged electronically", numeric=True, format="percent"),
    Column("punctual", "Punctual", numeric=True, format="percent"),
    Column("missed", "Missed", numeric=True, format="percent"),
    Column("continuity", "Same carer", numeric=True, format="percent"),
    Column("commissioned_hours", "Hours commissioned", numeric=True, format="hours"),
    Column("delivered_hours", "Hours delivered", numeric=True, format="hours"),
]

WEEKS = [
    Column("week", "Week from", format="date"),
    Column("visits", "Visits", numeric=True),
    Column("electronic", "Logged electronically", numeric=True, format="percent"),
    Column("punctual", "Punctual", numeric=True, format="percent"),
]

SHARES = [
    Column("lead", "Lead provider"),
    Column("evidenced_hours", "Evidenced hours", numeric=True, format="hours"),
    Column("subcontracted_hours", "Delivered by subcontractors", numeric=True, format="hours"),
    Column("share", "Share", numeric=True, format="percent"),
    Column(
        "status",
        "Status",
        get=lambda r: "Meets the 30% minimum" if r["meets_minimum"] else "Below the 30% minimum",
    ),
]

DAYS = [
    Column("provider", "Provider"),
    Column("runs", "Paid runs", numeric=True),
    Column("average_days", "Average days from period end to payment", numeric=True),
    Column("longest_days", "Longest", numeric=True),
]

REQUESTS = [
    Column("agreement", "Agreement", get=lambda r: r.agreement.reference),
    Column("provider", "Provider", get=lambda r: r.agreement.provider.display_name),
    Column("visit_day", "Visit day", format="date"),
    Column("extra_minutes", "Extra minutes", numeric=True),
    Column("reason", "Why"),
    Column("state", "State", get=lambda r: r.get_state_display()),
]

EXPORT = [
    Column(k, k)
    for k in (
        "run",
        "period_end",
        "supplier_code",
        "supplier",
        "cost_centre",
        "agreement",
        "kind",
        "hours",
        "rate",
        "amount",
    )
]

SHARE_HISTORY = [
    Column("subcontractor", "Subcontractor", get=lambda s: s.subcontractor.display_name),
    Column("shared_from", "Shared from", format="date"),
    Column("stopped_on", "Stopped on", format="date"),
    Column(
        "shared_by", "Shared by", get=lambda s: s.shared_by.get_full_name() if s.shared_by else ""
    ),
    Column(
        "stopped_by",
        "Stopped by",
        get=lambda s: s.stopped_by.get_full_name() if s.stopped_by else "",
    ),
]

PAID_FOR_VISITS = [
    Column("run", "Pay run"),
    Column("council", "Council"),
    Column("period_end", "Period to", format="date"),
    Column("state", "State"),
    Column("lead", "Lead provider"),
    Column("agreement", "Agreement"),
    Column("visits", "Your visits", numeric=True),
    Column("hours", "Paid hours", numeric=True, format="hours"),
    Column("rate", "Rate", numeric=True, format="money"),
    Column("amount", "Amount your lead was paid", numeric=True, format="money"),
    Column("note", "Note"),
]
