"""Reads of supported living, scoped to the acting user: a provider sees only the schemes it
cares for (and their properties and rooms); council staff only their own commissioner's;
a platform administrator everything. A guessed id is ``NotFound`` (a 404), never someone
else's record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet

from caremarket.core import roles as access
from caremarket.core.errors import NotFound
from caremarket.core.roles import Actor
from caremarket.frameworks.models import Lot
from caremarket.supported_living import rules
from caremarket.supported_living.models import (
    Property,
    ResidentCount,
    Room,
    Scheme,
    SupportGroup,
    VoidPolicy,
)
from caremarket.supported_living.selectors.search import (
    RESULT_COLUMNS,
    SEARCH_LIMIT,
    Near,
    Vacancy,
    VacancyCriteria,
    location_of,
    vacancies,
    vacancy_query,
)

__all__ = [
    "RESULT_COLUMNS",
    "SEARCH_LIMIT",
    "Near",
    "Vacancy",
    "VacancyCriteria",
    "location_of",
    "vacancies",
    "vacancy_query",
]


def _scheme_scope(user: Actor, prefix: str = "") -> Q:
    if access.is_platform(user):
        return Q()
    if access.is_council(user):
        return Q(**{f"{prefix}commissioner_id": access.commissioner_id_of(user)})
    if access.is_provider(user):
        return Q(**{f"{prefix}care_provider_id": access.provider_id_of(user)})
    return Q(pk__in=[])


def schemes_for(user: Actor) -> QuerySet[Scheme]:
    return (
        Scheme.objects.filter(_scheme_scope(user))
        .select_related("zone__commissioner", "lot__framework", "care_provider", "commissioner")
        .prefetch_related("groups")
    )


def scheme_for(user: Actor, pk: int) -> Scheme:
    scheme = schemes_for(user).filter(pk=pk).first()
    if scheme is None:
        raise NotFound("No scheme here that you can see.")
    return scheme


def properties_for(user: Actor) -> QuerySet[Property]:
    return Property.objects.filter(_scheme_scope(user, "scheme__")).select_related(
        "scheme__care_provider", "scheme__lot", "landlord", "zone"
    )


def rooms_for(user: Actor) -> QuerySet[Room]:
    return Room.objects.filter(_scheme_scope(user, "property__scheme__")).select_related(
        "property__scheme__care_provider",
        "property__scheme__lot",
        "property__scheme__commissioner",
        "property__landlord",
        "property__zone",
    )


def room_for(user: Actor, pk: int) -> Room:
    room = rooms_for(user).filter(pk=pk).first()
    if room is None:
        raise NotFound("No room here that you can see.")
    return room


def groups_for(user: Actor) -> QuerySet[SupportGroup]:
    if access.is_platform(user):
        return SupportGroup.objects.all()
    return SupportGroup.objects.filter(commissioner_id=access.commissioner_id_of(user))


# --- the commissioner's views ---------------------------------------------------------------


@dataclass
class LotSummary:
    lot: Lot
    schemes: int = 0
    properties: int = 0
    rooms: int = 0
    occupied: int = 0
    available: int = 0
    held: int = 0
    unavailable: int = 0
    stale: int = 0


def lot_summaries(user: Actor, at: datetime) -> list[LotSummary]:
    """Per lot: schemes, properties, rooms and how many are available, held, stale."""
    rows: dict[int, LotSummary] = {}
    for scheme in schemes_for(user).annotate(n_properties=Count("properties", distinct=True)):
        row = rows.setdefault(scheme.lot_id, LotSummary(scheme.lot))
        row.schemes += 1
        row.properties += scheme.n_properties
    lots = {lot.pk: lot for lot in Lot.objects.filter(schemes__in=schemes_for(user)).distinct()}
    fields = ("status", "held_until", "last_confirmed_at", "property__scheme__lot_id")
    for status, held_until, confirmed, lot_id in rooms_for(user).values_list(*fields):
        row = rows.setdefault(lot_id, LotSummary(lots[lot_id]))
        status = rules.effective_status(status, held_until, at)
        row.rooms += 1
        row.occupied += status == rules.OCCUPIED
        row.available += status == rules.VACANT
        row.held += status == rules.HELD
        row.unavailable += status == rules.UNAVAILABLE
        row.stale += rules.is_stale(status, confirmed, at)
    return sorted(rows.values(), key=lambda r: (r.lot.framework_id, r.lot.number))


@dataclass
class ResidentRow:
    group: str
    lot: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __getattr__(self, name: str) -> int:
        if name in dict(rules.BAND_LEVELS):
            return self.counts.get(name, 0)
        raise AttributeError(name)


def residents_by_group(user: Actor, lot: Lot | None = None) -> list[ResidentRow]:
    """The latest census of residents by group and band (seed 004, table 1), by lot where
    the census splits a group by lot."""
    qs = ResidentCount.objects.filter(commissioner__in=_commissioners(user)).select_related(
        "group", "lot"
    )
    if lot is not None:
        qs = qs.filter(lot=lot)
    rows: dict[tuple[int, int | None], ResidentRow] = {}
    latest: dict[tuple[int, int | None], date] = defaultdict(lambda: date.min)
    for c in qs:
        latest[(c.group_id, c.lot_id)] = max(latest[(c.group_id, c.lot_id)], c.counted_on)
    for c in qs.order_by("group__sequence", "group__code", "lot__number"):
        key = (c.group_id, c.lot_id)
        if c.counted_on != latest[key]:
            continue
        lot_label = str(c.lot) if c.lot else "Not split by lot"
        row = rows.setdefault(key, ResidentRow(str(c.group), lot_label))
        row.counts[c.level] = row.counts.get(c.level, 0) + c.residents
    return list(rows.values())


def _commissioners(user: Actor) -> list[int] | QuerySet:  # type: ignore[type-arg]
    if access.is_platform(user):
        return Scheme.objects.values("commissioner_id").distinct()
    return [access.commissioner_id_of(user) or 0]


# --- the voids register ---------------------------------------------------------------------


@dataclass
class VoidRow:
    room: Room
    status: str
    since: date
    days: int
    long: bool
    cost: Decimal | None
    weekly_cost: Decimal | None
    stale: bool

    @property
    def council_pays(self) -> bool:
        return self.room.property.council_pays_voids


def voids_register(user: Actor, at: datetime) -> list[VoidRow]:
    """Every room not occupied, in the user's scope, with days void (from the void start
    date), whether it is long (over the commissioner's limit, 90 days unless set) and what
    it has cost the council where the council pays for it (``rules.void``)."""
    policies = {p.commissioner_id: p for p in VoidPolicy.objects.all()}
    today = at.date()
    out = []
    for room in rooms_for(user).void().order_by("void_since", "pk"):
        scheme = room.property.scheme
        policy = policies.get(scheme.commissioner_id)
        weekly = room.property.void_weekly_cost or (policy.default_weekly_cost if policy else None)
        v = rules.void(
            room.void_since or today,
            today,
            council_pays=room.property.council_pays_voids,
            weekly_cost=weekly,
            long_after_days=policy.long_void_days if policy else rules.LONG_VOID_DAYS,
        )
        status = room.effective_status(at)
        out.append(
            VoidRow(
                room,
                status,
                room.void_since or today,
                v.days,
                v.long,
                v.cost,
                weekly if room.property.council_pays_voids else None,
                rules.is_stale(status, room.last_confirmed_at, at),
            )
        )
    return out


def void_policy_for(user: Actor) -> VoidPolicy | None:
    commissioner_id = access.commissioner_id_of(user)
    return VoidPolicy.objects.filter(commissioner_id=commissioner_id).first()


# --- open data (issue 15): the directory's HSDS service_capacity ------------------------------


@dataclass(frozen=True)
class PublishedCapacity:
    """What the public feed says of a care provider's rooms: counts and when they were last
    confirmed; never a room, an address or a person."""

    available: int
    maximum: int
    updated: datetime


def published_room_capacity(at: datetime) -> dict[int, PublishedCapacity]:
    """For each care provider, its supported living rooms across its schemes: ``available``
    is free to hold at ``at`` (``RoomQuerySet.available``), ``maximum`` every room. Public
    (no actor): the Open Referral UK feed publishes it."""
    free = Q(status=rules.VACANT) | Q(status=rules.HELD, held_until__lte=at)
    rows = (
        Room.objects.filter(property__scheme__care_provider__isnull=False)
        .values("property__scheme__care_provider_id")
        .annotate(
            maximum=Count("pk"),
            available=Count("pk", filter=free),
            updated=Max("last_confirmed_at"),
        )
    )
    return {
        r["property__scheme__care_provider_id"]: PublishedCapacity(
            r["available"], r["maximum"], r["updated"]
        )
        for r in rows
    }
