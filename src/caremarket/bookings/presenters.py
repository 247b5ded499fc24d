"""The columns of the bookings tables, defined once for the page and its CSV; and what a
provider is shown of a referral before it confirms (a summary, never the person)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse

from caremarket.bookings import rules
from caremarket.core import clock
from caremarket.core.tables import Column


def _when(moment: datetime) -> str:
    """A moment as local time that sorts as text (2026-12-04 14:00)."""
    return f"{clock.local(moment):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class ReferralSummary:
    """What a provider sees of the person before confirming: no name, address or birth date."""

    reference: str
    postcode_district: str
    zone: str
    band: str
    group: str
    care_group: str
    start_date: Any
    outcomes: str


def summary_of(booking: Any) -> ReferralSummary:
    referral = booking.referral
    return ReferralSummary(
        reference=referral.reference,
        postcode_district=referral.person.postcode_district,
        zone=referral.zone.label,
        band=booking.band.get_level_display(),
        group=str(booking.group) if booking.group else "Not given",
        care_group=str(referral.person.care_group),
        start_date=referral.start_date,
        outcomes=referral.outcomes,
    )


def vacancy_columns(referral_pk: int, group: str) -> list[Column]:
    def hold_link(v: Any) -> str:
        base = reverse("bookings:search", args=[referral_pk])
        return f"{base}?hold={v.room.pk}&group={group}#hold"

    return [
        Column(
            "room", "Room", get=lambda v: f"{v.room.property.name}, {v.room.name}", link=hold_link
        ),
        Column("id", "Room id", get=lambda v: v.room.pk, numeric=True),
        Column("scheme", "Scheme", get=lambda v: v.room.property.scheme.name),
        Column("zone", "Zone", get=lambda v: v.room.property.zone.name),
        Column("distance", "Distance (km)", get=lambda v: v.distance_km, numeric=True),
        Column("kind", "Kind", get=lambda v: v.room.property.get_kind_display()),
        Column("access", "Accessibility", get=lambda v: ", ".join(v.room.property.accessibility)),
        Column(
            "compat", "Compatibility", get=lambda v: ", ".join(v.room.property.scheme.compatibility)
        ),
        Column("void_days", "Days empty", numeric=True),
        Column("stale", "Stale", get=lambda v: "Stale: ask the provider" if v.stale else ""),
    ]


def booking_columns(at: datetime, *, link: str) -> list[Column]:
    return [
        Column(
            "referral",
            "Referral",
            get=lambda b: b.referral.reference,
            link=lambda b: reverse(link, args=[b.pk]),
        ),
        Column("room", "Room", get=lambda b: str(b.room)),
        Column("scheme", "Scheme", get=lambda b: b.room.property.scheme.name),
        Column("band", "Band", get=lambda b: b.band.get_level_display()),
        Column("state", "Status", get=lambda b: rules.STATE_LABELS[b.effective_state(at)]),
        Column("held_at", "Held", get=lambda b: b.held_at.date(), format="date"),
        Column("expires_at", "Hold ends", get=lambda b: _when(b.expires_at)),
        Column("move_in", "Moves in", get=lambda b: b.move_in_date, format="date"),
        Column("rate", "Weekly rate", get=lambda b: b.weekly_rate, numeric=True, format="money"),
    ]


REFERRAL_COLUMNS = [
    Column("reference", "Referral", link=lambda r: reverse("bookings:search", args=[r.pk])),
    Column("zone", "Zone", get=lambda r: r.zone.name),
    Column("band", "Band", get=lambda r: r.band.get_level_display() if r.band else ""),
    Column("start_date", "Needed from", format="date"),
    Column("state", "Referral status", get=lambda r: r.get_state_display()),
]

DIRECT_PAYMENT_COLUMNS = [
    Column("referral", "Referral", get=lambda d: d.referral.reference),
    Column("where", "Where"),
    Column("band", "Band", get=lambda d: d.band.get_level_display()),
    Column("weekly_amount", "Weekly amount", numeric=True, format="money"),
    Column("start_date", "From", format="date"),
]
