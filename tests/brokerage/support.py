"""Helpers for the brokerage tests: raise referrals through the services, answer them, move
the clock, and count what changed.

Every write here goes through ``caremarket.brokerage.services`` exactly as the views do, so a
test exercises the same rules a broker or a provider meets. People get distinctive names,
dates of birth and addresses, so that a test can search a page for them and be sure a hit is
a leak and not a coincidence.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from caremarket.accounts.models import User
from caremarket.brokerage.models import (
    AgreementVariation,
    Award,
    Bid,
    Competition,
    Notification,
    Offer,
    Person,
    PersonalDataAccess,
    Referral,
    ServiceAgreement,
)
from caremarket.brokerage.services import offers, referrals
from caremarket.core import clock
from caremarket.core.roles import Role
from caremarket.frameworks.models import Framework
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Specialism, Zone
from caremarket.providers.models import Provider

SLUGS = {"devon": "devon", "iow": "isle-of-wight", "staffs": "staffordshire"}
_serial = itertools.count(1)


# --- the clock ------------------------------------------------------------------------------


class MovableClock:
    """Stands in for ``caremarket.core.clock.now``: pinned, and moved only when a test says."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment

    def set(self, moment: datetime) -> datetime:
        self.moment = moment
        return moment

    def today(self) -> date:
        return timezone.localdate(self.moment)


def just_after_now() -> datetime:
    """A minute from now: after everything the demo replayed when it was built, so what a
    test does is the newest thing in the market."""
    return timezone.now() + timedelta(minutes=1)


# --- reading the demo -----------------------------------------------------------------------


def commissioner(short: str) -> Commissioner:
    return Commissioner.objects.get(slug=SLUGS.get(short, short))


def zone(short: str, number: int) -> Zone:
    return Zone.objects.get(commissioner__slug=SLUGS.get(short, short), number=number)


def postcode_in(z: Zone) -> str:
    """A full postcode in a zone: one of its districts (not a sector) with a made-up inward."""
    codes = sorted(c for c in z.postcode_areas.values_list("code", flat=True) if " " not in c)
    return f"{codes[0]} 9ZZ"


