"""Reads of brokerage, scoped to the acting user.

A provider sees a referral only through an offer or an award made to it, and only as a
summary (reference, postcode district, zone, needs, hours, pattern, outcomes) until the
referral is awarded to it; then it sees the person's details, and each look is logged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from caremarket.brokerage.awarding import ready_to_award
from caremarket.brokerage.models import (
    Award,
    Bid,
    Competition,
    Offer,
    Person,
    PersonalDataAccess,
    Referral,
    ServiceAgreement,
)
from caremarket.brokerage.models.referrals import CALL_OFF_ROUTES
from caremarket.brokerage.rules import ShareRow
from caremarket.brokerage.search import referral_q
from caremarket.brokerage.waiting import awaiting_q, with_effective_state
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.errors import Invalid, NotFound
from caremarket.core.roles import Actor
from caremarket.engine.lifecycle import State
from caremarket.frameworks.models import Appointment, Framework
from caremarket.market.models import Commissioner
from caremarket.supported_living.models import Scheme

URGENCY_ORDER = {"crisis": 0, "hospital_discharge": 1, "planned": 2}


def _council_scope(user: Actor) -> Q:
    if access.is_platform(user):
        return Q()
    if access.is_council(user):
        return Q(commissioner_id=access.commissioner_id_of(user))
    return Q(pk__in=[])


def referrals_for(user: Actor) -> QuerySet[Referral]:
    qs = Referral.objects.select_related(
        "person__care_group", "zone__commissioner", "service_type"
    ).select_related("framework", "commissioner", "band")

    if access.is_provider(user):
        me = access.provider_id_of(user)
        return qs.filter(
            Q(offers__provider_id=me)
            | Q(award__provider_id=me)
            | Q(award__delivering_provider_id=me)
        ).distinct()
    return qs.filter(_council_scope(user))


def referral_for(user: Actor, pk: int) -> Referral:
    referral = (
        with_effective_state(referrals_for(user), clock.now())
        .prefetch_related("needs", "widened_to")
        .filter(pk=pk)
        .first()
    )

    if referral is None:
        raise NotFound("No referral here that you can see.")
    return referral


def can_see_person(user: Actor, referral: Referral) -> bool:
    if access.is_platform(user) or (
        access.is_council(user) and referral.commissioner_id == access.commissioner_id_of(user)
    ):
        return True
    if access.is_provider(user) and referral.state == State.AWARDED:
        award = getattr(referral, "award", None)
        me = access.provider_id_of(user)
        return award is not None and me in (award.provider_id, award.delivering_provider_id)
    return False


def person_for(user: Actor, referral: Referral, where: str) -> Person | None:
    """The person's details if the user may see them; a provider's look is logged."""
    if not can_see_person(user, referral):
        return None
    if access.is_provider(user):
        PersonalDataAccess.objects.create(
            user=user, person=referral.person, at=clock.now(), where=where[:200]
        )
    return referral.person


@dataclass
class ZoneTotal:
    zone: str
    zone_number: int
    hours: Decimal = Decimal("0")
    people: int = 0
    referrals: int = 0


def awaiting_care(
    user: Actor, now: datetime, zone: int | None = None, search: str = ""
) -> tuple[list[Referral], list[ZoneTotal]]:
    qs = referrals_for(user).filter(awaiting_q(now), referral_q(search)).select_related("band")
    if zone is not None:
        qs = qs.filter(zone__number=zone)
    today = clock.local(now).date()
    # Within a zone, in the priority order "Suggest placements" weighs people by.
    rows = sorted(qs, key=lambda r: (r.zone.number, *r.waiting(today).order, r.pk))
    totals: dict[int, ZoneTotal] = {}
    people: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        t = totals.setdefault(r.zone_id, ZoneTotal(r.zone.label, r.zone.number))
        t.hours += r.hours_per_week or Decimal("0")
        t.referrals += 1
        people[r.zone_id].add(r.person_id)
    for zone_id, t in totals.items():
        t.people = len(people[zone_id])
    return rows, sorted(totals.values(), key=lambda t: t.zone_number)


def days_waiting(referral: Referral, today: date) -> int:
    """Days waiting as the awaiting-care list shows it (``rules.waiting_since``)."""
    return referral.waiting(today).days


@dataclass
class Workbench:
    to_source: list[Referral] = field(default_factory=list)
    offers_out: list[dict[str, object]] = field(default_factory=list)
    to_award: list[dict[str, object]] = field(default_factory=list)
    awaiting: int = 0
    awaiting_hours: Decimal = Decimal("0")
    competitions: list[Competition] = field(default_factory=list)


def workbench(user: Actor, now: datetime) -> Workbench:
    """The broker's day: what to source, what is out, what to award, who is waiting."""
    waiting = referrals_for(user).filter(awaiting_q(now))
    waiting_ids = set(waiting.values_list("pk", flat=True))
    with_acceptances = Exists(
        Offer.objects.filter(referral=OuterRef("pk"), status=Offer.Status.ACCEPTED)
    )
    open_referrals = (
        referrals_for(user)
        .filter(state__in=[State.SUBMITTED, State.OFFERED, State.AWAITING_CARE])
        # Waiting people are on their own list, unless an acceptance is in to confirm.
        .filter(~Q(pk__in=waiting_ids) | with_acceptances)
        .prefetch_related(
            Prefetch("offers", queryset=Offer.objects.exclude(kind=Offer.Kind.SUBCONTRACT))
        )
    )
    bench = Workbench()

    def by_urgency(r: Referral) -> tuple[int, datetime]:
        return (URGENCY_ORDER.get(r.urgency, 9), r.created_at)

    for referral in sorted(open_referrals, key=by_urgency):
        offers = list(referral.offers.all())
        if referral.state == State.SUBMITTED and referral.pk not in waiting_ids:
            bench.to_source.append(referral)
            continue
        live = [o for o in offers if o.effective_status(now) in ("open", "placing")]
        accepted = [o for o in offers if o.status == Offer.Status.ACCEPTED]
        row = {
            "referral": referral,
            "sent": len(offers),
            "live": len(live),
            "accepted": len(accepted),
            "declined": sum(o.status == Offer.Status.DECLINED for o in offers),
            "closes": max((o.deadline for o in live), default=None),
        }
        ok, _ = ready_to_award(referral, now) if accepted else (False, "")
        if ok:
            bench.to_award.append(row)
        elif referral.pk not in waiting_ids:
            bench.offers_out.append(row)
    totals = waiting.aggregate(people=Count("person", distinct=True), hours=Sum("hours_per_week"))
    bench.awaiting = totals["people"] or 0
    bench.awaiting_hours = totals["hours"] or Decimal("0")

    bench.competitions = list(competitions_for(user).filter(status=Competition.Status.OPEN))
    return bench


