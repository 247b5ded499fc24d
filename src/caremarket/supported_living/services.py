"""Writes to supported living rooms, each in a transaction, refusing with ``core.errors``.

A provider keeps its rooms' status up to date (vacant, occupied, unavailable with a reason)
and confirms that a vacancy is still vacant; every change is a ``RoomStatusChange`` row as
well as the room's own status. Holds and bookings are the bookings app's: it locks a room
with ``lock_room`` and moves it with ``hold``, ``free`` and ``occupy`` here, so the room's
invariants (a void start date unless occupied, a hold with an end) live in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from django.db import transaction

from caremarket.core import clock, imports
from caremarket.core import roles as access
from caremarket.core.errors import Invalid, NotFound
from caremarket.engine import postcodes
from caremarket.frameworks.models import Lot
from caremarket.market.selectors import zone_for_postcode
from caremarket.supported_living import rules
from caremarket.supported_living.models import (
    Landlord,
    Property,
    ResidentCount,
    Room,
    RoomStatusChange,
    Scheme,
    SupportGroup,
)


def _acting(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


def lock_room(room_id: int) -> Room:
    """The room's row, locked until the transaction ends (every hold and answer takes it)."""
    room = (
        Room.objects.select_for_update(of=("self",))
        .select_related("property__scheme")
        .filter(pk=room_id)
        .first()
    )
    if room is None:
        raise NotFound("No room here that you can see.")
    return room


def _own_room(room_id: int, by: Any) -> Room:
    """Lock a room the acting provider cares for (or any, for a platform administrator)."""
    room = lock_room(room_id)
    if not access.is_platform(by) and (
        not access.is_provider(by)
        or room.property.scheme.care_provider_id != access.provider_id_of(by)
    ):
        raise NotFound("No room here that you can see.")
    return room


def _record(room: Room, status: str, on: date, by: Any, reason: str = "") -> None:
    RoomStatusChange.objects.create(
        room=room, status=status, effective_from=on, reason=reason[:240], by=_acting(by)
    )


# A room someone lives in under a tenancy is the bookings app's to free (ending the tenancy
# ends the service agreement too), but this app may not import bookings: it registers here a
# check that answers why a room may not be set by hand, or None.
TenancyCheck = Callable[[Room], str | None]
_tenancy_checks: list[TenancyCheck] = []


def register_tenancy_check(check: TenancyCheck) -> None:
    """``set_status`` asks ``check(room)`` before any change but to occupied; a message
    refuses the change (on the status field). Registering the same check twice is harmless."""
    if check not in _tenancy_checks:
        _tenancy_checks.append(check)


def _tenancy_problem(room: Room) -> str | None:
    return next((m for m in (check(room) for check in _tenancy_checks) if m), None)


@transaction.atomic
def set_status(
    room_id: int, *, by: Any, status: str, reason: str = "", void_since: date | None = None
) -> Room:
    """A provider says what a room is now. Vacant keeps an existing void start date (or
    starts one: given, or today); occupied ends the void. Also confirms the room. A room
    with a tenancy in force is not freed by hand (see ``register_tenancy_check``)."""
    room = _own_room(room_id, by)
    now = clock.now()
    current = room.effective_status(now)
    problem = rules.status_change_problem(current, status, reason)
    if status != rules.OCCUPIED and "status" not in problem:
        tenancy = _tenancy_problem(room)
        if tenancy:
            raise Invalid({"status": tenancy})
    today = clock.today()
    if void_since is not None and not (today.replace(year=today.year - 5) <= void_since <= today):
        problem.setdefault("void_since", "The void start date must be in the last five years.")
    if problem:
        raise Invalid(problem)
    room.status = status
    if status == rules.OCCUPIED:
        room.void_since = None
    else:
        room.void_since = void_since or room.void_since or today
    room.unavailable_reason = reason.strip()[:240] if status == rules.UNAVAILABLE else ""
    room.held_until = None
    room.last_confirmed_at, room.last_confirmed_by = now, _acting(by)
    room.save()
    _record(room, status, room.void_since or today, by, reason)
    return room


@transaction.atomic
def confirm_unchanged(room_ids: list[int], *, by: Any) -> int:
    """The provider confirms these rooms' status is still right (no longer stale)."""
    rooms = [_own_room(pk, by) for pk in sorted(set(room_ids))]
    now = clock.now()
    for room in rooms:
        room.last_confirmed_at, room.last_confirmed_by = now, _acting(by)
        room.save(update_fields=["last_confirmed_at", "last_confirmed_by"])
    return len(rooms)


# --- moves made by a booking (the caller holds the room's lock) -----------------------------


def hold(room: Room, *, until: datetime, by: Any, reason: str) -> None:
    room.status, room.held_until = rules.HELD, until
    room.save(update_fields=["status", "held_until"])
    _record(room, rules.HELD, clock.today(), by, reason)


def free(room: Room, *, by: Any, reason: str) -> None:
    """Back to vacant after a hold: the void goes on from its original start date."""
    room.status, room.held_until = rules.VACANT, None
    room.void_since = room.void_since or clock.today()
    room.save(update_fields=["status", "held_until", "void_since"])
    _record(room, rules.VACANT, clock.today(), by, reason)


def occupy(room: Room, *, on: date, by: Any, reason: str) -> None:
    room.status, room.held_until, room.void_since = rules.OCCUPIED, None, None
    room.unavailable_reason = ""
    room.last_confirmed_at, room.last_confirmed_by = clock.now(), _acting(by)
    room.save()
    _record(room, rules.OCCUPIED, on, by, reason)


