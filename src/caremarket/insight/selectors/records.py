"""The records behind a figure: the packages in place and the people awaiting care a
dashboard count was made from, filtered the same way the count was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from caremarket.core.tables import Column
from caremarket.insight.models import AwaitingCareRecord, PackageInPlace
from caremarket.market.models import Commissioner


@dataclass
class RecordPage:
    title: str
    caption: str
    empty: str
    columns: list[Column]
    rows: Any


ORDER = {
    "zone": "zone__number",
    "care_group": "care_group__code",
    "service_type": "service_type__name",
}


def ordered(rows: Any, sort: str, descending: bool) -> Any:
    """The records in the table's order, sorted by the database (a drill-down can hold a
    hundred thousand records: only the page on show is read into Python)."""
    field = ORDER.get(sort, sort) or "reference"
    return rows.order_by(f"-{field}" if descending else field, "pk")


def records(
    commissioner: Commissioner,
    kind: str,
    on: date,
    *,
    zone: int | None = None,
    care_group: str | None = None,
    setting: str | None = None,
) -> RecordPage:
    if kind == "awaiting":
        qs = AwaitingCareRecord.objects.live(on).filter(commissioner=commissioner)
        columns = [
            Column("reference", "Reference"),
            Column("person_reference", "Person"),
            Column("zone", "Zone", get=lambda r: r.zone.number, numeric=True),
            Column("care_group", "Care group", get=lambda r: r.care_group.code),
            Column("hours_per_week", "Hours a week", numeric=True, format="hours"),
            Column("awaiting_since", "Waiting since", format="date"),
            Column("import_run_id", "Import", numeric=True),
            Column("line", "Line", numeric=True),
        ]
        title, empty = "Awaiting care (imported list)", "Nobody on the imported list was waiting."
    else:
        qs = PackageInPlace.objects.live(on).filter(commissioner=commissioner)
        if setting:
            qs = qs.filter(setting=setting)
        columns = [
            Column("reference", "Reference"),
            Column("person_reference", "Person"),
            Column("zone", "Zone", get=lambda r: r.zone.number, numeric=True),
            Column("care_group", "Care group", get=lambda r: r.care_group.code),
            Column("setting", "Setting", get=lambda r: r.get_setting_display()),
            Column("service_type", "Service", get=lambda r: r.service_type.name),
            Column("hours_per_week", "Hours a week", numeric=True, format="hours"),
            Column("band", "Band"),
            Column("start_date", "From", format="date"),
            Column("end_date", "To", format="date"),
            Column("import_run_id", "Import", numeric=True),
            Column("line", "Line", numeric=True),
        ]
        title, empty = "Packages in place (imported)", "No imported package was in place."
    if zone is not None:
        qs = qs.filter(zone__number=zone)
    if care_group:
        qs = qs.filter(care_group__code=care_group)
    qs = qs.select_related("zone", "care_group", *(["service_type"] if kind != "awaiting" else []))
    return RecordPage(title, f"{title} on {on:%-d %B %Y}", empty, columns, qs)
