"""Care homes benchmark: the broker's placement search and the commissioner's care homes
page at national-ish scale, through the same selector and view the pages use.

Run (PostgreSQL must be reachable at DATABASE_URL; the user must be allowed to create
databases)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caremarket DEBUG=1 \\
        .venv/bin/python bench/care_homes_bench.py [--councils 20] [--homes 10000] \\
        [--searches 200] [--pages 10] [--json results.json] [--keep]

What it does:

1. Creates a scratch database ``caremarket_care_homes_bench`` beside the one DATABASE_URL
   names (never touching that one), migrates it, and writes (bulk_create) ``--councils``
   councils with 8 zones of 3 postcode districts each, and ``--homes`` care homes spread
   over them (one to three bed types each, 10 to 60 beds a type, a location for most), each
   with 13 months of returns (the 12 the commissioner's page shows and the month now open,
   which the placement search reads) at about 4% to 10% vacancy. The scale is a round
   number, not a count of England's homes.
2. Placement search: ``--searches`` calls of ``care_homes.selectors.placement_search`` by
   one council's broker, with a random bed type and a random postcode in that council;
   median, p95 and max milliseconds and the median homes found.
3. The commissioner's page: ``--pages`` GETs of ``/care-homes/`` (the whole view: three
   tables, the chart, compliance, the template) as one council's commissioner, and three
   as a platform administrator, who sees every home; median and max milliseconds.
4. Prints the machine, the load average and the figures (``--json`` writes them); drops
   the scratch database unless ``--keep`` (``--reuse`` skips building a kept one).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock_time
from typing import Any

import _scratch as scratch

BENCH_DB = "caremarket_care_homes_bench"
ZONES = 8
DISTRICTS_PER_ZONE = 3
LETTERS = "ABDEFGHJKLMNPRSTUWXY"


def _districts(council: int) -> list[str]:
    area = "Q" + LETTERS[council]
    return [f"{area}{n}" for n in range(1, ZONES * DISTRICTS_PER_ZONE + 1)]


# --- data -----------------------------------------------------------------------------------


def build(councils: int, homes: int, seed: int = 7) -> dict[str, Any]:
    """The scratch market, bulk_create throughout."""
    from caremarket.accounts.models import User
    from caremarket.care_homes import rules
    from caremarket.care_homes.models import (
        CareHome,
        RegisteredBeds,
        VacancyReturn,
        VacancyReturnLine,
    )
    from caremarket.core import clock
    from caremarket.engine import vacancy
    from caremarket.market.models import Commissioner, PostcodeArea, Zone
    from caremarket.providers.models import Location, Provider

    if councils > len(LETTERS):
        raise SystemExit(f"At most {len(LETTERS)} councils.")
    rng = random.Random(seed)
    made = Commissioner.objects.bulk_create(
        Commissioner(
            name=f"Bench council {c}", slug=f"bench-{c}", reference_prefix=f"BC{c:02d}"[:6]
        )
        for c in range(councils)
    )
    zones: dict[int, list[Zone]] = {}
    areas = []
    for c, council in enumerate(made):
        zones[c] = Zone.objects.bulk_create(
            Zone(commissioner=council, number=n, name=f"Z{n}") for n in range(1, ZONES + 1)
        )
        for i, district in enumerate(_districts(c)):
            areas.append(
                PostcodeArea(
                    commissioner=council, zone=zones[c][i // DISTRICTS_PER_ZONE], code=district
                )
            )
    PostcodeArea.objects.bulk_create(areas)
    providers = Provider.objects.bulk_create(
        Provider(name=f"Bench care group {n}", slug=f"bench-care-{n}", is_fictitious=True)
        for n in range(max(homes // 8, 1))
    )
    types = [code for code, _ in vacancy.BED_TYPES]
    locations, plans = [], []
    for n in range(homes):
        c = n % councils
        district_no = rng.randrange(ZONES * DISTRICTS_PER_ZONE)
        district = _districts(c)[district_no]
        postcode = f"{district} {rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
        locations.append(
            Location(
                provider=providers[n % len(providers)],
                name=f"Bench home {n}",
                town="Bench",
                postcode=postcode,
                cqc_location_id=f"1-8{n:09d}",
            )
        )
        beds = {t: rng.randint(10, 60) for t in rng.sample(types, rng.choice([1, 1, 2, 3]))}
        plans.append((c, district_no, beds))
    locations = Location.objects.bulk_create(locations, batch_size=2000)
    care_homes = []
    for location, (c, district_no, beds) in zip(locations, plans, strict=True):
        nursing = any(t in vacancy.NURSING_BED_TYPES for t in beds)
        fields: dict[str, Any] = {}
        if rng.random() < 0.9 and hasattr(CareHome, "latitude"):
            fields = {"latitude": 50 + c * 0.2 + district_no * 0.01, "longitude": -3 + rng.random()}
        care_homes.append(
            CareHome(
                location=location,
                kind=CareHome.Kind.NURSING if nursing else CareHome.Kind.RESIDENTIAL,
                zone=zones[c][district_no // DISTRICTS_PER_ZONE],
                **fields,
            )
        )
    care_homes = CareHome.objects.bulk_create(care_homes, batch_size=2000)
    RegisteredBeds.objects.bulk_create(
        (
            RegisteredBeds(care_home=home, bed_type=t, beds=b)
            for home, (_, _, beds) in zip(care_homes, plans, strict=True)
            for t, b in beds.items()
        ),
        batch_size=5000,
    )
    today = clock.today()
    months = rules.months_back(vacancy.latest_month_open(today), 13)
    returns, line_plans = [], []
    for home, (_, _, beds) in zip(care_homes, plans, strict=True):
        for month in months:
            submitted = datetime.combine(
                month.replace(day=9), clock_time(12), tzinfo=clock.now().tzinfo
            )
            returns.append(
                VacancyReturn(
                    care_home=home,
                    month=month,
                    submitted_at=min(submitted, clock.now() - timedelta(minutes=1)),
                    source=VacancyReturn.Source.IMPORT,
                    nurses_employed=2,
                    care_staff_employed=20,
                    non_care_staff_employed=6,
                    nurses_agency=0,
                    care_staff_agency=2,
                    non_care_staff_agency=0,
                )
            )
            line_plans.append(beds)
    returns = VacancyReturn.objects.bulk_create(returns, batch_size=5000)
    lines = []
    for made_return, beds in zip(returns, line_plans, strict=True):
        for t, capacity in beds.items():
            vacant = min(capacity, max(0, round(capacity * rng.uniform(0.0, 0.16))))
            accepting = rng.randint(0, vacant)
            lines.append(
                VacancyReturnLine(
                    vacancy_return=made_return,
                    bed_type=t,
                    maximum_capacity=capacity,
                    occupied=capacity - vacant,
                    vacant_reserved=vacant - accepting,
                    vacant_accepting=accepting,
                )
            )
    VacancyReturnLine.objects.bulk_create(lines, batch_size=10000)
    first = made[0]
    broker = User.objects.create_user("bench.broker", role="broker", commissioner=first)
    commissioner = User.objects.create_user(
        "bench.commissioner", role="commissioner", commissioner=first
    )
    admin = User.objects.create_superuser("bench.admin")
    return {
        "broker": broker.pk,
        "commissioner": commissioner.pk,
        "admin": admin.pk,
        "returns": len(returns),
        "lines": len(lines),
    }


def _ids() -> dict[str, Any]:
    from caremarket.accounts.models import User

    return {
        k: User.objects.get(username=f"bench.{k}").pk for k in ("broker", "commissioner", "admin")
    }


# --- measurements ---------------------------------------------------------------------------


def _summary(timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "max_ms": round(timings[-1], 1),
    }


def bench_search(broker_id: int, searches: int, seed: int = 11) -> dict[str, Any]:
    from caremarket.accounts.models import User
    from caremarket.care_homes.selectors import placement_search
    from caremarket.engine import vacancy

    rng = random.Random(seed)
    broker = User.objects.get(pk=broker_id)
    types = [code for code, _ in vacancy.BED_TYPES]
    timings, found = [], []
    load_before = os.getloadavg()[0]
    for _ in range(searches):
        postcode = f"{rng.choice(_districts(0))} {rng.randint(1, 9)}AB"
        t = time.perf_counter()
        rows = placement_search(broker, bed_type=rng.choice(types), postcode=postcode).rows
        timings.append((time.perf_counter() - t) * 1000)
        found.append(len(rows))
    return {
        "searches": searches,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        **_summary(timings),
        "median_homes_found": statistics.median(found),
    }


def bench_page(user_id: int, pages: int) -> dict[str, Any]:
    from django.test import Client

    from caremarket.accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(pk=user_id))
    timings = []
    load_before = os.getloadavg()[0]
    for _ in range(pages):
        t = time.perf_counter()
        response = client.get("/care-homes/", secure=True)
        timings.append((time.perf_counter() - t) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"/care-homes/ answered {response.status_code}")
    return {"pages": pages, "load_average_before": round(load_before, 2), **_summary(timings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=20)
    parser.add_argument("--homes", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--json")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()
    base = os.environ["DATABASE_URL"]
    url = scratch.with_database(base, BENCH_DB)
    load_at_start = round(os.getloadavg()[0], 2)
    if not args.reuse:
        with scratch.admin(base) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            admin.execute(f"CREATE DATABASE {BENCH_DB}")
    try:
        scratch.django(url)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        build_s = None
        if args.reuse:
            ids = _ids()
        else:
            t = time.perf_counter()
            ids = build(args.councils, args.homes)
            build_s = round(time.perf_counter() - t, 1)
            with connection.cursor() as c:
                c.execute("ANALYZE")
        result = {
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"{platform.platform()}, Python {platform.python_version()}",
            "load_average_at_start": load_at_start,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "councils": args.councils,
            "homes": args.homes,
            "build_s": build_s,
            "placement_search": bench_search(ids["broker"], args.searches),
            "commissioner_page": bench_page(ids["commissioner"], args.pages),
            "admin_page_every_home": bench_page(ids["admin"], 3),
            "load_average_at_end": round(os.getloadavg()[0], 2),
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