def offers_for_provider(user: Actor) -> QuerySet[Offer]:
    if not access.is_provider(user):
        return Offer.objects.none()
    return Offer.objects.filter(provider_id=access.provider_id_of(user)).select_related(
        "referral__zone",
        "referral__service_type",
        "referral__person",
        "referral__commissioner",
        "referral__framework",
        "parent__provider",
    )


def offer_for_provider(user: Actor, pk: int) -> Offer:
    offer = offers_for_provider(user).filter(pk=pk).first()
    if offer is None:
        raise NotFound("No offer of yours here.")
    return offer


def competitions_for(user: Actor) -> QuerySet[Competition]:
    qs = Competition.objects.select_related("lot", "framework", "commissioner", "band", "referral")
    if access.is_provider(user):
        lots = Appointment.objects.filter(provider_id=access.provider_id_of(user)).values("lot_id")
        return qs.filter(lot_id__in=lots)
    return qs.filter(_council_scope(user))


def competition_for(user: Actor, pk: int) -> Competition:
    competition = competitions_for(user).prefetch_related("schemes").filter(pk=pk).first()
    if competition is None:
        raise NotFound("No competition here that you can see.")
    return competition


def bids_visible(user: Actor, competition: Competition, now: datetime) -> list[Bid]:
    """Sealed bids: a provider sees only its own, ever; council staff see them after the
    deadline."""
    bids = competition.bids.select_related("provider").order_by("rank", "submitted_at")
    if access.is_provider(user):
        return list(bids.filter(provider_id=access.provider_id_of(user)))
    if competition.is_sealed(now):
        return []
    return list(bids)


def agreements_for(user: Actor) -> QuerySet[ServiceAgreement]:
    qs = (
        ServiceAgreement.objects.select_related("provider", "delivering_provider", "commissioner")
        .select_related(
            "person__zone", "award__referral__service_type", "award__referral__framework"
        )
        .prefetch_related("variations", "schemes")
    )

    if access.is_provider(user):
        me = access.provider_id_of(user)
        return qs.filter(Q(provider_id=me) | Q(delivering_provider_id=me))
    return qs.filter(_council_scope(user))


def agreement_for(user: Actor, pk: int) -> ServiceAgreement:
    agreement = agreements_for(user).filter(pk=pk).first()
    if agreement is None:
        raise NotFound("No agreement here that you can see.")
    return agreement


