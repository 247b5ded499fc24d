"""Build the demo: three councils' markets from the seeds, deterministic for a seed and date.

Dates are laid out around ``as_of`` (default: today) wherever the seeds' own dates are long
past, so the demo always shows a live market with entry windows open, closed and upcoming.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from caremarket.accounts.models import User
from caremarket.core import clock
from caremarket.core.roles import Role
from caremarket.demo import (
    brokerage,
    care_homes,
    delivery,
    devon,
    insight,
    isle_of_wight,
    pricing,
    rooms,
    staffordshire,
)
from caremarket.demo.accounts import DEMO_PASSWORD, data_protection_officer
from caremarket.demo.factory import Factory, Reference
from caremarket.demo.geography import COMMISSIONERS, NEIGHBOURS, CommissionerSpec
from caremarket.demo.names import NameMaker
from caremarket.frameworks.models import Appointment, Framework, Lot
from caremarket.market.models import Commissioner, PostcodeArea, Town, Zone
from caremarket.market.reference import ensure_reference_data
from caremarket.providers.models import Provider

SHORT = {"devon": "devon", "isle-of-wight": "iow", "staffordshire": "staffs"}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str
    note: str = ""


@dataclass
class BuildReport:
    as_of: date
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)


def is_built() -> bool:
    return Commissioner.objects.filter(slug__in=[c.slug for c in COMMISSIONERS]).exists()


@transaction.atomic
def build(
    as_of: date | None = None, seed: int = 2026, *, with_brokerage: bool = True
) -> BuildReport:
    as_of = as_of or clock.today()
    ensure_reference_data()
    rng = random.Random(seed)
    factory = Factory(rng=rng, ref=Reference.load())
    names = NameMaker(rng)
    commissioners = {spec.slug: _commissioner(spec) for spec in COMMISSIONERS}
    built_devon = devon.build(commissioners["devon"], factory, names, as_of)
    built_iow = isle_of_wight.build(commissioners["isle-of-wight"], factory, names)
    built_staffs = staffordshire.build(commissioners["staffordshire"], factory, names, as_of)
    national = _national_provider(factory, names, built_devon, built_iow, built_staffs)
    price_count = factory.flush_prices()
    report = BuildReport(as_of=as_of, seed=seed)
    report.accounts = _accounts(commissioners, national, built_devon, built_iow, built_staffs)
    if with_brokerage:
        moment = (
            timezone.now()
            if as_of == timezone.localdate()
            else timezone.make_aware(datetime.combine(as_of, time(12, 0)))
        )
        report.counts.update(brokerage.build(moment, seed))
        # The newer apps' parts, in the order they depend on each other.
        for part in (rooms, care_homes, pricing, delivery, insight):
            report.counts.update(part.build(as_of=as_of, moment=moment, seed=seed))
    report.counts |= {
        "commissioners": Commissioner.objects.count(),
        "zones": Zone.objects.count(),
        "frameworks": Framework.objects.count(),
        "lots": Lot.objects.count(),
        "providers": Provider.objects.count(),
        "appointments": Appointment.objects.count(),
        "prices": price_count,
    }
    return report


def _commissioner(spec: CommissionerSpec) -> Commissioner:
    commissioner = Commissioner.objects.create(
        name=spec.name,
        slug=spec.slug,
        ons_code=spec.ons_code,
        zone_label=spec.zone_label,
        website=spec.website,
    )
    for z in spec.zones:
        zone = Zone.objects.create(commissioner=commissioner, number=z.number, name=z.name)
        Town.objects.bulk_create(Town(zone=zone, name=t) for t in z.towns)
        PostcodeArea.objects.bulk_create(
            PostcodeArea(commissioner=commissioner, zone=zone, code=c) for c in z.postcode_areas
        )
    zones = {z.number: z for z in commissioner.zones.all()}
    for a, b in NEIGHBOURS[spec.slug]:
        zones[a].neighbours.add(zones[b])
    return commissioner


def _national_provider(factory: Factory, names: NameMaker, *built: dict[str, object]) -> Provider:
    """One organisation working for all three councils, as national providers do."""
    devon_built, iow_built, staffs_built = built
    provider = factory.provider(
        names.reserve("Harbour Homecare Group"),
        services=["personal-care", "supported-living"],
        care_groups=["OP", "PD", "LD", "MH"],
        specialisms=["double-handed", "end-of-life", "mental-health"],
        town="Exeter",
        postcode_district="EX2",
        regulated=True,
        description="A national provider working with several councils (fictitious).",
    )
    lwah: Framework = devon_built["lwah"]  # type: ignore[assignment]
    lot = lwah.lots.get(number=1)
    zones = list(lot.zones.filter(number__in=[4, 5]))
    start = lwah.start_date
    appointment = factory.appoint(provider, lot, zones, appointed_on=start, quality=Decimal("74"))
    for zone in zones:
        factory.price(appointment, zone, "hour", Decimal("24.95"), start)
    lead = iow_built["leads"][0]  # type: ignore[index]
    factory.panel(lead, provider, list(lead.zones.all()), lead.appointed_on)
    mh_lot = staffs_built["lots"][0]  # type: ignore[index]
    factory.appoint(
        provider, mh_lot, list(mh_lot.zones.all()), appointed_on=mh_lot.framework.start_date
    )
    return provider


def _accounts(
    commissioners: dict[str, Commissioner], national: Provider, *built: dict[str, object]
) -> list[DemoAccount]:
    devon_built, iow_built, staffs_built = built
    back_office = _back_office_group()
    accounts: list[DemoAccount] = []

    def add(
        username: str,
        role: str,
        first: str,
        last: str,
        note: str = "",
        commissioner: Commissioner | None = None,
        provider: Provider | None = None,
        staff: bool = False,
    ) -> None:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            first_name=first,
            last_name=last,
            commissioner=commissioner,
            provider=provider,
            is_staff=staff,
            email=f"{username}@caremarket.example",
        )
        if staff:
            user.groups.add(back_office)
        organisation = (
            commissioner.name
            if commissioner
            else provider.display_name
            if provider
            else "caremarket"
        )
        accounts.append(DemoAccount(username, Role(role).label, organisation, note))

    User.objects.create_superuser(
        "admin",
        "admin@caremarket.example",
        DEMO_PASSWORD,
        first_name="Platform",
        last_name="Administrator",
    )
    accounts.append(
        DemoAccount(
            "admin", "Platform administrator", "caremarket", "back office for all commissioners"
        )
    )
    people = {
        "commissioner": ("Chris", "Commissioner"),
        "broker": ("Bea", "Broker"),
        "practitioner": ("Pat", "Practitioner"),
        "finance": ("Frankie", "Finance"),
    }
    for slug, commissioner in commissioners.items():
        for role, (first, last) in people.items():
            add(
                f"{SHORT[slug]}.{role}",
                role,
                first,
                last,
                commissioner=commissioner,
                staff=role == "commissioner",
                note="also signs in to the back office" if role == "commissioner" else "",
            )
    si: Framework = devon_built["si"]  # type: ignore[assignment]
    si_provider = si.lots.get(number=2).appointments.order_by("pk").first().provider
    lwah: Framework = devon_built["lwah"]  # type: ignore[assignment]
    prime = (
        lwah.lots.get(number=1)
        .appointments.filter(prime_zones__isnull=False)
        .order_by("pk")
        .first()
    )
    iow_lead = iow_built["leads"][1].provider  # type: ignore[index]
    # A subcontractor on that lead's panel, so the prime-provider flow can be finished.
    iow_sub = iow_built["leads"][1].panel.order_by("pk").first().provider  # type: ignore[index]
    staffs_provider = staffs_built["providers"][-1]  # type: ignore[index]
    add(
        "provider.harbour",
        "provider",
        "Harper",
        "Harbour",
        provider=national,
        note="works for all three councils",
    )
    add(
        "provider.devon",
        "provider",
        "Sam",
        "Support",
        provider=si_provider,
        note="Devon Supporting Independence",
    )
    add(
        "provider.prime",
        "provider",
        "Pip",
        "Prime",
        provider=prime.provider,
        note="Devon lead provider, zones 1-3",
    )
    add(
        "provider.iow",
        "provider",
        "Lee",
        "Lead",
        provider=iow_lead,
        note="Isle of Wight lead provider",
    )
    add(
        "provider.subcontractor",
        "provider",
        "Sol",
        "Subcontractor",
        provider=iow_sub,
        note="on the Isle of Wight lead provider's panel",
    )
    add(
        "provider.staffs",
        "provider",
        "Sky",
        "Supported",
        provider=staffs_provider,
        note="Staffordshire supported living",
    )
    dpo = data_protection_officer(commissioners["devon"])
    accounts.append(DemoAccount(dpo.username, "Data protection officer", dpo.organisation_name, ""))
    return accounts


def _back_office_group() -> Group:
    group, _ = Group.objects.get_or_create(name="Commissioner back office")
    editable = {
        "zone",
        "town",
        "postcodearea",
        "framework",
        "lot",
        "entrywindow",
        "extensionoption",
        "appointment",
        "panelmember",
        "price",
        "commissionerrate",
        "band",
    }
    perms = Permission.objects.filter(
        content_type__app_label__in=["market", "providers", "frameworks"]
    )
    chosen = [
        p
        for p in perms
        if p.codename.startswith("view_")
        or (p.codename.split("_", 1)[1] in editable and not p.codename.startswith("delete_"))
    ]
    chosen += list(Permission.objects.filter(codename="change_commissioner"))
    group.permissions.set(chosen)
    return group
