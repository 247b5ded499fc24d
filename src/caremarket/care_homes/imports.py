"""Care home returns from a CSV file (a provider's own export, or Capacity Tracker's).

One row per home, month and bed type; the six workforce headcounts repeat on every row of a
home's month and must agree. Homes are named by their CQC location id, as the Tracker's
exports name them. Every row is checked first (``check_row``: the shared parsers, the home
is one the importer may return for, the month, the line's figures); only when every row is
sound are the returns written, all in one transaction, through ``services.submit_return``
(so a re-import of the same figures changes nothing, and changed figures add a version).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from caremarket.care_homes import selectors, services
from caremarket.care_homes.models import VacancyReturn
from caremarket.care_homes.rules import parse_month
from caremarket.core import clock
from caremarket.core import imports as core_imports
from caremarket.core.errors import CaremarketError, Invalid
from caremarket.engine import vacancy

KIND = "care-home-returns"


def _month(value: str) -> date:
    text = value.strip()
    if "/" in text:  # 11/2026 or 01/11/2026
        parts = text.split("/")
        text = f"{parts[-1]}-{parts[-2]}"
    month = parse_month(text)
    if month is None:
        raise ValueError("must be a month like 2026-11")
    return month


def _bed_type(value: str) -> str:
    """A bed type's code or its label, in any case."""
    key = value.strip().lower()
    for code, label in vacancy.BED_TYPES:
        if key in (code, label.lower()):
            return code
    raise ValueError("must be one of " + ", ".join(code for code, _ in vacancy.BED_TYPES))


def _importer(context: dict[str, Any]) -> Any:
    """Whoever started the run: the returns are theirs to make (scoped as they are)."""
    user = context["run"].created_by
    if user is None:
        raise Invalid({"cqc_location_id": "An import of returns needs the person making it."})
    return user


BEDS = core_imports.integer(0, vacancy.MAX_BEDS)
HEADS = core_imports.integer(0, vacancy.MAX_HEADCOUNT)


class CareHomeReturnsImporter(core_imports.Importer):
    kind = KIND
    title = "Care home vacancy returns"
    columns = (
        core_imports.Column("cqc_location_id", core_imports.text(20), help="Like 1-123456789"),
        core_imports.Column("month", _month, help="The month returned for, like 2026-11"),
        core_imports.Column("bed_type", _bed_type, help="general_residential, ..."),
        core_imports.Column("maximum_capacity", BEDS),
        core_imports.Column("occupied", BEDS),
        core_imports.Column("vacant_reserved", BEDS),
        core_imports.Column("vacant_accepting", BEDS),
        *(core_imports.Column(f, HEADS) for f in services.WORKFORCE_FIELDS),
    )

    def check_row(self, row: dict[str, Any], line: int, context: dict[str, Any]) -> dict[str, str]:
        user = _importer(context)
        homes = context.setdefault("homes", {})
        cqc = row["cqc_location_id"]
        if cqc not in homes:
            homes[cqc] = selectors.care_home_by_cqc_id(user, cqc)
        home = homes[cqc]
        if home is None:
            return {"cqc_location_id": f"{cqc} is not one of the care homes you return for."}
        errors: dict[str, str] = {}
        refusal = vacancy.month_refusal(row["month"], clock.today())
        if refusal:
            errors["month"] = refusal
        seen = context.setdefault("seen", {})
        key = (home.pk, row["month"], row["bed_type"])
        if key in seen:
            errors["bed_type"] = (
                f"This home's {row['bed_type']} for the month is on line {seen[key]} too."
            )
        seen.setdefault(key, line)
        registered = {b.bed_type: b.beds for b in home.beds.all()}
        bed_line = vacancy.BedLine(
            row["bed_type"],
            row["maximum_capacity"],
            row["occupied"],
            row["vacant_reserved"],
            row["vacant_accepting"],
        )
        for field, message in vacancy.line_errors(
            bed_line, registered.get(row["bed_type"])
        ).items():
            errors[field] = message
        workforce = tuple(row[f] for f in services.WORKFORCE_FIELDS)
        first = context.setdefault("workforce", {}).setdefault(
            (home.pk, row["month"]), (line, workforce)
        )
        if first[1] != workforce:
            errors["nurses_employed"] = (
                f"The workforce headcounts differ from line {first[0]} for the same home and month."
            )
        return errors

    def write(self, rows: Iterator[tuple[int, dict[str, Any]]], context: dict[str, Any]) -> int:
        user = _importer(context)
        groups: dict[tuple[str, date], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for line, row in rows:
            groups[(row["cqc_location_id"], row["month"])].append((line, row))
        written = 0
        for (cqc, month), group in groups.items():
            home = selectors.care_home_by_cqc_id(user, cqc)
            first_line, first = group[0]
            data = services.input_from(month, [r for _, r in group], first)
            try:
                _, created = services.submit_return(
                    user,
                    home.pk,
                    data,
                    source=VacancyReturn.Source.IMPORT,
                    import_run_id=context["run"].pk,
                )
            except CaremarketError as exc:
                raise Invalid(
                    {"cqc_location_id": f"Line {first_line} ({cqc}, {month:%B %Y}): {exc.message}"}
                ) from exc
            written += len(group) if created else 0
        return written


def register() -> None:
    core_imports.register(CareHomeReturnsImporter())