def vacate(room: Room, *, on: date, by: Any, reason: str) -> None:
    """The tenant moved out on ``on``: vacant, void from that day, confirmed now."""
    room.status, room.held_until, room.void_since = rules.VACANT, None, on
    room.unavailable_reason = ""
    room.last_confirmed_at, room.last_confirmed_by = clock.now(), _acting(by)
    room.save()
    _record(room, rules.VACANT, on, by, reason)


# --- adding properties and rooms ------------------------------------------------------------


@transaction.atomic
def add_property(
    scheme: Scheme,
    *,
    landlord: Landlord,
    name: str,
    address: str,
    postcode: str,
    rooms: int,
    kind: str = rules.SHARED,
    **features: Any,
) -> Property:
    """A property with its rooms, all vacant from today; its zone from its postcode."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the property's name."
    if not 1 <= rooms <= 60:
        errors["rooms"] = "A property has between 1 and 60 rooms."
    try:
        code, zone = zone_for_postcode(scheme.commissioner, postcode)
    except postcodes.InvalidPostcode as exc:
        errors["postcode"] = str(exc)
    if errors:
        raise Invalid(errors)
    unknown = set(features) - set(rules.ACCESSIBILITY_FIELDS) - {"latitude", "longitude"}
    if unknown:
        raise Invalid(f"Unknown features: {', '.join(sorted(unknown))}.")
    prop = Property.objects.create(
        scheme=scheme,
        landlord=landlord,
        name=name.strip(),
        address=address.strip(),
        postcode=str(code),
        zone=zone,
        kind=kind,
        **features,
    )
    today = clock.today()
    Room.objects.bulk_create(
        Room(property=prop, name=f"Room {n}", status=rules.VACANT, void_since=today)
        for n in range(1, rooms + 1)
    )
    return prop


# --- the residents census, imported from a CSV ----------------------------------------------


class ResidentsImporter(imports.Importer):
    """Residents by group and band (seed 004's table 1, or a later census), one row per
    group, lot (optional) and band. All or nothing; a census already recorded for a date is
    never overwritten: a correction is a census with a later date, which the pages show."""

    kind = "supported-living-residents"
    title = "Supported living residents by group and band"
    columns = (
        imports.Column("group", imports.text(8), help="The group's code: 1, 2, 3a, 3b, 3c, 4."),
        imports.Column("lot", imports.integer(1, 99), required=False, help="The lot's number."),
        imports.Column("band", imports.choice([level for level, _ in rules.BAND_LEVELS])),
        imports.Column("residents", imports.integer(0, 100_000)),
        imports.Column("counted_on", imports.date_value(earliest=date(2000, 1, 1))),
    )

    def check_row(self, row: dict[str, Any], line: int, context: dict[str, Any]) -> dict[str, str]:
        commissioner_id = context["options"]["commissioner_id"]
        if "groups" not in context:
            context["groups"] = dict(
                SupportGroup.objects.filter(commissioner_id=commissioner_id).values_list(
                    "code", "pk"
                )
            )
            context["lots"] = dict(
                Lot.objects.filter(framework__commissioner_id=commissioner_id)
                .order_by("framework__start_date")
                .values_list("number", "pk")
            )
            context["seen"] = set()
        problems: dict[str, str] = {}
        if row["group"] not in context["groups"]:
            known = ", ".join(sorted(context["groups"])) or "none yet"
            problems["group"] = f"Unknown group {row['group']!r}. Use one of: {known}."
        if row.get("lot") is not None and row["lot"] not in context["lots"]:
            problems["lot"] = f"There is no lot {row['lot']}."
        if row["counted_on"] > clock.today():
            problems["counted_on"] = "The census date cannot be in the future."
        key = (row["group"], row.get("lot"), row["band"], row["counted_on"])
        if key in context["seen"]:
            problems["band"] = "This group, lot, band and date is already on an earlier line."
        context["seen"].add(key)
        if (
            not problems
            and ResidentCount.objects.filter(
                commissioner_id=commissioner_id,
                group_id=context["groups"][row["group"]],
                lot_id=context["lots"].get(row.get("lot")),
                level=row["band"],
                counted_on=row["counted_on"],
            ).exists()
        ):
            problems["counted_on"] = "A census for this date is already recorded; use a new date."
        return problems

    def write(self, rows: Iterator[tuple[int, dict[str, Any]]], context: dict[str, Any]) -> int:
        commissioner_id = context["options"]["commissioner_id"]
        made = ResidentCount.objects.bulk_create(
            ResidentCount(
                commissioner_id=commissioner_id,
                group_id=context["groups"][row["group"]],
                lot_id=context["lots"].get(row.get("lot")),
                level=row["band"],
                residents=row["residents"],
                counted_on=row["counted_on"],
                source=f"Imported (line {line})",
            )
            for line, row in rows
        )
        return len(made)


RESIDENTS = ResidentsImporter()


def import_residents(source: Any, *, by: Any) -> imports.ImportRun:
    """Start an import of the census for the acting commissioner's staff."""
    commissioner_id = access.commissioner_id_of(by)
    if commissioner_id is None:
        raise Invalid("Only a council's staff can import its residents census.")
    return imports.start(
        RESIDENTS.kind,
        source,
        by=by,
        owner=imports.owner_key(commissioner_id=commissioner_id),
        options={"commissioner_id": commissioner_id},
        filename=getattr(source, "name", ""),
    )
