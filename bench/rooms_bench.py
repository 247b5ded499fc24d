"""Supported living rooms benchmark: vacancy search at national scale, and holds per second
under contention, through the same selectors and services the pages use.

Run (PostgreSQL must be reachable at DATABASE_URL; the user must be allowed to create
databases)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caremarket \\
        .venv/bin/python bench/rooms_bench.py [--properties 10000] [--rooms 50000] \\
        [--searches 300] [--duration 15] [--workers 1,2,4] [--json results.json] [--keep]

What it does:

1. Creates a scratch database ``caremarket_rooms_bench`` beside the one DATABASE_URL names
   (never touching that one), migrates it, and writes (bulk_create) one commissioner with 8
   zones, a banded call-off framework with Staffordshire's groups, 2,000 schemes, the
   properties (default 10,000, spread over the zones with locations) and rooms (default
   50,000: about 15% vacant, some stale, the rest occupied or unavailable).
2. Vacancy search: ``--searches`` calls of ``supported_living.selectors.vacancies`` with
   random criteria like a broker's (band always; group, zone or "within 10 km of a point",
   an accessibility need, pets, gender, each sometimes), each timed from the call to the
   list of rooms; reports median, p95 and max milliseconds and the median rooms found.
3. Holds under contention: for each number of worker *processes* (threads would share one
   core through the GIL), each worker loops for ``--duration`` seconds over: hold one of 20
   "hot" rooms (chosen at random, so workers collide) for a fresh referral through
   ``bookings.services.holds.hold``, then withdraw it (``releases.withdraw``) so the room is
   free again. Holds/s = successful holds / window; conflicts (someone else held the room
   first, a clean ``Conflict``) are counted apart, and any other error is reported.
4. Prints the machine and the figures (``--json`` writes them); drops the scratch database
   unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

import _scratch as scratch

BENCH_DB = "caremarket_rooms_bench"
HOT_ROOMS = 20


# --- data -----------------------------------------------------------------------------------


def build(properties: int, rooms: int, seed: int = 7) -> dict[str, Any]:
    """The scratch market: bulk_create throughout (a few seconds for 50,000 rooms)."""
    from caremarket.accounts.models import User
    from caremarket.core import clock
    from caremarket.frameworks.models import Band, Framework, Lot
    from caremarket.market.models import CareGroup, Commissioner, PostcodeArea, ServiceType, Zone
    from caremarket.providers.models import Provider
    from caremarket.supported_living import rules
    from caremarket.supported_living.models import Landlord, Property, Room, Scheme, SupportGroup

    rng = random.Random(seed)
    today, now = clock.today(), clock.now()
    council = Commissioner.objects.create(name="Bench County", slug="bench")
    zones = [Zone.objects.create(commissioner=council, number=n, name=f"Z{n}") for n in range(1, 9)]
    PostcodeArea.objects.bulk_create(
        PostcodeArea(commissioner=council, zone=z, code=f"BN{z.number}") for z in zones
    )
    service, _ = ServiceType.objects.get_or_create(
        code="supported-living", defaults={"name": "Supported living", "unit": "week"}
    )
    CareGroup.objects.get_or_create(code="LD", defaults={"name": "Learning disability"})
    framework = Framework.objects.create(
        commissioner=council,
        name="Bench SL",
        slug="bench-sl",
        kind="flexible_framework",
        start_date=today - timedelta(days=400),
        end_date=today + timedelta(days=1000),
        route_to_market="call_off",
        award_rule="lowest_price",
        pricing_model="banded_weekly_rate",
    )
    for level, hours in (("low", 10), ("medium", 21), ("high", 42), ("very_high", 84)):
        Band.objects.create(
            framework=framework,
            level=level,
            typical_hours_per_week=hours,
            hourly_rate=Decimal("25"),
            effective_from=framework.start_date,
        )
    lot = Lot.objects.create(framework=framework, number=1, name="All")
    lot.zones.set(zones)
    lot.service_types.set([service])
    groups = SupportGroup.objects.bulk_create(
        SupportGroup(commissioner=council, code=c, name=c, sequence=i)
        for i, c in enumerate(("1", "2", "3a", "3b", "3c", "4"))
    )
    providers = Provider.objects.bulk_create(
        Provider(name=f"Bench provider {n}", slug=f"bench-provider-{n}", is_fictitious=True)
        for n in range(100)
    )
    landlord = Landlord.objects.create(name="Bench Housing")
    schemes = Scheme.objects.bulk_create(
        Scheme(
            commissioner=council,
            name=f"Scheme {n}",
            zone=zones[n % 8],
            lot=lot,
            rooms=5,
            care_provider=providers[n % 100],
            serves_low=rng.random() < 0.5,
            serves_very_high=rng.random() < 0.5,
            pets_allowed=rng.random() < 0.5,
            gender=rng.choice(["any"] * 6 + ["female", "male"]),
        )
        for n in range(2000)
    )
    Scheme.groups.through.objects.bulk_create(
        Scheme.groups.through(scheme=s, supportgroup=g)
        for s in schemes
        for g in rng.sample(groups, 2)
    )
    props = Property.objects.bulk_create(
        (
            Property(
                scheme=(s := schemes[n % 2000]),
                landlord=landlord,
                name=f"P{n}",
                address=f"{n} Road",
                postcode=f"BN{s.zone.number} 1AA",
                zone=s.zone,
                kind=rng.choice([rules.SHARED, rules.SELF_CONTAINED]),
                step_free=rng.random() < 0.5,
                wheelchair_accessible=rng.random() < 0.3,
                latitude=Decimal(f"{52 + rng.uniform(0, 2):.5f}"),
                longitude=Decimal(f"{-2.5 + rng.uniform(0, 2):.5f}"),
            )
            for n in range(properties)
        ),
        batch_size=2000,
    )
    made = []
    for n in range(rooms):
        roll = rng.random()
        room = Room(property=props[n % properties], name=f"R{n}", last_confirmed_at=now)
        if roll < 0.15 or n < HOT_ROOMS:
            room.status, room.void_since = rules.VACANT, today - timedelta(days=rng.randint(1, 200))
            if rng.random() < 0.2:
                room.last_confirmed_at = now - timedelta(days=20)
        elif roll < 0.18:
            room.status, room.void_since = rules.UNAVAILABLE, today - timedelta(days=30)
            room.unavailable_reason = "Repairs"
        else:
            room.status = rules.OCCUPIED
        made.append(room)
    Room.objects.bulk_create(made, batch_size=5000)
    broker = User.objects.create_user("bench.broker", role="broker", commissioner=council)
    return {"commissioner": council.pk, "framework": framework.pk, "broker": broker.pk}


# --- search ---------------------------------------------------------------------------------


def bench_search(commissioner_id: int, searches: int, seed: int = 11) -> dict[str, Any]:
    from caremarket.core import clock
    from caremarket.market.models import Zone
    from caremarket.supported_living.selectors import Near, VacancyCriteria, vacancies

    rng = random.Random(seed)
    zones = list(Zone.objects.filter(commissioner_id=commissioner_id).values_list("pk", flat=True))
    timings, found, near_timings, load_before = [], [], [], os.getloadavg()[0]
    for _ in range(searches):
        near = None  # the same draws, in the same order, as every earlier run
        if rng.random() < 0.4:
            near = Near(52 + rng.uniform(0, 2), -2.5 + rng.uniform(0, 2), 10)
        criteria = VacancyCriteria(
            commissioner_id=commissioner_id,
            band=rng.choice(["low", "medium", "high", "very_high"]),
            group=rng.choice(["", "", "2", "3b"]),
            zone_id=None if near or rng.random() < 0.3 else rng.choice(zones),
            near=near,
            needs=("step_free",) if rng.random() < 0.3 else (),
            has_pets=rng.random() < 0.2,
            gender=rng.choice(["", "", "female", "male"]),
        )
        t = time.perf_counter()
        rows = vacancies(criteria, clock.now())
        timings.append((time.perf_counter() - t) * 1000)
        if near is not None:
            near_timings.append(timings[-1])
        found.append(len(rows))
    timings.sort()
    return {
        "searches": searches,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "median_ms": round(statistics.median(timings), 1),
        "median_ms_near_a_point": round(statistics.median(near_timings or [0]), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "max_ms": round(timings[-1], 1),
        "median_rooms_found": statistics.median(found),
    }


# --- holds under contention -----------------------------------------------------------------


def _worker(url: str, ids: dict[str, int], hot: list[int], duration: float, out: Any) -> None:
    scratch.django(url)
    from django.db import connection

    from caremarket.accounts.models import User
    from caremarket.bookings.services import holds, releases
    from caremarket.brokerage.models import Person, Referral
    from caremarket.core.errors import Conflict
    from caremarket.frameworks.models import Band
    from caremarket.market.models import CareGroup, ServiceType, Zone

    connection.ensure_connection()
    rng = random.Random(os.getpid())
    broker = User.objects.get(pk=ids["broker"])
    zone = Zone.objects.filter(commissioner_id=ids["commissioner"]).first()
    band = Band.objects.get(framework_id=ids["framework"], level="medium")
    service = ServiceType.objects.get(code="supported-living")
    group = CareGroup.objects.get(code="LD")

    def referral() -> Referral:
        n = rng.randrange(10**9)
        person = Person.objects.create(
            commissioner_id=ids["commissioner"],
            reference=f"B{os.getpid()}-{n}",
            given_name="B",
            family_name="B",
            date_of_birth="1980-01-01",
            address="1 Road",
            postcode="BN1 1AA",
            zone=zone,
            care_group=group,
        )
        return Referral.objects.create(
            commissioner_id=ids["commissioner"],
            reference=f"R{os.getpid()}-{n}",
            person=person,
            zone=zone,
            raised_by=broker,
            service_type=service,
            framework_id=ids["framework"],
            route="call_off",
            band=band,
            start_date=broker.date_joined.date(),
            urgency="planned",
            outcomes="x",
        )

    held = conflicts = 0
    errors: dict[str, int] = {}
    end = time.perf_counter() + duration
    while time.perf_counter() < end:
        r = referral()
        try:
            booking = holds.hold(r.pk, rng.choice(hot), by=broker)
            held += 1
            releases.withdraw(booking.pk, by=broker)
        except Conflict:
            conflicts += 1
        except Exception as exc:  # counted and shown, so a broken path is visible
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
    out.put({"held": held, "conflicts": conflicts, "errors": errors})


def bench_holds(
    url: str, ids: dict[str, int], workers: list[int], duration: float
) -> list[dict[str, Any]]:
    from caremarket.core import clock
    from caremarket.supported_living.models import Room

    hot = list(
        Room.objects.available(clock.now())
        .filter(
            property__scheme__commissioner_id=ids["commissioner"],
            property__scheme__serves_medium=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:HOT_ROOMS]
    )
    rows = []
    ctx = mp.get_context("spawn")
    for n in workers:
        out = ctx.Queue()
        procs = [ctx.Process(target=_worker, args=(url, ids, hot, duration, out)) for _ in range(n)]
        for p in procs:
            p.start()
        results = [out.get(timeout=duration + 300) for _ in procs]
        for p in procs:
            p.join()
        held = sum(r["held"] for r in results)
        errors: dict[str, int] = {}
        for r in results:
            for k, v in r["errors"].items():
                errors[k] = errors.get(k, 0) + v
        rows.append(
            {
                "workers": n,
                "holds": held,
                "holds_per_s": round(held / duration, 1),
                "conflicts": sum(r["conflicts"] for r in results),
                "errors": errors,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--properties", type=int, default=10_000)
    parser.add_argument("--rooms", type=int, default=50_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--json")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    base = os.environ["DATABASE_URL"]
    url = scratch.with_database(base, BENCH_DB)
    load_at_start = round(os.getloadavg()[0], 2)
    with scratch.admin(base) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    try:
        scratch.django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        ids = build(args.properties, args.rooms)
        build_s = round(time.perf_counter() - t, 1)
        from django.db import connection

        with connection.cursor() as c:
            c.execute("ANALYZE")
        search = bench_search(ids["commissioner"], args.searches)
        connection.close()
        holds = bench_holds(url, ids, [int(w) for w in args.workers.split(",")], args.duration)
        result = {
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"{platform.platform()}, Python {platform.python_version()}",
            "load_average_at_start": load_at_start,
            "load_average_at_end": round(os.getloadavg()[0], 2),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "properties": args.properties,
            "rooms": args.rooms,
            "build_s": build_s,
            "search": search,
            "holds": holds,
        }
        print(json.dumps(result, indent=2))
        if args.json:
            with open(args.json, "w") as fh:
                json.dump(result, fh, indent=2)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            with scratch.admin(base) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
