"""The dashboard's day opportunity and replacement care tables (and the status chart):
each count links to the services behind it, on the page that lists them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from caremarket.core.tables import Column, Table
from caremarket.insight import charts
from caremarket.insight.selectors.dashboard import Dashboard


def _url(name: str, **query: Any) -> str:
    return f"{reverse(name)}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"


def _zones(row: Any) -> str:
    return ", ".join(str(z) for z in row.zones)


def day_status_table(d: Dashboard) -> Table:
    slug, on = d.commissioner.slug, d.as_of
    return Table.fixed(
        [
            Column("label", "Operating status"),
            Column(
                "services",
                "Day opportunity services",
                numeric=True,
                link=lambda r: _url(
                    "insight:day-services", status=r.status, as_of=on, commissioner=slug
                ),
            ),
        ],
        d.day_status if d.day_services else [],
        caption="Day opportunity providers by operating status",
        empty_message="No day opportunity service is appointed on this date.",
    )


def day_services_table(rows: list[Any], caption: str) -> Table:
    return Table.fixed(
        [
            Column("provider", "Provider"),
            Column("lot", "Lot"),
            Column("zones", "Zones", get=_zones),
            Column("status_label", "Status"),
            Column("since", "Since", format="date"),
            Column("note", "Note"),
        ],
        rows,
        caption=caption,
        empty_message="No service has this status on this date.",
    )


def replacement_table(d: Dashboard) -> Table:
    return replacement_list(d.replacement, "The replacement care list")


def replacement_list(rows: list[Any], caption: str) -> Table:
    return Table.fixed(
        [
            Column("provider", "Provider"),
            Column("lot", "List"),
            Column("zones", "Zones", get=_zones),
            Column("day_hours", "Day sitting hours a week declared", numeric=True, format="hours"),
            Column("nights", "Night sitting nights a week declared", numeric=True),
        ],
        rows,
        caption=caption,
        empty_message="No provider is on a replacement care list on this date.",
    )


def concern_table(d: Dashboard) -> Table:
    return day_services_table(
        d.day_services_of_concern, "Day opportunity services at risk, reduced or closed"
    )


TABLES = {
    "day_status": day_status_table,
    "day_concern": concern_table,
    "replacement": replacement_table,
}


def status_chart(d: Dashboard) -> Any:
    return charts.bars(
        "chart-day-status",
        "Day opportunity services by operating status",
        [charts.Bar(c.label, c.services) for c in d.day_status] if d.day_services else [],
    )
