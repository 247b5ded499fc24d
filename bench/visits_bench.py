"""Visits benchmark: import, match and verify N visits and run a pay run over them, beside a
bare COPY of the same file into PostgreSQL and a DuckDB aggregation of the same pay run.

Run (PostgreSQL at DATABASE_URL; the user may create databases)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caremarket \\
        .venv/bin/python bench/visits_bench.py --visits 50000 [--keep] [--json out.json]

What it does, in a scratch database ``caremarket_visits_bench`` beside the one DATABASE_URL
names (never that one), migrated on first use (``--keep`` keeps it for the next run):

1. Makes one council with enough agreements for N visits over four weeks (four visits a
   day each, at £19.28 an hour, with a daily pattern), and plans their visits.
2. Writes an ECM file of N rows from the plan (about 3% missed, 7% late, 6% short, 3% long,
   6% manual), streamed to disk.
3. **bare COPY**: the same file into an unlogged table of text columns, with psycopg's
   ``cursor.copy`` fed in 1 MiB chunks: the floor for getting the bytes into PostgreSQL.
4. **import**: ``caremarket.core.imports.start`` on the file, inline. On PostgreSQL a clean
   file takes ``delivery.services.ecm_bulk``: COPY as text into a temporary table, one
   checking query, matching and pricing in SQL (Python only for the agreement-days with two
   candidate plans or a double-handed visit), one ``INSERT ... SELECT`` into the
   partitioned visits table that also updates the planned visits, in one transaction
   (``bulk_path`` says it was taken).
5. **pay run**: ``services.payruns.open_run`` + ``build`` for the four weeks (planning
   checked, pending days verified, the period's visits taken by range, one GROUP BY into
   lines).
6. **DuckDB**: the same pay run computed straight from the CSV file with DuckDB (paid minutes
   under the same rule, grouped by person, amount rounded once per line): the floor for the
   aggregation.
7. Prints the times, the ratios against the targets (import within 3x COPY, pay run within
   3x DuckDB), the resident memory before the import and its peak while the import and pay
   run ran (sampled every 10 ms), ``ru_maxrss`` before and after DuckDB, and the load
   average. Setup (market, patterns and plans, in SQL) is not counted. Run it at two sizes
   to see whether memory stays flat.

``--night``: a 23:50 call, and a file that opens with the previous evening's late calls
(checked in after midnight): the bulk path with its edge day verified again in Python.
``--manual-cap N``: the rule holds each person's manual log-ins after the first N of the
period (the demo's rule has 3), in the pay run and in DuckDB's.
``--profile``: the import's and the pay run's slowest statements, and the pay run's Python
(cProfile, which slows it: its time is then not the one to quote).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import pstats
import random
import resource
import sys
import tempfile
import time as clock_time
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "caremarket_visits_bench"
PRICE = Decimal("19.28")
SLOTS = ((time(7, 30), 45), (time(12, 0), 30), (time(17, 0), 30), (time(21, 0), 15))
START = date(2026, 10, 5)  # a Monday; four weeks to 1 November
# --night: the last call at 23:50, agreements and plans from the Sunday before, and the file
# opens with that Sunday's late calls (checked in after midnight, so on the file's first
# day): a file whose first visits evidence plans of the day before it. Its four weeks are
# November's, without a clock change, as when its figures in docs/benchmarks.md were made.
NIGHT_SLOTS = (*SLOTS[:3], (time(23, 50), 15))
FIRST = START
MANUAL_CAP: int | None = None  # --manual-cap: the rule's cap on manual log-ins per period


def _scratch_url(url: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{SCRATCH}"))


def _ensure_database(url: str) -> bool:
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [SCRATCH]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {SCRATCH}")
    return not exists


def _drop_database(url: str) -> None:
    import psycopg

    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    os.environ.setdefault("CAREMARKET_VAR_DIR", tempfile.mkdtemp(prefix="visits-bench-"))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _reset() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE delivery_visit, delivery_plannedvisit, delivery_payline, "
            "delivery_historicalpayline, delivery_payrun, delivery_historicalpayrun, "
            "delivery_visitpattern, delivery_historicalvisitpattern, delivery_paymentrule, "
            "delivery_historicalpaymentrule, core_importrun CASCADE"
        )


def _market(agreements: int) -> tuple[int, int, list[tuple[int, str]]]:
    """A council, a provider and ``agreements`` people with agreements and daily patterns."""
    from django.utils import timezone

    from caremarket.accounts.models import User
    from caremarket.brokerage.models import (
        AgreementVariation,
        Award,
        Person,
        Referral,
        ServiceAgreement,
    )
    from caremarket.delivery.models import PaymentRule, VisitPattern
    from caremarket.market.models import CareGroup, Commissioner, ServiceType, Zone
    from caremarket.providers.models import Provider

    council, _ = Commissioner.objects.get_or_create(
        slug="bench-council", defaults={"name": "Bench Council", "ons_code": "E99999999"}
    )
    _reset()
    ServiceAgreement.objects.filter(commissioner=council).exclude(
        pk__in=[]
    ).count()  # existing agreements are reused when there are enough
    people = list(
        Person.objects.filter(commissioner=council, agreements__isnull=False)
        .values_list("agreements__pk", "reference")
        .order_by("pk")[:agreements]
    )
    provider, _ = Provider.objects.get_or_create(name="Bench Homecare", slug="bench-homecare")
    PaymentRule.objects.create(
        commissioner=council,
        effective_from=date(2020, 1, 1),
        pay="actual",
        tolerance_minutes=5,
        rounding_minutes=5,
        minimum_minutes=15,
        frequency="four_weekly",
        cost_centre="BENCH",
        approval_limit=Decimal("100000000"),
        manual_cap_per_period=MANUAL_CAP,
    )
    if len(people) < agreements:
        zone, _ = Zone.objects.get_or_create(
            commissioner=council, number=1, defaults={"name": "All"}
        )
        group, _ = CareGroup.objects.get_or_create(code="OP", defaults={"name": "Older people"})
        service = ServiceType.objects.filter(
            code="personal-care"
        ).first() or ServiceType.objects.create(
            code="personal-care", name="Personal care", unit="hour"
        )
        user, _ = User.objects.get_or_create(
            username="bench.broker", defaults={"role": "broker", "commissioner": council}
        )
        n0 = Person.objects.filter(commissioner=council).count()
        made = Person.objects.bulk_create(
            Person(
                commissioner=council,
                reference=f"BP{n:07d}",
                given_name="Bea",
                family_name=f"Bench{n}",
                date_of_birth=date(1940, 1, 1),
                address=f"{n} Bench Road",
                postcode="PO30 1AA",
                zone=zone,
                care_group=group,
            )
            for n in range(n0, n0 + agreements - len(people))
        )
        now = timezone.now()
        referrals = Referral.objects.bulk_create(
            Referral(
                commissioner=council,
                person=p,
                zone=zone,
                raised_by=user,
                reference=f"BR{p.pk:07d}",
                service_type=service,
                route="spot",
                spot_reason="Benchmark",
                hours_per_week=Decimal("14"),
                start_date=FIRST,
                urgency="planned",
                outcomes="Benchmark",
                state="awarded",
            )
            for p in made
        )
        awards = Award.objects.bulk_create(
            Award(
                commissioner=council,
                referral=r,
                provider=provider,
                delivering_provider=provider,
                route="spot",
                reason="Benchmark",
                unit="hour",
                unit_price=PRICE,
                decided_at=now,
            )
            for r in referrals
        )
        new = ServiceAgreement.objects.bulk_create(
            ServiceAgreement(
                award=a,
                commissioner=council,
                reference=f"BA{a.pk:07d}",
                person=r.person,
                provider=provider,
                delivering_provider=provider,
                unit="hour",
                start_date=FIRST,
            )
            for a, r in zip(awards, referrals, strict=True)
        )
        AgreementVariation.objects.bulk_create(
            AgreementVariation(
                agreement=a,
                effective_from=FIRST,
                units_per_week=Decimal("14"),
                unit_price=PRICE,
                weekly_cost=Decimal("269.92"),
                reason="Start",
                at=now,
            )
            for a in new
        )
        people += [(a.pk, a.person.reference) for a in new]
    _ = VisitPattern  # the patterns, in SQL: 28 a week per agreement, 250,000 at 1M visits
    from django.db import connection

    slots = ", ".join(f"('{t:%H:%M}'::time, {m})" for t, m in SLOTS)
    with connection.cursor() as cur:
        ids = [pk for pk, _ in people]  # agreements reused from a kept database start on FIRST
        cur.execute(
            "UPDATE brokerage_serviceagreement SET start_date = %s WHERE id = ANY(%s)", [FIRST, ids]
        )
        cur.execute(
            "UPDATE brokerage_agreementvariation SET effective_from = %s "
            "WHERE agreement_id = ANY(%s) AND reason = 'Start'",
            [FIRST, ids],
        )
        cur.execute(  # the slots are the module's own constants
            "INSERT INTO delivery_visitpattern (agreement_id, weekday, start_time, minutes, "  # noqa: S608
            "carers, effective_from) SELECT a.id, d, s.t, s.m, 1, %s "
            f"FROM brokerage_serviceagreement a, generate_series(0, 6) d, (VALUES {slots}) s(t, m) "
            "WHERE a.id = ANY(%s)",
            [FIRST, ids],
        )
    return council.pk, provider.pk, people


def _write_file(path: Path, people: list[tuple[int, str]], visits: int, seed: int) -> int:
    from django.utils import timezone

    rng = random.Random(seed)
    zone = timezone.get_current_timezone()
    written = 0
    with open(path, "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(
            [
                "visit_id",
                "person_ref",
                "carer_ref",
                "planned_start",
                "planned_end",
                "check_in",
                "check_out",
                "method",
                "manual_reason",
            ]
        )
        for day_n in range((START - FIRST).days * -1, 28):
            day = START + timedelta(days=day_n)
            for pk, ref in people:
                for slot, (t, minutes) in enumerate(SLOTS):
                    if written >= visits:
                        return written
                    roll = rng.random()
                    if roll < 0.03 or (day_n < 0 and (slot < 3 or roll >= 0.10)):
                        continue  # the day before: only its late night calls, after midnight
                    planned = datetime.combine(day, t, tzinfo=zone)
                    late = rng.randint(35, 60) if roll < 0.10 else rng.randint(-4, 8)
                    if day_n == 27 and t.hour == 23:
                        late = min(late, 9)  # the last night's calls stay in the period
                    length = minutes + rng.randint(-3, 3)
                    if roll < 0.16 and roll >= 0.10:
                        length = int(minutes * 0.6)
                    elif 0.16 <= roll < 0.19:
                        length = minutes + 25
                    method = "manual" if rng.random() < 0.06 else "telephony"
                    check_in = planned + timedelta(minutes=late)
                    w.writerow(
                        [
                            f"B{pk}-{day_n}-{slot}",
                            ref,
                            f"CW{pk % 997:04d}",
                            planned.strftime("%Y-%m-%dT%H:%M"),
                            (planned + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M"),
                            check_in.strftime("%Y-%m-%dT%H:%M"),
                            (check_in + timedelta(minutes=length)).strftime("%Y-%m-%dT%H:%M"),
                            method,
                            "No signal" if method == "manual" and roll < 0.5 else "",
                        ]
                    )
                    written += 1
    return written


def _bare_copy(path: Path) -> float:
    from django.db import connection

    t = clock_time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_bare_copy")
        cur.execute(
            "CREATE UNLOGGED TABLE bench_bare_copy (visit_id text, person_ref text, "
            "carer_ref text, planned_start text, planned_end text, check_in text, "
            "check_out text, method text, manual_reason text)"
        )
        with (
            cur.cursor.copy(
                "COPY bench_bare_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
            open(path, "rb") as f,
        ):
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        cur.execute("DROP TABLE bench_bare_copy")
    connection.commit() if not connection.get_autocommit() else None
    return clock_time.perf_counter() - t


def _duckdb_pay_run(path: Path) -> tuple[float, Decimal]:
    """The same pay run, straight from the file: paid minutes under the same rule (actual,
    tolerance 5, rounding 5, minimum 15, capped at planned; manual without a reason held;
    with ``--manual-cap``, a person's manual log-ins after the first N of the period held),
    summed per person, amount rounded once per line."""
    import duckdb

    cap = "" if MANUAL_CAP is None else f"AND NOT (method = 'manual' AND nth > {int(MANUAL_CAP)})"

    t = clock_time.perf_counter()
    con = duckdb.connect()
    total = con.execute(  # the path is the benchmark's own temporary file
        f"""
        WITH v AS (
          SELECT person_ref,
                 date_diff('minute', check_in::TIMESTAMP, check_out::TIMESTAMP) AS actual,
                 date_diff('minute', planned_start::TIMESTAMP, planned_end::TIMESTAMP) AS planned,
                 method, coalesce(manual_reason, '') AS reason,
                 row_number() OVER (PARTITION BY person_ref, method = 'manual'
                                    AND coalesce(manual_reason, '') <> ''
                                    ORDER BY check_in::TIMESTAMP) AS nth
          FROM read_csv('{path}', header = true, all_varchar = true)
        ), paid AS (
          SELECT person_ref,
                 greatest(CASE WHEN abs(actual - planned) <= 5 THEN planned
                      ELSE least(planned,
                                 CAST(floor((least(actual, planned) * 2 + 5) / 10) * 5 AS INT))
                      END, 15) AS minutes
          FROM v WHERE NOT (method = 'manual' AND reason = '') {cap}
        ), lines AS (
          SELECT person_ref, round(sum(minutes) * 19.28 / 60, 2) AS amount
          FROM paid GROUP BY person_ref
        )
        SELECT sum(amount) FROM lines
        """  # noqa: S608
    ).fetchone()[0]
    return clock_time.perf_counter() - t, Decimal(str(total))


class RssWatch:
    """The process's resident memory, sampled every 10 ms while the measured steps run: the
    peak of the import and the pay run themselves (``ru_maxrss`` is the whole process's,
    the setup's included)."""

    def __init__(self) -> None:
        import threading

        self.peak = self.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def now() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.now())

    def __enter__(self) -> RssWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    global SCRATCH, SLOTS, START, FIRST, MANUAL_CAP
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument(
        "--database", default=SCRATCH, help="scratch database name (one per person running it)"
    )
    parser.add_argument(
        "--night", action="store_true", help="a 23:50 call, and the file opens after midnight"
    )
    parser.add_argument(
        "--profile", action="store_true", help="print the import's and pay run's slowest statements"
    )
    parser.add_argument(
        "--manual-cap", type=int, help="hold each person's manual log-ins after the first N"
    )
    args = parser.parse_args()
    SCRATCH = args.database
    MANUAL_CAP = args.manual_cap
    if args.night:  # four weeks without a clock change (its rows are read by Python)
        SLOTS, START = NIGHT_SLOTS, date(2026, 11, 2)
        FIRST = START - timedelta(days=1)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark uses a scratch one).")
    scratch = _scratch_url(url)
    created = _ensure_database(url)
    _setup_django(scratch)
    from django.core.management import call_command

    t = clock_time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = clock_time.perf_counter() - t

    from caremarket.core import imports
    from caremarket.delivery.models import PayRun, Visit
    from caremarket.delivery.services import ecm_bulk, payruns, planning

    agreements = -(-args.visits // (28 * len(SLOTS)))
    t = clock_time.perf_counter()
    council, provider, people = _market(agreements)
    from django.db import connection as setup_connection

    with setup_connection.cursor() as cur:  # statistics, as autovacuum would soon have them:
        cur.execute("ANALYZE")  # planning a fresh market without any took 284 s at 200k
    planned = planning.plan(council, FIRST, START + timedelta(days=27))
    setup_s = clock_time.perf_counter() - t
    folder = Path(tempfile.mkdtemp(prefix="visits-bench-"))
    path = folder / "ecm.csv"
    rows = _write_file(path, people, args.visits, args.seed)
    size_mb = path.stat().st_size / 1e6

    copy_s = _bare_copy(path)

    bulk = ecm_bulk.import_file
    used: list[object] = []

    def watched(*a, **kw):  # type: ignore[no-untyped-def]
        used.append(bulk(*a, **kw))
        return used[-1]

    ecm_bulk.import_file = watched  # type: ignore[assignment]
    statements: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = clock_time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((clock_time.perf_counter() - started, sql))

    from contextlib import nullcontext

    from django.db import connection

    def profiled() -> Any:
        statements.clear()
        return connection.execute_wrapper(timed) if args.profile else nullcontext()

    def report(what: str) -> None:
        if args.profile:
            in_sql = sum(d for d, _ in statements)
            print(f"{what}: {len(statements)} statements, {in_sql:.2f} s in SQL")
            for spent, sql in sorted(statements, reverse=True)[:12]:
                print(f"{spent:8.3f} s  {' '.join(sql.split())[:200]}")

    load_before = os.getloadavg()
    rss_before_import = RssWatch.now()
    watch = RssWatch().__enter__()
    t = clock_time.perf_counter()
    with profiled():
        run = imports.start(
            "ecm-visits",
            path,
            owner=imports.owner_key(provider_id=provider),
            inline=True,
            options={"provider_id": provider, "commissioner_id": council},
        )
    import_s = clock_time.perf_counter() - t
    if run.status != "succeeded":
        sys.exit(f"import failed: {run.errors[:5]}")
    report("import")

    python = cProfile.Profile() if args.profile else None
    t = clock_time.perf_counter()
    with profiled():
        if python:
            python.enable()
        pay_run = payruns.open_run(council, by=None, period_start=START)
        pay_run = payruns.build(pay_run.pk)
        if python:
            python.disable()
    pay_s = clock_time.perf_counter() - t
    report("pay run")
    if python:  # where the pay run's time outside SQL goes (the profiler slows it)
        pstats.Stats(python).sort_stats("tottime").print_stats(15)
    watch.__exit__()
    rss_before_duckdb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    duck_s, duck_total = _duckdb_pay_run(path)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "visits_in_file": rows,
        "file_mb": round(size_mb, 1),
        "agreements": len(people),
        "planned": planned,
        "visits_written": Visit.objects.count(),
        "setup_s": round(setup_s, 1),
        "migrate_s": round(migrate_s, 1),
        "bare_copy_s": round(copy_s, 2),
        "import_s": round(import_s, 2),
        "bulk_path": bool(used and used[0] is not None),
        "import_vs_copy": round(import_s / copy_s, 1),
        "pay_run_s": round(pay_s, 2),
        "duckdb_s": round(duck_s, 2),
        "pay_run_vs_duckdb": round(pay_s / duck_s, 1),
        "pay_run_total": str(PayRun.objects.get(pk=pay_run.pk).total),
        "duckdb_total": str(duck_total),
        "rss_mb_before_import": round(rss_before_import),
        "peak_rss_mb_during_import_and_pay_run": round(watch.peak),
        "peak_rss_mb_import_and_pay_run": round(rss_before_duckdb),
        "peak_rss_mb_with_duckdb": round(rss_mb),
    }
    figures["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    figures["date_utc"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    for k, v in figures.items():
        print(f"{k:>26}: {v}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    if not args.keep:
        from django.db import connections

        connections.close_all()
        _drop_database(url)
    _ = created


if __name__ == "__main__":
    main()
