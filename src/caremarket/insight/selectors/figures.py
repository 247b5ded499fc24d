"""The statement's figures for one commissioner and date, each from the records behind it.

These functions take a commissioner, not a user: the scoped selectors (``dashboard``,
``statement``) decide whose figures a user may see and call these. Each figure is an
aggregate in the database; the imported records' counts are read from their running
totals (``selectors.totals``), so a county with a million packages' history answers in
well under a second; what is summed is said beside each function.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from caremarket.brokerage.models import AgreementVariation, Award, Offer, ServiceAgreement
from caremarket.core import clock
from caremarket.frameworks.models import Price
from caremarket.insight import rules
from caremarket.insight.models import (
    AwaitingCareRecord,
    DayServiceStatus,
    Measure,
    PackageInPlace,
    Setting,
)
from caremarket.insight.selectors import totals
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Zone
from caremarket.supported_living.models import ResidentCount

ZERO = Decimal("0")
GROUP_SERVICE = "group-day-opportunity"


@dataclass
class CareGroupRow:
    code: str
    name: str
    home_then: int = 0
    home_now: int = 0
    group_then: int = 0
    group_now: int = 0

    @property
    def home_change(self) -> int:
        return self.home_now - self.home_then

    @property
    def group_change(self) -> int:
        return self.group_now - self.group_then


@dataclass
class ZoneRow:
    number: int
    name: str
    commissioned_hours: Decimal = ZERO
    unmet_hours: Decimal = ZERO
    unmet_people: int = 0
    platform_waiting: int = 0

    @property
    def share_of_demand(self) -> Decimal | None:
        return rules.share_of_demand(self.unmet_hours, self.commissioned_hours)


@dataclass
class Sourcing:
    placements: int = 0
    median_days_to_place: Decimal | None = None
    offers_sent: int = 0
    offers_answered: int = 0
    offers_accepted: int = 0
    offers_expired: int = 0

    @property
    def response_rate(self) -> Decimal | None:
        return rules.percent(self.offers_answered, self.offers_sent)

    @property
    def acceptance_rate(self) -> Decimal | None:
        return rules.percent(self.offers_accepted, self.offers_sent)


@dataclass
class PriceRow:
    lot: str
    zone: int
    unit: str
    prices: list[Decimal] = field(default_factory=list)

    @property
    def lowest(self) -> Decimal | None:
        return min(self.prices) if self.prices else None

    @property
    def median(self) -> Decimal | None:
        return rules.median(self.prices)

    @property
    def highest(self) -> Decimal | None:
        return max(self.prices) if self.prices else None

    @property
    def count(self) -> int:
        return len(self.prices)


def _hours(value: object) -> Decimal:
    """A database sum of hours, to two places: SQLite sums decimals as floats."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(Decimal("0.01"))


def end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def earliest_record(commissioner: Commissioner) -> date | None:
    """The first day the platform holds data for: before it, a statement has nothing."""
    dates = [
        PackageInPlace.objects.filter(commissioner=commissioner)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first(),
        ServiceAgreement.objects.filter(commissioner=commissioner)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first(),
        AwaitingCareRecord.objects.filter(commissioner=commissioner)
        .order_by("awaiting_since")
        .values_list("awaiting_since", flat=True)
        .first(),
        ResidentCount.objects.filter(commissioner=commissioner)
        .order_by("counted_on")
        .values_list("counted_on", flat=True)
        .first(),
        DayServiceStatus.objects.filter(commissioner=commissioner)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first(),
    ]
    found = [d for d in dates if d is not None]
    return min(found) if found else None