def subcontracting_shares(user: Actor, today: date, days: int = 84) -> list[ShareRow]:
    """Each lead provider's share of referred hours subcontracted, over the last ``days``,
    against its contract minimum (30% on the Isle of Wight)."""
    frameworks = Framework.objects.filter(
        route_to_market=Framework.Route.PRIME_PROVIDER, min_subcontract_share__isnull=False
    )
    leads = Appointment.objects.filter(lot__framework__in=frameworks, prime_zones__isnull=False)
    if access.is_provider(user):
        leads = leads.filter(provider_id=access.provider_id_of(user))
    elif not access.is_platform(user):
        leads = leads.filter(lot__framework__commissioner_id=access.commissioner_id_of(user))
    since = today.toordinal() - days
    rows = []
    for lead in (
        leads.distinct()
        .select_related("provider", "lot__framework")
        .prefetch_related("prime_zones")
    ):
        referred = subcontracted = Decimal("0")
        awards = lead.offers.filter(kind=Offer.Kind.LEAD, award__isnull=False).select_related(
            "award", "referral"
        )
        for offer in awards:
            if offer.award.decided_at.date().toordinal() < since:
                continue
            hours = offer.referral.hours_per_week or Decimal("0")
            referred += hours
            if offer.award.delivering_provider_id != lead.provider_id:
                subcontracted += hours
        rows.append(
            ShareRow(
                lead,
                ", ".join(str(z.number) for z in lead.prime_zones.all()),
                referred,
                subcontracted,
                lead.lot.framework.min_subcontract_share,
            )
        )
    return rows


def awards_for(user: Actor) -> QuerySet[Award]:
    """A provider's awards (placed with it, or delivered by it); a council's own."""
    qs = Award.objects.select_related(
        "provider", "delivering_provider", "referral__framework", "competition"
    ).order_by("pk")

    if access.is_provider(user):
        me = access.provider_id_of(user)
        return qs.filter(Q(provider_id=me) | Q(delivering_provider_id=me))
    return qs.filter(_council_scope(user))


def bids_for(user: Actor, now: datetime) -> QuerySet[Bid]:
    """Every bid the user may see, in one query: a provider its own, ever; council staff
    those of their competitions whose bids are no longer sealed (the rule of bids_visible)."""
    qs = Bid.objects.filter(competition__in=competitions_for(user)).select_related("provider")
    if access.is_provider(user):
        return qs.filter(provider_id=access.provider_id_of(user)).order_by("pk")
    unsealed = Q(competition__deadline__lte=now) | ~Q(competition__status=Competition.Status.OPEN)
    return qs.filter(unsealed).order_by("pk")


# --- reads for the web pages -------------------------------------------------------------------


def person_by_reference(user: Actor, commissioner: Commissioner, reference: str) -> Person | None:
    """A person the council already knows, by the reference it gave them (any case, any
    spacing around it); None when no reference is given. The web form and the API both ask
    here, so the same reference finds the same person with the same message when it does not.
    """
    wanted = reference.strip().upper()
    if not wanted:
        return None
    person = (
        Person.objects.filter(_council_scope(user))
        .filter(commissioner=commissioner, reference=wanted)
        .first()
    )
    if person is None:
        raise Invalid(
            {"person_reference": f"No person {reference.strip()} is known to this council."}
        )
    return person


def acceptances(referral: Referral) -> list[Offer]:
    """The framework offers accepted for this referral: the candidates its award rule ranks."""
    return list(
        referral.offers.filter(
            kind=Offer.Kind.FRAMEWORK, status=Offer.Status.ACCEPTED
        ).select_related("provider")
    )


def is_awaiting(referral: Referral, now: datetime) -> bool:
    """Whether the referral is on the awaiting-care list now (by the list's own query)."""
    return Referral.objects.filter(pk=referral.pk).filter(awaiting_q(now)).exists()


def open_competitions_with_my_bid(user: Actor) -> QuerySet[Competition]:
    """Competitions open for bids on a provider's lots, soonest deadline first, each with
    ``my_bids``: the provider's own bid, if it has made one (never anyone else's)."""
    mine = Prefetch(
        "bids",
        queryset=Bid.objects.filter(provider_id=access.provider_id_of(user)),
        to_attr="my_bids",
    )
    return (
        competitions_for(user)
        .filter(status=Competition.Status.OPEN)
        .prefetch_related(mine)
        .order_by("deadline")
    )


def schemes_to_call_off(user: Actor) -> QuerySet[Scheme]:
    """The council's own schemes on lots bought by call-off, for a scheme or block competition."""
    return (
        Scheme.objects.filter(
            commissioner_id=access.commissioner_id_of(user),
            lot__framework__route_to_market__in=CALL_OFF_ROUTES,
        )
        .select_related("lot", "zone")
        .order_by("lot__number", "name")
    )
