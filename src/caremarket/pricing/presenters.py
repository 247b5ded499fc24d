"""Columns of the pricing tables: what each table shows (and its CSV carries)."""

from __future__ import annotations

from django.urls import reverse

from caremarket.core.tables import Column

COMPONENT_COLUMNS = [
    Column("name", "Component"),
    Column("group", "Group"),
    Column("how", "How it is worked out", sortable=False),
    Column("amount", "Per contact hour", numeric=True, format="money"),
]
GROUP_COLUMNS = [
    Column("group", "Group"),
    Column("amount", "Per contact hour", numeric=True, format="money"),
]
REVIEW_COLUMNS = [
    Column("title", "Review", link=lambda r: reverse("pricing:review", args=[r.pk])),
    Column("framework", "Framework", get=lambda r: r.framework.name),
    Column("effective_from", "From", format="date"),
    Column("current_rate", "Current rate", numeric=True, format="money"),
    Column("uplift", "Uplift (%)", numeric=True),
    Column("proposed_rate", "Proposed rate", numeric=True, format="money"),
    Column("status", "Status", get=lambda r: r.get_status_display()),
]
LINE_COLUMNS = [
    Column("name", "Cost line"),
    Column("weight", "Weight (%)", numeric=True),
    Column("change", "Change (%)", numeric=True),
    Column("evidence", "Evidence", sortable=False),
]
IMPACT_COLUMNS = [
    Column("framework", "Framework"),
    Column("zone", "Zone"),
    Column("agreements", "Agreements", numeric=True),
    Column("units_per_week", "Units a week", numeric=True, format="hours"),
    Column("annual_change", "Change in a year", numeric=True, format="money"),
]
AGREEMENT_COLUMNS = [
    Column(
        "reference",
        "Agreement",
        link=lambda a: reverse("brokerage:agreement", args=[a.agreement_id]),
    ),
    Column("provider", "Delivered by"),
    Column("zone", "Zone"),
    Column("units_per_week", "Units a week", numeric=True, format="hours"),
    Column("old_price", "Price before", numeric=True, format="money"),
    Column("new_price", "Price after", numeric=True, format="money"),
    Column("annual_change", "Change in a year", numeric=True, format="money"),
]
COMMENT_COLUMNS = [
    Column("provider", "Provider", get=lambda c: c.provider.display_name),
    Column("at", "When", get=lambda c: c.at.date(), format="date"),
    Column("text", "Comment", sortable=False),
    Column(
        "evidence_name",
        "Evidence",
        link=lambda c: reverse("pricing:evidence", args=[c.pk]) if c.evidence_name else None,
    ),
]
SPREAD_COLUMNS = [
    Column("framework", "Framework"),
    Column("lot", "Lot"),
    Column("zone", "Zone"),
    Column("count", "Providers", numeric=True),
    Column("lowest", "Lowest", numeric=True, format="money"),
    Column("median", "Median", numeric=True, format="money"),
    Column("highest", "Highest", numeric=True, format="money"),
    Column("cost_of_care", "Cost of care", numeric=True, format="money"),
    Column("outliers", "Outliers", sortable=False),
]

REPRICING_COLUMNS = [
    Column("reference", "Agreement"),
    Column("provider", "Provider"),
    Column("outcome", "Outcome", sortable=False),
]
