"""Every write to care homes and returns, each in one transaction, refusing with core.errors.

A return is made by a provider's user for its own home, from the form, the API or an import;
all three come through ``submit_return``, so the checks are the same wherever the figures come
from and nobody types a return twice. A resubmission for the same month adds a new version
that supersedes the last (the old one stays, with its history); the same figures sent again
change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from caremarket.care_homes import selectors
from caremarket.care_homes.models import CareHome, RegisteredBeds, VacancyReturn, VacancyReturnLine
from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.core.permissions import require
from caremarket.core.roles import Actor
from caremarket.engine import vacancy
from caremarket.market import selectors as market_selectors
from caremarket.market.models import Commissioner
from caremarket.providers.models import Location

WORKFORCE_FIELDS = (
    "nurses_employed",
    "care_staff_employed",
    "non_care_staff_employed",
    "nurses_agency",
    "care_staff_agency",
    "non_care_staff_agency",
)
WORKFORCE_LABELS = {
    "nurses_employed": "Directly employed registered nurses",
    "care_staff_employed": "Directly employed care-providing staff",
    "non_care_staff_employed": "Directly employed non-care-providing staff",
    "nurses_agency": "Agency or bank registered nurses",
    "care_staff_agency": "Agency or bank care-providing staff",
    "non_care_staff_agency": "Agency or bank non-care-providing staff",
}


@dataclass(frozen=True)
class ReturnInput:
    """A return as a person or a file gives it: bed lines and the six headcounts."""

    month: date
    lines: Sequence[vacancy.BedLine]
    workforce: Mapping[str, int]


def return_errors(home: CareHome, data: ReturnInput, today: date) -> dict[str, str]:
    """Every fault in a return for a home (field -> message); empty when it may be saved.
    Fields are ``month``, ``workforce field names`` and ``<bed_type>-<field>`` for lines."""
    errors: dict[str, str] = {}
    refusal = vacancy.month_refusal(data.month, today)
    if refusal:
        errors["month"] = refusal
    if home.closed_on and vacancy.month_start(data.month) > home.closed_on:
        errors["month"] = "The home had closed by then: no return is owed."
    for field in WORKFORCE_FIELDS:
        value = data.workforce.get(field)
        if value is None or not 0 <= value <= vacancy.MAX_HEADCOUNT:
            errors[field] = (
                f"{WORKFORCE_LABELS[field]} must be a whole number from 0 to "
                f"{vacancy.MAX_HEADCOUNT}."
            )
    registered = {b.bed_type: b.beds for b in home.beds.all()}
    given = [line.bed_type for line in data.lines]
    for bed_type in {t for t in given if given.count(t) > 1}:
        errors[f"{bed_type}-bed_type"] = "Give each bed type once."
    for line in data.lines:
        for field, message in vacancy.line_errors(line, registered.get(line.bed_type)).items():
            errors[f"{line.bed_type}-{field}"] = message
    missing = [t for t in registered if t not in given]
    if missing:
        labels = ", ".join(vacancy.BED_TYPE_LABELS[t].lower() for t in missing)
        errors["lines"] = f"Give the figures for every registered bed type: {labels}."
    return errors


def _same(existing: VacancyReturn, data: ReturnInput) -> bool:
    lines = {
        (x.bed_type, x.maximum_capacity, x.occupied, x.vacant_reserved, x.vacant_accepting)
        for x in existing.lines.all()
    }
    given = {
        (x.bed_type, x.maximum_capacity, x.occupied, x.vacant_reserved, x.vacant_accepting)
        for x in data.lines
    }
    return lines == given and all(
        getattr(existing, f) == data.workforce[f] for f in WORKFORCE_FIELDS
    )


def _home_for_return(user: Actor, care_home_id: int) -> CareHome:
    """The home, locked for the write, if the user returns for it: a provider for its own
    homes, a commissioner for those in its zones. Any other is not found."""
    visible = selectors.care_homes_for(user).filter(pk=care_home_id).values("pk")
    home = (
        CareHome.objects.select_for_update().filter(pk__in=visible).prefetch_related("beds").first()
    )
    if home is None:
        raise NotFound("None of the care homes you return for has that id.")
    return home


def submit_return(
    user: Actor,
    care_home_id: int,
    data: ReturnInput,
    *,
    source: str = VacancyReturn.Source.FORM,
    import_run_id: int | None = None,
) -> tuple[VacancyReturn, bool]:
    """Save a home's return for a month; returns (the return in force, whether it is new).

    The first return for a month is version 1; different figures later add version n+1
    superseding n; the same figures again return the version in force unchanged.
    """
    require(user, "submit_care_home_return")
    month = vacancy.month_start(data.month)
    data = ReturnInput(month, list(data.lines), dict(data.workforce))
    try:
        with transaction.atomic():
            home = _home_for_return(user, care_home_id)
            errors = return_errors(home, data, clock.today())
            if errors:
                raise Invalid(errors)
            current = VacancyReturn.objects.current().for_month(month).filter(care_home=home)
            previous = current.prefetch_related("lines").first()
            if previous is not None and _same(previous, data):
                return previous, False
            made = VacancyReturn.objects.create(
                care_home=home,
                month=month,
                version=previous.version + 1 if previous else 1,
                supersedes=previous,
                submitted_at=clock.now(),
                submitted_by=user if getattr(user, "pk", None) else None,
                source=source,
                import_run_id=import_run_id,
                **{f: data.workforce[f] for f in WORKFORCE_FIELDS},
            )
            VacancyReturnLine.objects.bulk_create(
                VacancyReturnLine(
                    vacancy_return=made,
                    bed_type=x.bed_type,
                    maximum_capacity=x.maximum_capacity,
                    occupied=x.occupied,
                    vacant_reserved=x.vacant_reserved,
                    vacant_accepting=x.vacant_accepting,
                )
                for x in data.lines
            )
    except IntegrityError as exc:  # another correction of the same version landed first
        raise Conflict(
            "This return was corrected by someone else a moment ago; reload and check it."
        ) from exc
    return made, True


def register_care_home(
    user: Actor,
    *,
    location: Location,
    commissioner: Commissioner,
    kind: str,
    beds: Mapping[str, int],
) -> CareHome:
    """Record a provider's location as a care home with its registered beds; the zone is the
    commissioner's for the location's postcode. Platform staff do this (registration data)."""
    require(user, "register_care_home")
    if kind not in CareHome.Kind.values:
        raise Invalid({"kind": "Choose residential or nursing."})
    errors = {
        t: f"Registered beds must be 1 to {vacancy.MAX_BEDS}."
        for t, n in beds.items()
        if not 1 <= n <= vacancy.MAX_BEDS
    }
    errors |= {t: "Unknown bed type." for t in beds if t not in vacancy.BED_TYPE_LABELS}
    if not beds:
        errors["beds"] = "A care home has registered beds of at least one type."
    try:
        _, zone = market_selectors.zone_for_postcode(commissioner, location.postcode)
    except ValueError as exc:
        errors["postcode"] = str(exc)
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        if CareHome.objects.filter(location=location).exists():
            raise Conflict("That location is already a care home.")
        home = CareHome.objects.create(location=location, kind=kind, zone=zone)
        RegisteredBeds.objects.bulk_create(
            RegisteredBeds(care_home=home, bed_type=t, beds=n) for t, n in beds.items()
        )
    return home


def input_from(
    month: date, lines: Sequence[Mapping[str, Any]], workforce: Mapping[str, Any]
) -> ReturnInput:
    """Build a ReturnInput from plain mappings (the API's and the importer's shape)."""
    return ReturnInput(
        month=month,
        lines=[
            vacancy.BedLine(
                str(x["bed_type"]),
                int(x["maximum_capacity"]),
                int(x["occupied"]),
                int(x["vacant_reserved"]),
                int(x["vacant_accepting"]),
            )
            for x in lines
        ],
        workforce={f: int(workforce[f]) for f in WORKFORCE_FIELDS if workforce.get(f) is not None},
    )
