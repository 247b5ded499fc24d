"""What needs doing today, for each role: the lists a person lands on at /home/.

Each list is read through brokerage's own selectors (so scoping is theirs: a provider sees its
own offers, council staff their council's referrals) and ordered by what is most pressing.
The same figures give the navigation its counts (``NAV_COUNTS``), so the number beside
"Inbox" is the length of the provider's "Offers to answer" list, never a second calculation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from caremarket.brokerage import selectors as brokerage
from caremarket.brokerage.models import Offer, Referral
from caremarket.brokerage.models.referrals import OPEN_STATES
from caremarket.brokerage.waiting import awaiting_q, with_effective_state
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.roles import Actor
from caremarket.engine.pricing import money

# An offer "about to expire" closes within this many hours (an assumption; configurable here).
EXPIRING_WITHIN_HOURS = 4
WEEKS_A_YEAR = Decimal("52")  # a package's yearly cost is 52 of its weekly cost
SHOWN = 8  # rows a list shows before "see all"


@dataclass
class Item:
    label: str
    href: str
    detail: str = ""
    when: str = ""


@dataclass
class TodoList:
    """One list on the home page: what it is, how many, the first few, and where the rest are."""

    key: str
    title: str
    empty: str
    count: int = 0
    items: list[Item] = field(default_factory=list)
    more_href: str = ""
    more_label: str = ""


@dataclass
class Figure:
    label: str
    value: str
    href: str = ""


@dataclass
class Today:
    lists: list[TodoList] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def time_left(deadline: datetime, now: datetime) -> str:
    """A deadline as the time left, in words a person reads at a glance."""
    minutes = int((deadline - now).total_seconds() // 60)
    if minutes <= 0:
        return "closed"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' * (days != 1)} {hours} h left"
    if hours:
        return f"{hours} h {mins} min left"
    return f"{mins} min left"


# --- the lists ------------------------------------------------------------------------------


def offers_to_answer(user: Actor, now: datetime) -> Any:
    return brokerage.offers_for_provider(user).filter(Offer.live_q(now)).order_by("deadline")


def _provider(user: Actor, now: datetime) -> Today:
    offers = offers_to_answer(user, now)
    answer = TodoList(
        "offers",
        "Offers to answer",
        "No offers are waiting for your answer.",
        count=offers.count(),
        more_href=reverse("brokerage:inbox"),
        more_label="All offers in your inbox",
    )
    for o in offers[:SHOWN]:
        answer.items.append(
            Item(
                f"{o.referral.reference}: {o.referral.service_type.name}",
                reverse("brokerage:offer", args=[o.pk]),
                f"{o.referral.commissioner.name}, {o.referral.zone.label}",
                time_left(o.deadline, now),
            )
        )
    bids = TodoList(
        "competitions",
        "Competitions open for bids",
        "No competition is open for bids.",
        more_href=reverse("brokerage:inbox"),
        more_label="Competitions in your inbox",
    )
    open_ones = brokerage.open_competitions_with_my_bid(user).filter(deadline__gt=now)
    bids.count = open_ones.count()
    for c in open_ones.order_by("deadline")[:SHOWN]:
        bids.items.append(
            Item(
                f"{c.reference}: {c.title}",
                reverse("brokerage:competition", args=[c.pk]),
                "",
                time_left(c.deadline, now),
            )
        )
    return Today(lists=[answer, bids])


def _broker(user: Actor, now: datetime) -> Today:
    bench = brokerage.workbench(user, now)
    awards = TodoList(
        "awards",
        "Awards to confirm",
        "No award is ready to confirm.",
        count=len(bench.to_award),
        more_href=reverse("brokerage:workbench"),
        more_label="The workbench",
    )
    for row in bench.to_award[:SHOWN]:
        r = row["referral"]
        awards.items.append(
            Item(_referral_label(r), _referral_href(r), f"{row['accepted']} accepted")
        )
    return Today(
        lists=[
            awards,
            _discharges(user, now),
            _expiring(user, now),
            _waiting_longest(user, now),
        ]
    )


def _discharges(user: Actor, now: datetime) -> TodoList:
    qs = brokerage.referrals_for(user).filter(
        state__in=OPEN_STATES, urgency=Referral.Urgency.HOSPITAL_DISCHARGE
    )
    todo = TodoList(
        "discharges",
        "Hospital discharges waiting",
        "Nobody is waiting to leave hospital.",
        count=qs.count(),
        more_href=reverse("brokerage:referrals"),
        more_label="All referrals",
    )
    for r in qs.select_related("service_type").order_by("start_date", "created_at")[:SHOWN]:
        todo.items.append(
            Item(_referral_label(r), _referral_href(r), r.get_state_display(), _start(r))
        )
    return todo


def _expiring(user: Actor, now: datetime) -> TodoList:
    soon = now + timedelta(hours=EXPIRING_WITHIN_HOURS)
    qs = (
        Offer.objects.filter(Offer.live_q(now), deadline__lte=soon)
        .filter(referral__in=brokerage.referrals_for(user))
        .select_related("referral__service_type", "provider")
        .order_by("deadline")
    )
    todo = TodoList(
        "expiring",
        f"Offers closing within {EXPIRING_WITHIN_HOURS} hours",
        "No offer closes in the next few hours.",
        count=qs.count(),
        more_href=reverse("brokerage:workbench"),
        more_label="The workbench",
    )
    for o in qs[:SHOWN]:
        todo.items.append(
            Item(
                _referral_label(o.referral),
                _referral_href(o.referral),
                o.provider.display_name,
                time_left(o.deadline, now),
            )
        )
    return todo


def _waiting_longest(user: Actor, now: datetime) -> TodoList:
    rows, _ = brokerage.awaiting_care(user, now)
    today = clock.local(now).date()
    rows = sorted(rows, key=lambda r: (-r.waiting(today).days, r.pk))
    todo = TodoList(
        "waiting",
        "People waiting longest",
        "Nobody is waiting for care.",
        count=len(rows),
        more_href=reverse("brokerage:awaiting"),
        more_label="The awaiting-care list",
    )
    for r in rows[:SHOWN]:
        days = r.waiting(today).days
        todo.items.append(
            Item(
                _referral_label(r),
                _referral_href(r),
                r.zone.label,
                f"{days} day{'s' * (days != 1)} waiting",
            )
        )
    return todo


def _practitioner(user: Actor, now: datetime) -> Today:
    mine = with_effective_state(brokerage.referrals_for(user).filter(raised_by=user), now)
    todo = TodoList(
        "mine",
        "Your referrals",
        "You have not raised a referral yet.",
        count=mine.filter(state__in=OPEN_STATES).count(),
        more_href=reverse("brokerage:referrals"),
        more_label="All referrals",
    )
    for r in mine.select_related("service_type").order_by("-created_at")[:SHOWN]:
        label = dict(Referral._meta.get_field("state").choices).get(r.effective_state, "")
        todo.items.append(Item(_referral_label(r), _referral_href(r), str(label), _start(r)))
    states = mine.values("effective_state").annotate(n=Count("pk")).order_by("effective_state")
    figures = [
        Figure(str(s["effective_state"]).replace("_", " ").capitalize(), str(s["n"]))
        for s in states
    ]
    return Today(lists=[todo], figures=figures)


def _finance(user: Actor, now: datetime) -> Today:
    today = clock.local(now).date()
    live = list(
        brokerage.agreements_for(user).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today
        )
    )
    weekly = sum(
        (t.weekly_cost for a in live if (t := a.current_terms(today)) is not None),
        Decimal("0"),
    )
    ending = sum(
        1 for a in live if a.end_date is not None and a.end_date <= today + timedelta(days=28)
    )
    agreements = reverse("brokerage:agreements")
    return Today(
        figures=[
            Figure("Agreements in force", str(len(live)), agreements),
            Figure("Weekly cost of care in force", f"£{money(weekly):,}"),
            Figure("A year at that rate (52 weeks)", f"£{money(weekly * WEEKS_A_YEAR):,}"),
            Figure("Ending in the next 4 weeks", str(ending), agreements),
        ]
    )


def _commissioner(user: Actor, now: datetime) -> Today:
    referrals = brokerage.referrals_for(user)
    waiting = referrals.filter(awaiting_q(now))
    return Today(
        figures=[
            Figure(
                "Referrals being sourced",
                str(referrals.filter(state__in=OPEN_STATES).count()),
                reverse("brokerage:referrals"),
            ),
            Figure(
                "People awaiting care",
                str(waiting.values("person").distinct().count()),
                reverse("brokerage:awaiting"),
            ),
            Figure(
                "Hospital discharges waiting",
                str(referrals.filter(state__in=OPEN_STATES, urgency="hospital_discharge").count()),
            ),
            Figure(
                "Competitions open",
                str(brokerage.competitions_for(user).filter(status="open").count()),
                reverse("brokerage:competitions"),
            ),
        ]
    )


BY_ROLE: dict[str, Callable[[Actor, datetime], Today]] = {
    "provider": _provider,
    "broker": _broker,
    "practitioner": _practitioner,
    "finance": _finance,
    "commissioner": _commissioner,
}


def today_for(user: Actor, now: datetime) -> Today:
    """The role's lists and figures; nothing for a role with none (or a visitor)."""
    if not user.is_authenticated:
        return Today()
    role = "commissioner" if access.is_platform(user) else access.role_of(user)
    make = BY_ROLE.get(role or "")
    return make(user, now) if make else Today()


# --- counts beside the navigation items (one query each) -------------------------------------


def _count_offers(user: Actor) -> int:
    return offers_to_answer(user, clock.now()).count() if access.is_provider(user) else 0


def _count_awaiting(user: Actor) -> int:
    if access.is_provider(user):
        return 0
    waiting = brokerage.referrals_for(user).filter(awaiting_q(clock.now()))
    return waiting.values("person").distinct().count()


NAV_COUNTS: dict[str, tuple[Callable[[Actor], int], str]] = {
    "brokerage:inbox": (_count_offers, "offers to answer"),
    "brokerage:awaiting": (_count_awaiting, "people awaiting care"),
}


def _referral_label(r: Referral) -> str:
    return f"{r.reference}: {r.service_type.name}"


def _referral_href(r: Referral) -> str:
    return reverse("brokerage:referral", args=[r.pk])


def _start(r: Referral) -> str:
    return f"starts {r.start_date.day} {r.start_date:%b %Y}"
