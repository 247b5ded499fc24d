"""The council's files (docs/imports/): packages in place, the awaiting-care list and
population. Each is a ``core.imports.Importer``: every row is checked first (an unknown zone
or care group names its line and column), then all are written in one transaction or none.

Re-importing: the same file is a repeat and changes nothing (``core.imports``); a later file
with the same references updates those records in place (upsert by reference), so a council
can send its whole list every month. Bulk writes skip django-simple-history; every record
keeps the import run and line that wrote it instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from caremarket.core import clock
from caremarket.core import imports as core_imports
from caremarket.core.imports import Column, choice, date_value, decimal, integer, text
from caremarket.frameworks.models import Band, Lot
from caremarket.insight.models import AwaitingCareRecord, PackageInPlace, PopulationCount, Setting
from caremarket.insight.services import summary
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Zone

BATCH = 2000
EARLIEST = date(1990, 1, 1)
Row = dict[str, Any]


def _lookups(context: dict[str, Any]) -> dict[str, Any]:
    """Zones, care groups, service types and lots, read once per run."""
    if "lookups" not in context:
        commissioner_id = context["options"].get("commissioner_id")
        commissioner = Commissioner.objects.filter(pk=commissioner_id).first()
        zones = Zone.objects.filter(commissioner_id=commissioner_id)
        groups = {}
        for g in CareGroup.objects.all():
            groups[g.code.casefold()] = g.pk
            groups[g.name.casefold()] = g.pk
        groups.setdefault("autism", groups.get("aut"))
        lots = Lot.objects.filter(framework__commissioner_id=commissioner_id).select_related(
            "framework"
        )
        context["lookups"] = {
            "commissioner": commissioner,
            "zones": {str(z.number): z.pk for z in zones}
            | {z.name.casefold(): z.pk for z in zones},
            "groups": groups,
            "services": {s.code: (s.pk, s.code) for s in ServiceType.objects.all()},
            "lots": {f"{lot.framework.slug}/{lot.number}": lot.pk for lot in lots},
        }
    return context["lookups"]


def _zone_group_service(row: Row, context: dict[str, Any]) -> dict[str, str]:
    found = _lookups(context)
    errors: dict[str, str] = {}
    if found["commissioner"] is None:
        return {"": "Say whose data this is: the import needs a commissioner."}
    if row.get("zone") is not None and row["zone"].casefold() not in found["zones"]:
        known = ", ".join(sorted((k for k in found["zones"] if k.isdigit()), key=int))
        errors["zone"] = f"zone {row['zone']!r} is not one of {found['commissioner']}'s ({known})"
    if row.get("care_group") is not None and row["care_group"].casefold() not in found["groups"]:
        codes = ", ".join(CareGroup.objects.values_list("code", flat=True))
        errors["care_group"] = f"care_group {row['care_group']!r} is not known (one of {codes})"
    if row.get("service_type") is not None and row["service_type"] not in found["services"]:
        errors["service_type"] = f"service_type {row['service_type']!r} is not a service type code"
    return errors


class PackagesInPlaceImporter(core_imports.Importer):
    kind = "packages-in-place"
    title = "Existing service agreements (packages in place)"
    columns = (
        Column("reference", text(40), help="The council's package reference, unique."),
        Column("person_reference", text(40), help="The person's reference (pseudonymous)."),
        Column("care_group", text(80), help="OP, OPMH, PD, LD, MH or AUT (or the name)."),
        Column("service_type", text(40), help="A service type code, e.g. personal-care."),
        Column("setting", choice(Setting.values), required=False, help="home or group."),
        Column("lot", text(100), required=False, help="framework-slug/lot-number."),
        Column("zone", text(80), help="The zone's number (or name)."),
        Column("hours_per_week", decimal(2, 0, 168), required=False),
        Column("band", choice(Band.Level.values), required=False),
        Column("start_date", date_value(EARLIEST)),
        Column("end_date", date_value(EARLIEST), required=False),
    )

    def check_row(self, row: Row, line: int, context: dict[str, Any]) -> dict[str, str]:
        errors = _zone_group_service(row, context)
        if row["lot"] is not None and row["lot"] not in _lookups(context)["lots"]:
            errors["lot"] = f"lot {row['lot']!r} is not one of this commissioner's lots"
        if row["hours_per_week"] is None and row["band"] is None:
            errors["hours_per_week"] = "hours_per_week or band must be filled in"
        if row["hours_per_week"] is not None and row["hours_per_week"] <= 0:
            errors["hours_per_week"] = "hours_per_week must be more than 0"
        if row["end_date"] is not None and row["end_date"] < row["start_date"]:
            errors["end_date"] = "end_date must be on or after start_date"
        return errors

    def write(self, rows: Iterator[tuple[int, Row]], context: dict[str, Any]) -> int:
        found = _lookups(context)
        run_id = context["run"].pk
        commissioner_id = found["commissioner"].pk

        def record(line: int, row: Row) -> PackageInPlace:
            service_pk, service_code = found["services"][row["service_type"]]
            default = Setting.GROUP if service_code == "group-day-opportunity" else Setting.HOME
            return PackageInPlace(
                commissioner_id=commissioner_id,
                reference=row["reference"],
                person_reference=row["person_reference"],
                care_group_id=found["groups"][row["care_group"].casefold()],
                service_type_id=service_pk,
                setting=row["setting"] or default,
                lot_id=found["lots"].get(row["lot"] or ""),
                zone_id=found["zones"][row["zone"].casefold()],
                hours_per_week=row["hours_per_week"],
                band=row["band"] or "",
                start_date=row["start_date"],
                end_date=row["end_date"],
                import_run_id=run_id,
                line=line,
            )

        fields = [f.name for f in PackageInPlace._meta.concrete_fields]
        update = [f for f in fields if f not in ("id", "commissioner", "reference")]
        written = _upsert(PackageInPlace, (record(n, r) for n, r in rows), update)
        summary.refresh(commissioner_id)  # same transaction: the dashboard is never stale
        return written


class AwaitingCareImporter(core_imports.Importer):
    kind = "awaiting-care"
    title = "People awaiting care (the council's list)"
    columns = (
        Column("reference", text(40)),
        Column("person_reference", text(40)),
        Column("zone", text(80)),
        Column("care_group", text(80)),
        Column("service_type", text(40)),
        Column("hours_per_week", decimal(2, 0, 168)),
        Column("awaiting_since", date_value(EARLIEST)),
        Column("resolved_on", date_value(EARLIEST), required=False),
    )

    def check_row(self, row: Row, line: int, context: dict[str, Any]) -> dict[str, str]:
        errors = _zone_group_service(row, context)
        if row["hours_per_week"] <= 0:
            errors["hours_per_week"] = "hours_per_week must be more than 0"
        if row["awaiting_since"] > clock.today():
            errors["awaiting_since"] = "awaiting_since cannot be in the future"
        if row["resolved_on"] is not None and row["resolved_on"] < row["awaiting_since"]:
            errors["resolved_on"] = "resolved_on must be on or after awaiting_since"
        return errors

    def write(self, rows: Iterator[tuple[int, Row]], context: dict[str, Any]) -> int:
        found = _lookups(context)
        run_id = context["run"].pk

        def record(line: int, row: Row) -> AwaitingCareRecord:
            return AwaitingCareRecord(
                commissioner_id=found["commissioner"].pk,
                reference=row["reference"],
                person_reference=row["person_reference"],
                zone_id=found["zones"][row["zone"].casefold()],
                care_group_id=found["groups"][row["care_group"].casefold()],
                service_type_id=found["services"][row["service_type"]][0],
                hours_per_week=row["hours_per_week"],
                awaiting_since=row["awaiting_since"],
                resolved_on=row["resolved_on"],
                import_run_id=run_id,
                line=line,
            )

        fields = [f.name for f in AwaitingCareRecord._meta.concrete_fields]
        update = [f for f in fields if f not in ("id", "commissioner", "reference")]
        written = _upsert(AwaitingCareRecord, (record(n, r) for n, r in rows), update)
        summary.refresh(found["commissioner"].pk)
        return written


class PopulationImporter(core_imports.Importer):
    kind = "population"
    title = "Population (ONS-style estimates and projections)"
    columns = (
        Column("area", text(12), help="ONS area code."),
        Column("age_band", text(8), help="18-24, 25-29 ... 85-89, 90+."),
        Column("sex", choice(PopulationCount.Sex.values)),
        Column("year", integer(1990, 2100)),
        Column("count", integer(0, 20_000_000)),
    )

    def check_row(self, row: Row, line: int, context: dict[str, Any]) -> dict[str, str]:
        if _lookups(context)["commissioner"] is None:
            return {"": "Say whose data this is: the import needs a commissioner."}
        band = row["age_band"]
        low, _, high = band.rstrip("+").partition("-")
        if not low.isdigit() or (high and not high.isdigit()) or (not high and "+" not in band):
            return {"age_band": f"age_band {band!r} must look like 65-69 or 90+"}
        seen = context.setdefault("population_cells", set())
        key = (row["area"], band, row["sex"], row["year"])
        if key in seen:
            return {"age_band": "this area, age band, sex and year is already in the file"}
        seen.add(key)
        return {}

    def write(self, rows: Iterator[tuple[int, Row]], context: dict[str, Any]) -> int:
        commissioner_id = _lookups(context)["commissioner"].pk
        run_id = context["run"].pk
        records = (
            PopulationCount(
                commissioner_id=commissioner_id,
                area=r["area"],
                age_band=r["age_band"],
                sex=r["sex"],
                year=r["year"],
                count=r["count"],
                import_run_id=run_id,
            )
            for _, r in rows
        )
        return _upsert(PopulationCount, records, ["count", "import_run_id"])


def _upsert(model: Any, records: Iterator[Any], update_fields: list[str]) -> int:
    """Insert, or update the record with the same natural key, in batches."""
    unique = next(c for c in model._meta.constraints if c.name.endswith("_unique"))
    written = 0
    batch: list[Any] = []
    for record in records:
        batch.append(record)
        if len(batch) >= BATCH:
            written += _flush(model, batch, list(unique.fields), update_fields)
            batch = []
    if batch:
        written += _flush(model, batch, list(unique.fields), update_fields)
    return written


def _flush(model: Any, batch: list[Any], unique: list[str], update: list[str]) -> int:
    model.objects.bulk_create(
        batch, update_conflicts=True, unique_fields=unique, update_fields=update
    )
    return len(batch)


IMPORTERS = (PackagesInPlaceImporter(), AwaitingCareImporter(), PopulationImporter())


def register_all() -> None:
    for importer in IMPORTERS:
        core_imports.register(importer)