def service(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


def care_group(code: str) -> CareGroup:
    return CareGroup.objects.get(code=code)


def specialisms(*codes: str) -> list[Specialism]:
    return list(Specialism.objects.filter(code__in=codes))


def framework(slug: str) -> Framework:
    return Framework.objects.get(slug=slug)


def account(username: str) -> User:
    return User.objects.select_related("provider", "commissioner").get(username=username)


def provider_user(provider: Provider) -> User:
    """A user acting for a provider: its demo account if it has one, else a new one."""
    existing = provider.users.filter(is_active=True).order_by("pk").first()
    if existing is not None:
        return existing
    return User.objects.create_user(
        username=f"staff-{provider.pk}",
        role=Role.PROVIDER,
        provider=provider,
        email=f"staff-{provider.pk}@provider.example",
    )


# --- raising and answering ------------------------------------------------------------------


@dataclass(frozen=True)
class PersonDetails:
    """What a provider may see only after an award to it, in every form a page might show."""

    given_name: str
    family_name: str
    date_of_birth: date
    address: str

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def leaks(self) -> list[str]:
        """Strings whose presence in a response means the details were shown."""
        dob = self.date_of_birth
        return [
            self.family_name,
            self.address,
            f"{dob.day} {dob:%B %Y}",  # the GOV.UK date on pages
            dob.isoformat(),  # the API's date
        ]


def unique_person() -> PersonDetails:
    n = next(_serial)
    return PersonDetails(
        given_name="Wilhelmina",
        family_name=f"Quillfeather{n:03d}x",
        # Born before 1928: the demo's people are aged 19 to 98, so no demo person shares
        # the date and a hit on a page is a leak, not a coincidence.
        date_of_birth=date(1925, 1, 1) + timedelta(days=n),
        address=f"{n} Larkspur Mews, Hollowcombe",
    )


def person_input(
    z: Zone, group: str = "OP", details: PersonDetails | None = None, postcode: str | None = None
) -> referrals.PersonInput:
    details = details or unique_person()
    return referrals.PersonInput(
        given_name=details.given_name,
        family_name=details.family_name,
        date_of_birth=details.date_of_birth,
        address=details.address,
        postcode=postcode or postcode_in(z),
        care_group=care_group(group),
    )


def referral_input(
    service_code: str,
    *,
    hours: Decimal | str | None = "10",
    start: date | None = None,
    urgency: str = "planned",
    band: str = "",
    needs: Iterable[str] = (),
    sessions: int | None = None,
    double_handed: bool = False,
) -> referrals.ReferralInput:
    return referrals.ReferralInput(
        service_type=service(service_code),
        start_date=start or clock.today() + timedelta(days=7),
        urgency=urgency,
        outcomes="To stay at home and keep going to the allotment on Tuesdays.",
        hours_per_week=Decimal(hours) if hours is not None else None,
        sessions_per_week=sessions,
        band_level=band,
        calls_per_day=2 if hours is not None else None,
        times_of_day=["morning", "evening"] if hours is not None else [],
        minutes_per_call=_minutes_a_call(hours),
        double_handed=double_handed,
        needs=specialisms(*needs),
    )


def _minutes_a_call(hours: Decimal | str | None) -> int | None:
    """Two calls a day of 45 minutes (1.5 to 10.5 hours a week), longer where the hours need
    it: the pattern must fit the hours (``brokerage.visit_pattern``)."""
    if hours is None:
        return None
    needed = math.ceil(Decimal(hours) * 60 / 14 / 15) * 15  # two calls a day, every day
    return min(720, max(45, needed))


def raise_referral(
    council: str,
    zone_number: int,
    service_code: str,
    *,
    by: str | None = None,
    group: str = "OP",
    details: PersonDetails | None = None,
    postcode: str | None = None,
    **kwargs: Any,
) -> Referral:
    """Raise a referral as the council's practitioner, for someone new living in the zone."""
    z = zone(council, zone_number)
    raiser = account(by or f"{council}.practitioner")
    return referrals.raise_referral(
        raiser,
        z.commissioner,
        referral_input(service_code, **kwargs),
        new_person=person_input(z, group, details, postcode),
    )


def run_worker_until_idle(limit: int = 20) -> list[Any]:
    """``worker.tick`` works in batches; the demo market keeps it busy, so run it until a
    tick finds nothing left to do. Returns every tick's report."""
    from caremarket.brokerage.services import worker

    reports = []
    for _ in range(limit):
        report = worker.tick()
        reports.append(report)
        if not (
            report.offers_expired
            or report.referrals_to_awaiting_care
            or report.notifications_sent
            or report.notifications_failed
        ):
            return reports
    raise AssertionError(f"the worker was still busy after {limit} ticks")


def details_of(referral: Referral) -> PersonDetails:
    p = referral.person
    return PersonDetails(p.given_name, p.family_name, p.date_of_birth, p.address)


def offer_to(referral: Referral, provider: Provider, kind: str | None = None) -> Offer:
    qs = Offer.objects.filter(referral=referral, provider=provider)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-round", "-pk").first()


def accept(offer: Offer, quote: Decimal | None = None) -> Offer:
    return offers.accept(
        offer.pk, provider=offer.provider, by=provider_user(offer.provider), quote=quote
    )


def framework_offers(referral: Referral) -> list[Offer]:
    return list(
        referral.offers.filter(kind=Offer.Kind.FRAMEWORK)
        .select_related("provider", "appointment")
        .order_by("pk")
    )


# --- what changed ---------------------------------------------------------------------------

COUNTED = (
    Person,
    Referral,
    Offer,
    Award,
    ServiceAgreement,
    AgreementVariation,
    Bid,
    Competition,
    PersonalDataAccess,
)


def counts() -> dict[str, int]:
    """Row counts of everything brokerage writes (notifications too: a refusal sends none)."""
    found = {m.__name__: m.objects.count() for m in COUNTED}
    found["Notification"] = Notification.objects.count()
    return found


def snapshot() -> dict[str, Any]:
    """Counts plus every status that an answer or award could change, to prove 'nothing'."""
    return {
        "counts": counts(),
        "offers": sorted(Offer.objects.values_list("pk", "status", "unit_price")),
        "referrals": sorted(Referral.objects.values_list("pk", "state", "route", "spot_reason")),
        "bids": sorted(Bid.objects.values_list("pk", "weekly_price", "quality_score", "rank")),
        "agreements": sorted(ServiceAgreement.objects.values_list("pk", "end_date")),
        "competitions": sorted(Competition.objects.values_list("pk", "status")),
    }