def _agreements_live(commissioner: Commissioner, on: date):
    return ServiceAgreement.objects.filter(commissioner=commissioner, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def people_by_care_group(
    commissioner: Commissioner,
    then: date | None,
    now: date,
    imported: dict[date, totals.Figures] | None = None,
) -> list[CareGroupRow]:
    """People supported on each date by care group and setting: distinct person references
    over the imported packages in place (their running totals, ``selectors.totals``), plus
    distinct people with a platform agreement (group-based when its service is a group day
    opportunity). The two sources are added: packages in place are, by their import's
    definition, those not arranged on the platform."""
    rows = {g.pk: CareGroupRow(g.code, g.name) for g in CareGroup.objects.all()}
    for day, suffix in ((then, "then"), (now, "now")):
        if day is None:
            continue
        for (measure, item, setting), n in totals.day(commissioner, day, imported).items():
            if measure == Measure.PEOPLE_GROUP and item in rows:
                name = f"{'group' if setting == Setting.GROUP else 'home'}_{suffix}"
                setattr(rows[item], name, getattr(rows[item], name) + int(n))
        platform = (
            _agreements_live(commissioner, day)
            .filter(person__isnull=False)
            .values("person__care_group_id", "award__referral__service_type__code")
            .annotate(n=Count("person_id", distinct=True))
        )
        for r in platform:
            row = rows[r["person__care_group_id"]]
            grouped = r["award__referral__service_type__code"] == GROUP_SERVICE
            name = f"{'group' if grouped else 'home'}_{suffix}"
            setattr(row, name, getattr(row, name) + r["n"])
    return list(rows.values())


def people_totals(
    commissioner: Commissioner,
    day: date | None,
    imported: dict[date, totals.Figures] | None = None,
) -> dict[str, int]:
    """Distinct people on a day by setting, across care groups: a person with packages in
    two care groups is counted in each group's row but once in the total (so a total can be
    less than the sum of its rows, as in seed 000's tables)."""
    out = {Setting.HOME.value: 0, Setting.GROUP.value: 0}
    if day is None:
        return out
    for (measure, _, setting), n in totals.day(commissioner, day, imported).items():
        if measure == Measure.PEOPLE_SETTING and setting in out:
            out[setting] += int(n)
    live = _agreements_live(commissioner, day).filter(person__isnull=False)
    counts = live.aggregate(
        group=Count(
            "person_id", distinct=True, filter=Q(award__referral__service_type__code=GROUP_SERVICE)
        ),
        home=Count(
            "person_id",
            distinct=True,
            filter=~Q(award__referral__service_type__code=GROUP_SERVICE)
            | Q(award__referral__isnull=True),
        ),
    )
    out[Setting.GROUP] += counts["group"]
    out[Setting.HOME] += counts["home"]
    return out


def zones(
    commissioner: Commissioner, on: date, imported: dict[date, totals.Figures] | None = None
) -> list[ZoneRow]:
    """Commissioned hours a week by zone (packages in place with hours, plus hourly platform
    agreements at the variation in force that day) and unmet need by zone (the imported
    awaiting-care list that day, plus, for today, the platform's awaiting-care referrals)."""
    rows = {z.pk: ZoneRow(z.number, z.name) for z in Zone.objects.filter(commissioner=commissioner)}
    for (measure, item, _), value in totals.day(commissioner, on, imported).items():
        if item not in rows:
            continue
        if measure == Measure.HOURS_ZONE:
            rows[item].commissioned_hours += _hours(value)
        elif measure == Measure.AWAITING_HOURS:
            rows[item].unmet_hours += _hours(value)
        elif measure == Measure.AWAITING_PEOPLE:
            rows[item].unmet_people += int(value)
    in_force = AgreementVariation.objects.filter(
        agreement=OuterRef("pk"), effective_from__lte=on
    ).order_by("-effective_from")
    platform = (
        _agreements_live(commissioner, on)
        .filter(unit="hour", award__referral__isnull=False)
        .annotate(units=Subquery(in_force.values("units_per_week")[:1]))
        .values("award__referral__zone_id")
        .annotate(h=Coalesce(Sum("units"), ZERO, output_field=DecimalField()))
    )
    for r in platform:
        rows[r["award__referral__zone_id"]].commissioned_hours += _hours(r["h"])
    if on >= clock.today():
        _add_platform_waiting(commissioner, rows)
    return sorted(rows.values(), key=lambda z: z.number)


def _add_platform_waiting(commissioner: Commissioner, rows: dict[int, ZoneRow]) -> None:
    from caremarket.brokerage.models import Referral
    from caremarket.brokerage.waiting import awaiting_q

    waiting = (
        Referral.objects.filter(commissioner=commissioner)
        .filter(awaiting_q(clock.now()))
        .values("zone_id")
        .annotate(
            h=Coalesce(Sum("hours_per_week"), ZERO, output_field=DecimalField()),
            people=Count("person_id", distinct=True),
        )
    )
    for r in waiting:
        rows[r["zone_id"]].unmet_hours += _hours(r["h"])
        rows[r["zone_id"]].unmet_people += r["people"]
        rows[r["zone_id"]].platform_waiting += r["people"]


def sourcing(commissioner: Commissioner, on: date, days: int = 90) -> Sourcing:
    """Time to source care and offer response rates over the ``days`` to ``on``: days from a
    referral being raised to its award; offers sent, answered by their deadline (accepted or
    declined), accepted, and expired."""
    start, end = end_of(on - timedelta(days=days)), end_of(on)
    awards = Award.objects.filter(
        commissioner=commissioner, referral__isnull=False, decided_at__gt=start, decided_at__lte=end
    ).values_list("decided_at", "referral__created_at")
    waits = [Decimal((d - c).total_seconds() / 86400).quantize(Decimal("0.1")) for d, c in awards]
    offers = Offer.objects.filter(
        referral__commissioner=commissioner, sent_at__gt=start, sent_at__lte=end
    ).exclude(status=Offer.Status.WITHDRAWN)
    counts = offers.aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=Q(responded_at__isnull=False, responded_at__lte=F("deadline"))),
        accepted=Count("pk", filter=Q(status__in=[Offer.Status.ACCEPTED, Offer.Status.AWARDED])),
    )
    expired = offers.filter(Offer.expired_q(end)).count()
    return Sourcing(
        placements=len(waits),
        median_days_to_place=rules.median(waits),
        offers_sent=counts["sent"],
        offers_answered=counts["answered"],
        offers_accepted=counts["accepted"],
        offers_expired=expired,
    )


