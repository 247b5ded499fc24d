"""The columns of supported living's tables, defined once: the page and its CSV download
show the same thing (``core.tables``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from caremarket.core.tables import Column, Table, wants_csv
from caremarket.supported_living import rules


def csv_of(request: HttpRequest, tables: dict[str, Table], default: str) -> HttpResponse | None:
    """The CSV of the table the link names (``?format=csv&table=...``), or None."""
    if not wants_csv(request):
        return None
    name = request.GET.get("table", default)
    table = tables.get(name) or tables[default]
    return table.csv_response(table.caption or name)


def status_label(room: Any, at: datetime) -> str:
    status = room.effective_status(at)
    label = rules.STATUS_LABELS[status]
    if status == rules.UNAVAILABLE:
        label = f"{label}: {room.unavailable_reason}"
    if rules.is_stale(status, room.last_confirmed_at, at):
        label = f"{label} (stale: not confirmed for over {rules.STALE_AFTER_DAYS} days)"
    return label


def room_columns(at: datetime, *, link: str | None = None) -> list[Column]:
    return [
        Column(
            "room",
            "Room",
            get=lambda r: f"{r.property.name}, {r.name}",
            link=(lambda r: reverse(link, args=[r.pk])) if link else None,
        ),
        Column("scheme", "Scheme", get=lambda r: r.property.scheme.name),
        Column("zone", "Zone", get=lambda r: r.property.zone.name),
        Column("kind", "Kind", get=lambda r: r.property.get_kind_display()),
        Column("status", "Status", get=lambda r: status_label(r, at)),
        Column("void_since", "Empty since", format="date"),
        Column(
            "confirmed",
            "Last confirmed",
            get=lambda r: r.last_confirmed_at.date(),
            format="date",
        ),
        Column(
            "provider",
            "Care provider",
            get=lambda r: (
                r.property.scheme.care_provider.display_name
                if r.property.scheme.care_provider
                else ""
            ),
        ),
    ]


PROPERTY_COLUMNS = [
    Column("name", "Property"),
    Column("scheme", "Scheme", get=lambda p: p.scheme.name),
    Column("postcode", "Postcode"),
    Column("zone", "Zone", get=lambda p: p.zone.name),
    Column("landlord", "Landlord", get=lambda p: p.landlord.name),
    Column("kind", "Kind", get=lambda p: p.get_kind_display()),
    Column("accessibility", "Accessibility", get=lambda p: ", ".join(p.accessibility)),
    Column("rooms", "Rooms", get=lambda p: p.n_rooms, numeric=True),
    Column("available", "Available", get=lambda p: p.n_available, numeric=True),
    Column("voids", "Council pays voids", get=lambda p: "Yes" if p.council_pays_voids else "No"),
]

LOT_COLUMNS = [
    Column("lot", "Lot", get=lambda s: str(s.lot)),
    Column("schemes", "Schemes", numeric=True),
    Column("properties", "Properties", numeric=True),
    Column("rooms", "Rooms", numeric=True),
    Column("occupied", "Occupied", numeric=True),
    Column("available", "Available", numeric=True),
    Column("held", "Held", numeric=True),
    Column("unavailable", "Unavailable", numeric=True),
    Column("stale", "Stale vacancies", numeric=True),
]

RESIDENT_COLUMNS = [
    Column("group", "Group"),
    Column("lot", "Lot"),
    *(Column(level, label, numeric=True) for level, label in reversed(rules.BAND_LEVELS)),
    Column("total", "Total", numeric=True),
]

VOID_COLUMNS = [
    Column("room", "Room", get=lambda v: f"{v.room.property.name}, {v.room.name}"),
    Column("scheme", "Scheme", get=lambda v: v.room.property.scheme.name),
    Column("zone", "Zone", get=lambda v: v.room.property.zone.name),
    Column("status", "Status", get=lambda v: rules.STATUS_LABELS[v.status]),
    Column("since", "Void since", format="date"),
    Column("days", "Days void", numeric=True),
    Column("long", "Long void (over 90 days)", get=lambda v: "Long void" if v.long else ""),
    Column(
        "weekly", "Council pays a week", get=lambda v: v.weekly_cost, numeric=True, format="money"
    ),
    Column("cost", "Cost to the council so far", numeric=True, format="money"),
    Column("stale", "Stale", get=lambda v: "Stale" if v.stale else ""),
]

HISTORY_COLUMNS = [
    Column("at", "Recorded", format="date", get=lambda c: c.at.date()),
    Column("status", "Status", get=lambda c: rules.STATUS_LABELS[c.status]),
    Column("effective_from", "From", format="date"),
    Column("reason", "Reason"),
]
