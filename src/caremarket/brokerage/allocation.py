"""The broker's "suggest placements": the council's open referrals and its market, adapted to
the allocation engine; the engine's answer adapted back to referrals and providers.

What the engine sees: open referrals with hours a week (sessions and bands are not hours, so
they stay with their own routes); each provider's spare capacity per zone and service (its
latest declaration, less the hours placed with it there since); the commissioner's unused
guaranteed hours; who is appointed where at what price (the price in force today); quality
from the appointment; the lead providers with their panels and minimum shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from caremarket.brokerage.models import Award, Referral, ServiceAgreement
from caremarket.brokerage.routing import first_zone_price, price_in_force
from caremarket.core import clock
from caremarket.engine import allocation as engine
from caremarket.engine.lifecycle import OPEN
from caremarket.frameworks.models import Appointment, Framework, GuaranteedBlock, PanelMember, Price
from caremarket.market.models import Commissioner
from caremarket.providers.models import CapacityDeclaration, Provider

ROUTES = (Framework.Route.FRAMEWORK_FIRST, Framework.Route.PRIME_PROVIDER)


@dataclass
class Suggestion:
    referral: Referral
    placed_with: Provider
    delivered_by: Provider
    hourly_price: Decimal
    weekly_cost: Decimal
    block_hours: Decimal
    weight: Decimal


@dataclass
class Proposal:
    optimal: engine.Allocation
    greedy: engine.Allocation
    suggestions: list[Suggestion]
    unplaced: list[tuple[Referral, str]]
    problem: engine.Problem


def _r(pk: int) -> str:
    return f"R{pk}"


def _p(pk: int) -> str:
    return f"P{pk}"


def _z(pk: int) -> str:
    return f"Z{pk}"


def open_referrals(commissioner: Commissioner) -> list[Referral]:
    return list(
        Referral.objects.filter(
            commissioner=commissioner,
            state__in=list(OPEN),
            hours_per_week__isnull=False,
            route__in=ROUTES,
        )
        .select_related("zone", "service_type", "framework", "person__care_group")
        .prefetch_related("needs")
        .order_by("created_at", "pk")
    )


def build_problem(commissioner: Commissioner, today: date) -> tuple[engine.Problem, list[Referral]]:
    referrals = open_referrals(commissioner)
    appointments = list(
        Appointment.objects.live(today)
        .filter(
            lot__framework__commissioner=commissioner,
            lot__framework__route_to_market__in=ROUTES,
        )
        .select_related("provider", "lot__framework")
        .prefetch_related(
            "zones",
            "prime_zones",
            "lot__service_types",
            "lot__zones",
            "provider__specialisms",
            "provider__care_groups",
            Prefetch("prices", queryset=Price.objects.filter(unit="hour"), to_attr="hour_prices"),
        )
    )
    providers: dict[int, Provider] = {a.provider_id: a.provider for a in appointments}
    fixed_rates: dict[int, Decimal | None] = {}
    quality: dict[int, Decimal] = {}
    eligibility = []
    primes = []
    for a in appointments:
        quality[a.provider_id] = max(
            quality.get(a.provider_id, Decimal("0")), a.quality_score or Decimal("50")
        )
        zones = [z for z in a.zones.all() if z in set(a.lot.zones.all())]
        framework = a.lot.framework
        fixed = framework.pricing_model == Framework.PricingModel.FIXED_RATE
        if fixed and framework.pk not in fixed_rates:
            fixed_rates[framework.pk] = price_in_force(framework, "hour", None, [], today)
        for service in a.lot.service_types.all():
            if service.unit != "hour":
                continue
            for zone in zones:
                price = (
                    fixed_rates[framework.pk]
                    if fixed
                    else first_zone_price(a.hour_prices, [zone], today)
                )
                if price is not None:
                    eligibility.append(
                        engine.Eligibility(
                            _p(a.provider_id), commissioner.slug, _z(zone.pk), service.code, price
                        )
                    )
        prime_zones = list(a.prime_zones.all())
        if prime_zones:
            panel = (
                PanelMember.objects.live(today)
                .filter(prime=a)
                .select_related("provider")
                .prefetch_related("provider__specialisms", "provider__care_groups")
            )
            for member in panel:
                providers.setdefault(member.provider_id, member.provider)
            primes.append(
                engine.Prime(
                    lead=_p(a.provider_id),
                    commissioner=commissioner.slug,
                    zones=frozenset(_z(z.pk) for z in prime_zones),
                    min_subcontract_share=(framework.min_subcontract_share or Decimal("0")) / 100,
                    panel=frozenset(_p(m.provider_id) for m in panel),
                    # A fixed rate is paid whoever delivers (the Isle of Wight's £19.28).
                    hourly_price=fixed_rates.get(framework.pk) if fixed else None,
                )
            )
    problem = engine.Problem(
        referrals=tuple(
            engine.Referral(
                id=_r(r.pk),
                commissioner=commissioner.slug,
                zone=_z(r.zone_id),
                service_type=r.service_type.code,
                hours=r.hours_per_week,  # type: ignore[arg-type]
                urgency=r.urgency,
                days_waiting=r.waiting(today).days,
                # The person's care group is a need like any other: only providers who
                # support it may take them.
                needs=frozenset(n.code for n in r.needs.all())
                | {f"care-group:{r.person.care_group.code}"},
                arrival=i,
            )
            for i, r in enumerate(referrals)
        ),
        providers=tuple(
            engine.Provider(
                _p(pk),
                quality.get(pk, Decimal("50")),
                frozenset(s.code for s in p.specialisms.all())
                | {f"care-group:{g.code}" for g in p.care_groups.all()},
            )
            for pk, p in sorted(providers.items())
        ),
        capacity=tuple(_capacity(list(providers), today)),
        blocks=tuple(_blocks(commissioner, today)),
        eligibility=tuple(eligibility),
        primes=tuple(primes),
        as_of=today,
    )
    return problem, referrals


def _capacity(provider_ids: list[int], today: date) -> list[engine.Capacity]:
    """The declaration in force for each zone and service, less what was placed since."""
    latest: dict[tuple[int, int, int], CapacityDeclaration] = {}
    for d in (
        CapacityDeclaration.objects.filter(provider_id__in=provider_ids, valid_from__lte=today)
        .select_related("service_type")
        .order_by("valid_from", "declared_at")
    ):
        latest[(d.provider_id, d.zone_id, d.service_type_id)] = d
    rows = []
    for (provider, zone, _), d in sorted(latest.items()):
        spare = max(Decimal("0"), d.hours_per_week - placed_since(d))
        if spare > 0:
            rows.append(engine.Capacity(_p(provider), _z(zone), d.service_type.code, spare))
    return rows


def placed_since(d: CapacityDeclaration) -> Decimal:
    """Hours a week awarded to the provider there, for that service, since it declared: what
    counts against the declaration (the one figure the suggestions and the provider's own
    capacity page use)."""
    return Award.objects.filter(
        delivering_provider_id=d.provider_id,
        referral__zone_id=d.zone_id,
        referral__service_type_id=d.service_type_id,
        decided_at__gte=d.declared_at,
    ).aggregate(h=Sum("referral__hours_per_week"))["h"] or Decimal("0")


@dataclass(frozen=True)
class Remaining:
    declaration: CapacityDeclaration
    placed: Decimal
    remaining: Decimal


def remaining_capacity(declarations: list[CapacityDeclaration]) -> list[Remaining]:
    """Each declaration with what awards since have used of it and what is left."""
    rows = []
    for d in declarations:
        placed = placed_since(d)
        rows.append(Remaining(d, placed, max(Decimal("0"), d.hours_per_week - placed)))
    return rows


def appointed_for(provider_id: int, today: date) -> set[tuple[int, int]]:
    """The (zone, service) pairs a provider is appointed for today, through any live lot:
    the only places it may declare capacity."""
    pairs: set[tuple[int, int]] = set()
    for appointment in (
        Appointment.objects.live(today)
        .filter(provider_id=provider_id)
        .prefetch_related("lot__zones", "lot__service_types")
    ):
        lot = appointment.lot
        services = [st.pk for st in lot.service_types.all()]
        pairs |= {(z.pk, st) for z in lot.zones.all() for st in services}
    return pairs


def _blocks(commissioner: Commissioner, today: date) -> list[engine.GuaranteedBlock]:
    """Guaranteed hours not yet filled by care the provider delivers there."""
    rows = []
    for b in GuaranteedBlock.objects.filter(
        framework__commissioner=commissioner, starts__lte=today, ends__gte=today
    ).select_related("service_type"):
        used = Decimal("0")
        for agreement in ServiceAgreement.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            delivering_provider_id=b.provider_id,
            start_date__gte=b.starts,
            award__referral__zone_id=b.zone_id,
            award__referral__service_type_id=b.service_type_id,
        ).prefetch_related("variations"):
            terms = agreement.current_terms(today)
            used += terms.units_per_week if terms else Decimal("0")
        unused = b.hours_per_week - used
        if unused > 0:
            rows.append(
                engine.GuaranteedBlock(
                    _p(b.provider_id), _z(b.zone_id), b.service_type.code, unused
                )
            )
    return rows


def propose(commissioner: Commissioner, *, time_limit: float = 5.0) -> Proposal:
    today = clock.today()
    problem, referrals = build_problem(commissioner, today)
    # One process: a web request must not fork (gunicorn workers may be threaded).
    optimal = engine.solve(problem, "optimal", time_limit=time_limit, workers=1)

    greedy = engine.solve(problem, "greedy")
    by_id = {_r(r.pk): r for r in referrals}
    provider_ids = {int(a.provider[1:]) for a in optimal.assignments} | {
        int(a.delivering_provider[1:]) for a in optimal.assignments
    }
    providers = Provider.objects.in_bulk(provider_ids)
    weights = {r.id: r.weight for r in problem.referrals}
    suggestions = [
        Suggestion(
            by_id[a.referral],
            providers[int(a.provider[1:])],
            providers[int(a.delivering_provider[1:])],
            a.hourly_price,
            a.weekly_cost,
            a.block_hours,
            weights[a.referral],
        )
        for a in optimal.assignments
    ]
    suggestions.sort(key=lambda s: (-s.weight, s.referral.zone.number, s.referral.pk))
    unplaced = sorted(
        ((by_id[u.referral], u.reason) for u in optimal.unplaced),
        key=lambda pair: (pair[0].zone.number, pair[0].pk),
    )
    return Proposal(optimal, greedy, suggestions, unplaced, problem)
