"""Day opportunity services by operating status, and the replacement care list: who
provides it, where, and the capacity they have declared. Read from the frameworks'
appointments (read-only) and, for status, the commissioner's own dated records.

Each function is a fixed number of queries whatever the number of providers (the zones of
every appointment in one prefetch, the statuses and the capacity each in one query).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from caremarket.frameworks.models import Appointment
from caremarket.insight.models import (
    DAY_SERVICE,
    REPLACEMENT_SERVICES,
    DayServiceStatus,
    OperatingStatus,
)
from caremarket.market.models import Commissioner, Zone
from caremarket.providers.models import CapacityDeclaration

NOT_RECORDED = "not_recorded"
STATUS_LABELS = dict(OperatingStatus.choices) | {NOT_RECORDED: "No status recorded"}


@dataclass
class DayServiceRow:
    appointment: int
    provider: str
    lot: str
    zones: list[int]
    status: str = NOT_RECORDED
    since: date | None = None
    note: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class StatusCount:
    status: str
    label: str
    services: int


@dataclass
class ReplacementRow:
    appointment: int
    provider: str
    lot: str
    zones: list[int]
    capacity: dict[str, Decimal] = field(default_factory=dict)  # service code -> hours a week

    @property
    def day_hours(self) -> Decimal | None:
        return self.capacity.get("replacement-care-day")

    @property
    def nights(self) -> Decimal | None:
        return self.capacity.get("replacement-care-night")


def _appointments(commissioner: Commissioner, on: date, services: tuple[str, ...]):
    return (
        Appointment.objects.live(on)
        .filter(
            lot__framework__commissioner=commissioner,
            lot__service_types__code__in=services,
        )
        .distinct()
        .select_related("provider", "lot__framework")
        .prefetch_related(Prefetch("zones", queryset=Zone.objects.order_by("number")))
        .order_by("provider__name", "lot__framework__name", "lot__number")
    )


def _lot(a: Appointment) -> str:
    return f"{a.lot.framework.name}: lot {a.lot.number}"


def day_services(commissioner: Commissioner, on: date) -> list[DayServiceRow]:
    """Every live day opportunity appointment with its status on ``on``: the latest record
    from on or before that day (none: "no status recorded")."""
    rows = {
        a.pk: DayServiceRow(a.pk, a.provider.name, _lot(a), [z.number for z in a.zones.all()])
        for a in _appointments(commissioner, on, (DAY_SERVICE,))
    }
    for s in DayServiceStatus.objects.filter(
        commissioner=commissioner, appointment_id__in=rows, effective_from__lte=on
    ).order_by("appointment_id", "effective_from"):
        row = rows[s.appointment_id]
        row.status, row.since, row.note = s.status, s.effective_from, s.note
    return list(rows.values())


def status_counts(rows: list[DayServiceRow]) -> list[StatusCount]:
    """Services by status, in the order a reader worries about them (closed last of the
    operating ones), every status shown even at nought."""
    counted: dict[str, int] = defaultdict(int)
    for r in rows:
        counted[r.status] += 1
    return [StatusCount(s, STATUS_LABELS[s], counted[s]) for s in STATUS_LABELS]


def replacement_care(commissioner: Commissioner, on: date) -> list[ReplacementRow]:
    """The replacement care list on ``on``: each live appointment on a lot offering day or
    night sitting, its zones, and the hours a week it has declared (the declaration in force
    that day for each zone and service, summed over its zones)."""
    rows = {
        a.pk: ReplacementRow(a.pk, a.provider.name, _lot(a), [z.number for z in a.zones.all()])
        for a in _appointments(commissioner, on, REPLACEMENT_SERVICES)
    }
    by_provider: dict[str, list[int]] = defaultdict(list)
    for pk, row in rows.items():
        by_provider[row.provider].append(pk)
    latest: dict[tuple[int, int, str], tuple[str, Decimal]] = {}
    for provider, zone, code, hours, name in (
        CapacityDeclaration.objects.filter(
            provider__appointments__in=rows,
            zone__commissioner=commissioner,
            service_type__code__in=REPLACEMENT_SERVICES,
            valid_from__lte=on,
        )
        .order_by("provider_id", "zone_id", "service_type_id", "-valid_from", "-declared_at")
        .values_list(
            "provider_id", "zone_id", "service_type__code", "hours_per_week", "provider__name"
        )
        .distinct()
    ):
        latest.setdefault((provider, zone, code), (name, hours))
    for (_, _, code), (name, hours) in latest.items():
        for pk in by_provider.get(name, [])[:1]:  # a provider's capacity, once per list
            capacity = rows[pk].capacity
            capacity[code] = capacity.get(code, Decimal("0")) + hours
    return list(rows.values())
