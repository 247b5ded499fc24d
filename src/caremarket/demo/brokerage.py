"""The demo's brokerage: weeks of referrals replayed through the services, so that every
state and route is on show, and Devon's awaiting-care list totals exactly the seed's table.

Devon's awaiting-care list is seed 002's "unmet need by zone, mid October" (Zone 1: 86 hours,
12 people ... Zone 8: 60 hours, 8 people; 2,000 hours and 205 people in all). Nothing else in
the Devon demo is left waiting, so its totals are the seed's. Everything else (how many
referrals, their hours, who answers) is an assumption, listed in docs/demo-data.md.

This module runs the three councils in order (the order is part of the seed: one random stream
feeds them all) and holds what is not one referral's story: the Isle of Wight's leads and their
subcontracted shares, and the capacity providers declared this morning. Devon's referrals are in
``brokerage_devon.py``; Staffordshire's schemes and sealed-bid competitions in
``brokerage_staffordshire.py``; raising, answering and placing through the real services, at
past moments, in ``replay.py``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from caremarket.accounts.models import User
from caremarket.brokerage import routing
from caremarket.brokerage.models import Notification, Offer, Referral
from caremarket.brokerage.services import offers
from caremarket.core import clock
from caremarket.demo import brokerage_devon, brokerage_staffordshire
from caremarket.demo.replay import Replay, day, tick
from caremarket.frameworks.models import Appointment, Framework, GuaranteedBlock, PanelMember
from caremarket.market.models import Commissioner, ServiceType
from caremarket.providers.models import CapacityDeclaration


def build(now: datetime, seed: int) -> dict[str, int]:
    rng = random.Random(seed + 7)
    devon = Replay(rng, now, Commissioner.objects.get(slug="devon"))
    brokerage_devon.build(devon)
    _isle_of_wight(Replay(rng, now, Commissioner.objects.get(slug="isle-of-wight")))
    brokerage_staffordshire.build(Replay(rng, now, Commissioner.objects.get(slug="staffordshire")))
    _capacity(rng, now)
    tick(now)
    # History's emails were "sent" at the time; do not replay them to the console now.
    Notification.objects.filter(sent_at__isnull=True).update(sent_at=now)
    return {"referrals": Referral.objects.count(), "offers": Offer.objects.count()}


def _capacity(rng: random.Random, now: datetime) -> None:
    """Spare hours declared this morning by home care providers in Devon and on the Isle of
    Wight (an assumption: about half of what Devon's waiting list needs, in 3 to 20 hour
    pieces, so placing it well matters), and one of Devon's guaranteed-hours blocks (seed 002:
    "a Guaranteed Hours programme ... through which commissioners commit to a defined volume
    of hours") with hours still unused."""
    care = ServiceType.objects.get(code="personal-care")
    declared_at = now - timedelta(hours=3)
    rows = []
    pairs = {
        (a.provider_id, z.pk)
        for a in Appointment.objects.filter(
            lot__service_types=care,
            lot__framework__route_to_market__in=["framework_first", "prime_provider"],
        ).prefetch_related("zones")
        for z in a.zones.all()
    }
    pairs |= {
        (m.provider_id, z.pk)
        for m in PanelMember.objects.prefetch_related("zones")
        for z in m.zones.all()
    }
    for provider_id, zone_id in sorted(pairs):
        if rng.random() < 0.55:
            hours = Decimal(rng.choice([3, 4, 5, 6, 7.5, 8, 10, 12, 14, 16, 20]))
            rows.append(
                CapacityDeclaration(
                    provider_id=provider_id,
                    zone_id=zone_id,
                    service_type=care,
                    hours_per_week=hours,
                    valid_from=day(now),
                    declared_at=declared_at,
                )
            )
    CapacityDeclaration.objects.bulk_create(rows)
    lwah = Framework.objects.get(slug="living-well-at-home")
    zone6 = lwah.commissioner.zones.get(number=6)
    holder = Appointment.objects.filter(lot__framework=lwah, zones=zone6).order_by("pk").first()
    GuaranteedBlock.objects.create(
        framework=lwah,
        provider=holder.provider,
        zone=zone6,
        service_type=care,
        hours_per_week=Decimal("40"),
        starts=day(now) - timedelta(days=120),
        ends=day(now) + timedelta(days=245),
    )


def _isle_of_wight(r: Replay) -> None:
    # Each lead's subcontracted share over the last 12 weeks: 40%, about a third, and 15%
    # (below the contract's 30%, which the subcontracting page flags).
    plans = {  # zone -> [(hours a week, placed with a subcontractor?)]
        1: [(10, True), (8, False), (12, True), (7, False), (6, False)],  # 51%
        2: [(8, True), (8, False), (8, False), (8, False), (8, True), (8, False)],  # 33%
        3: [(10, False), (9, False), (6, True), (12, False), (8, False), (10, False)],  # 11%
    }
    # North East's lead places its subcontracted work with the demo's subcontractor account
    # (provider.subcontractor), so that account has visits, and payments shared, to see.
    account = User.objects.filter(username="provider.subcontractor").first()
    prefer = account.provider if account is not None else None
    for zone, pattern in plans.items():
        for i, (hours, sub) in enumerate(pattern):
            raised = r.at(80 - i * 14 - zone)
            referral = r.raise_(raised, zone, "personal-care", hours=str(hours), start_in=3)
            r.lead_places(referral, raised + timedelta(hours=3), subcontract=sub, prefer=prefer)
    r.raise_(
        r.at(0.1, hour=9), 1, "personal-care", hours="9", urgency="hospital_discharge", start_in=1
    )
    placing = r.raise_(r.at(0.5), 2, "personal-care", hours="5", start_in=3)
    lead = placing.offers.get()
    with clock.frozen_at(r.at(0.4)):
        member = routing.panel_for(lead, clock.today())[0]
        offers.lead_subcontracts(lead.pk, provider=lead.provider, member=member, by=None)
    declined = r.raise_(
        r.at(6), 3, "personal-care", hours="18", needs=("double-handed",), start_in=3
    )
    lead = declined.offers.get()
    with clock.frozen_at(r.at(5.9)):
        offers.decline(
            lead.pk,
            provider=lead.provider,
            by=None,
            reason="no_capacity",
            detail="No double-handed runs in Ventnor until the new year.",
        )
    declined.refresh_from_db()
    declined.interim_arrangement, declined.next_action = "family_care", "Escalate to the lead"
    declined.save()
