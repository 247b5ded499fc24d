"""Helpers for replaying brokerage history through the real services, at past moments.

The demo's referrals, offers, awards and agreements are not inserted as rows: they are made
by the same services the web app calls, with the clock set back (``clock.frozen_at``), so
every timeline, deadline and reason in the demo is one the platform itself produced.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from caremarket.accounts.models import User
from caremarket.brokerage import routing
from caremarket.brokerage.models import Offer, Referral
from caremarket.brokerage.services import offers, referrals, worker
from caremarket.brokerage.visit_pattern import DAYS_A_WEEK, day_hours
from caremarket.core import clock
from caremarket.demo.people import person
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Specialism
from caremarket.providers.models import Provider


def fit_pattern(hours: Decimal, calls: int, minutes: int) -> tuple[int, int]:
    """The nearest visit pattern to the one drawn that the hours a week fit, on one to seven
    days (``brokerage.visit_pattern``): fewer or shorter calls for few hours, more or longer
    ones for many."""
    while calls > 1 and day_hours(calls, minutes) > hours:
        calls -= 1
    while minutes > 15 and day_hours(calls, minutes) > hours:
        minutes -= 15
    while calls < 8 and day_hours(calls, minutes) * DAYS_A_WEEK < hours:
        calls += 1
    while minutes < 720 and day_hours(calls, minutes) * DAYS_A_WEEK < hours:
        minutes += 15
    return calls, minutes


@dataclass
class Replay:
    rng: random.Random
    now: datetime
    commissioner: Commissioner

    def __post_init__(self) -> None:
        slug = {"devon": "devon", "isle-of-wight": "iow", "staffordshire": "staffs"}
        short = slug[self.commissioner.slug]
        self.practitioner = User.objects.get(username=f"{short}.practitioner")
        self.broker = User.objects.get(username=f"{short}.broker")
        self.groups = {g.code: g for g in CareGroup.objects.all()}
        self.services = {s.code: s for s in ServiceType.objects.all()}
        self.specialisms = {s.code: s for s in Specialism.objects.all()}
        self.zones = {
            z.number: z for z in self.commissioner.zones.prefetch_related("postcode_areas", "towns")
        }

    def at(self, days_ago: float, hour: int = 10) -> datetime:
        """A moment in the past: whole days back at a working hour, or (under a day) exactly
        that long ago, so that what the demo shows as "out now" is still open when you look."""
        moment = self.now - timedelta(days=days_ago)
        if abs(days_ago) < 1:
            return moment.replace(second=0, microsecond=0)
        local = clock.local(moment)
        return local.replace(hour=hour, minute=self.rng.randint(0, 59), second=0, microsecond=0)

    def raise_(
        self,
        when: datetime,
        zone: int,
        service: str,
        *,
        hours: str | None = None,
        sessions: int | None = None,
        band: str = "",
        urgency: str = "planned",
        needs: tuple[str, ...] = (),
        group: str = "OP",
        start_in: int = 5,
        outcomes: str = "",
        pattern: bool = True,
    ) -> Referral:
        with clock.frozen_at(when):
            today = clock.today()
            # The same random draws, in the same order, as before hours and pattern had to
            # agree; the pattern is then fitted to the hours (``fit_pattern``).
            said = outcomes or self.rng.choice(OUTCOMES)
            calls = self.rng.choice([1, 2, 3, 4]) if pattern and hours else None
            times = (
                self.rng.sample(["morning", "lunch", "tea", "evening"], 2)
                if pattern and hours
                else []
            )
            minutes = self.rng.choice([30, 45, 60]) if pattern and hours else None
            if hours and calls and minutes:
                calls, minutes = fit_pattern(Decimal(hours), calls, minutes)
            data = referrals.ReferralInput(
                service_type=self.services[service],
                start_date=today + timedelta(days=start_in),
                urgency=urgency,
                outcomes=said,
                hours_per_week=Decimal(hours) if hours else None,
                sessions_per_week=sessions,
                band_level=band,
                needs=[self.specialisms[n] for n in needs if n != "double-handed"],
                double_handed="double-handed" in needs,
                calls_per_day=calls,
                times_of_day=times,
                minutes_per_call=minutes,
            )
            new = person(self.rng, self.zones[zone], self.groups[group], today)
            return referrals.raise_referral(
                self.practitioner, self.commissioner, data, new_person=new
            )

    def answer(
        self,
        referral: Referral,
        when: datetime,
        *,
        accept: int = 0,
        decline: int = 0,
        quote: Decimal | None = None,
    ) -> list[Offer]:
        """Some providers accept and some decline, in a stable random order."""
        live = list(referral.offers.filter(status=Offer.Status.OPEN).order_by("pk"))
        self.rng.shuffle(live)
        accepted = []
        with clock.frozen_at(when):
            for offer in live[:accept]:
                accepted.append(
                    offers.accept(
                        offer.pk, provider=offer.provider, by=_user_of(offer.provider), quote=quote
                    )
                )
            for offer in live[accept : accept + decline]:
                offers.decline(
                    offer.pk,
                    provider=offer.provider,
                    by=_user_of(offer.provider),
                    reason=self.rng.choice(["no_capacity", "no_capacity", "travel", "start_date"]),
                )
        return accepted

    def lead_places(
        self,
        referral: Referral,
        when: datetime,
        *,
        subcontract: bool,
        prefer: Provider | None = None,
    ) -> None:
        """A prime's lead delivers the referral itself, or places it with a member of its
        panel who can meet the needs (and who confirms): ``prefer`` if it can, else the first
        by name (the demo's subcontractor account should have visits of its own to see)."""
        lead = referral.offers.get(kind=Offer.Kind.LEAD)
        with clock.frozen_at(when):
            panel = routing.panel_for(lead, clock.today())
            needs = set(referral.needs.values_list("pk", flat=True))
            able = [m for m in panel if needs <= set(m.specialisms.values_list("pk", flat=True))]
            if subcontract and able:
                member = prefer if prefer in able else able[0]
                sub = offers.lead_subcontracts(
                    lead.pk, provider=lead.provider, member=member, by=None
                )
                offers.subcontractor_confirms(sub.pk, provider=member, by=None)
            else:
                offers.lead_delivers(lead.pk, provider=lead.provider, by=None)

    def zone_hours(self, total: Decimal, people: int) -> list[Decimal]:
        """Split a zone's unmet hours across its people, in quarter hours, summing exactly."""
        weights = [self.rng.uniform(0.5, 2.0) for _ in range(people)]
        share = [total * Decimal(str(w / sum(weights))) for w in weights]
        parts = [max(Decimal("1.5"), (s * 4).to_integral_value() / 4) for s in share]
        parts[parts.index(max(parts))] += total - sum(parts)
        return parts


def _user_of(provider: Provider) -> Any:
    return provider.users.first()


def day(moment: datetime) -> date:
    return clock.local(moment).date()


def tick(at: datetime) -> None:
    """What ``caremarket tick`` would have done at that moment: expire offers past their
    deadline and move referrals on."""
    with clock.frozen_at(at):
        worker.expire_and_move()


OUTCOMES = [
    "To stay in my own home and be safe getting up and going to bed.",
    "To get back to the allotment and see my friends at the club on Thursdays.",
    "To manage my own medication again and cook one hot meal a day.",
    "To be clean and comfortable, and for my daughter to get some sleep at night.",
    "To go to college two days a week and learn to use the bus on my own.",
    "To be at home at the end of my life, with my family around me.",
    "To feel less lonely and get out of the house once a day.",
    "To keep my tenancy and manage my money with some support.",
]