def price_spread(commissioner: Commissioner, on: date) -> list[PriceRow]:
    """Each appointed provider's price in force on the day, by lot, zone and unit."""
    prices = (
        Price.objects.filter(
            appointment__lot__framework__commissioner=commissioner, effective_from__lte=on
        )
        .filter(Q(appointment__ends_on__isnull=True) | Q(appointment__ends_on__gte=on))
        .values_list(
            "appointment_id",
            "zone__number",
            "unit",
            "amount",
            "appointment__lot__framework__name",
            "appointment__lot__number",
            "appointment__lot__name",
        )
        .order_by("appointment_id", "zone__number", "unit", "-effective_from")
    )
    latest: dict[tuple[int, int, str], tuple[str, Decimal]] = {}
    for appointment, zone, unit, amount, framework, number, name in prices:
        latest.setdefault(
            (appointment, zone, unit), (f"{framework}: lot {number} ({name})", amount)
        )
    rows: dict[tuple[str, int, str], PriceRow] = {}
    for (_, zone, unit), (lot, amount) in latest.items():
        rows.setdefault((lot, zone, unit), PriceRow(lot, zone, unit)).prices.append(amount)
    return sorted(rows.values(), key=lambda r: (r.lot, r.zone, r.unit))


def packages_by_service(
    commissioner: Commissioner, on: date, imported: dict[date, totals.Figures] | None = None
) -> dict[str, int]:
    """People with a package in place that day by service type code (day opportunities and
    replacement care sections read theirs from here)."""
    out: dict[str, int] = defaultdict(int)
    codes = dict(ServiceType.objects.values_list("pk", "code"))
    for (measure, item, _), n in totals.day(commissioner, on, imported).items():
        if measure == Measure.PEOPLE_SERVICE and item in codes:
            out[codes[item]] += int(n)
    for r in (
        _agreements_live(commissioner, on)
        .filter(person__isnull=False, award__referral__isnull=False)
        .values("award__referral__service_type__code")
        .annotate(n=Count("person_id", distinct=True))
    ):
        out[r["award__referral__service_type__code"]] += r["n"]
    return dict(out)
