"""Awards benchmark: awards completed per second through the service layer on PostgreSQL,
with concurrent workers, and pgbench's TPS on the same machine in the same run for scale.

Run (PostgreSQL must be reachable at DATABASE_URL; the user must be allowed to create
databases)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caremarket \\
        .venv/bin/python bench/awards_bench.py [--duration 20] [--workers 1,2,4,8] \\
        [--pgbench-seconds 20] [--json results.json] [--keep]

What it does:

1. Creates two scratch databases beside the one DATABASE_URL names (it never touches that
   one): ``caremarket_bench``, migrated with ``call_command("migrate")`` and holding the demo
   market from ``caremarket.demo.builder.build()`` (without the demo's replayed brokerage
   history, which the benchmark does not read, where the builder offers that); and
   ``caremarket_pgbench``, initialised with ``pgbench -i -s 10``.
2. For each number of concurrent workers (1, 2, 4, 8 by default) runs that many worker
   *processes* (the service layer is Python: threads would share one core through the GIL),
   each with its own connection, for a fixed duration. Each worker loops over one award
   cycle, every step a service call in its own transaction, exactly as the web app does it:
   a practitioner raises a referral for someone new in Devon zone 4 (Exeter; Living Well at
   Home, which the council coordinates there: offers go at once to every eligible provider,
   8 or so); two providers accept; the broker confirms the award, which ranks the
   acceptances (quality 60, price 40), writes the award and the service agreement and
   queues the emails. Awards completed per second = cycles finished inside the window /
   window length. Every worker does one cycle first to warm up; those are not counted.
3. Runs ``pgbench -c 8 -j 2 -T <seconds>`` (TPC-B-like, scale 10) against the scratch pgbench
   database, so the awards figure can be read against what this PostgreSQL on this machine
   does with a standard write load.
4. Prints the machine, a table, and (with ``--json``) writes the figures; drops both scratch
   databases unless ``--keep``.

A cycle that fails is counted under its exception's name and the worker carries on; the
table shows the first message of each kind, so a broken path is visible rather than fatal.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "caremarket_bench"
PGBENCH_DB = "caremarket_pgbench"
ROOT = Path(__file__).resolve().parents[1]


# --- databases ------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str) -> Any:
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def recreate_database(url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def server_version(url: str) -> str:
    with _admin_connection(url) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])


# --- the market -----------------------------------------------------------------------------


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = _with_database(url, BENCH_DB)
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()


def build_market() -> float:
    import inspect

    from django.core.management import call_command

    from caremarket.demo import builder

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    quick = {"with_brokerage": False}
    if "with_brokerage" not in inspect.signature(builder.build).parameters:
        quick = {}
    builder.build(**quick)
    return time.perf_counter() - started


@dataclass(frozen=True)
class Cast:
    """Who acts in a cycle (primary keys, so a forked worker reloads them itself)."""

    practitioner: int
    broker: int
    zone: int
    care_group: int
    service_type: int
    provider_users: dict[int, int]  # provider pk -> a user of that provider


def cast_the_people() -> Cast:
    from caremarket.accounts.models import User
    from caremarket.core.roles import Role
    from caremarket.frameworks.models import Appointment
    from caremarket.market.models import CareGroup, ServiceType, Zone

    zone = Zone.objects.get(commissioner__slug="devon", number=4)
    users = {}
    for appointment in Appointment.objects.filter(
        lot__framework__slug="living-well-at-home", zones=zone
    ).select_related("provider"):
        provider = appointment.provider
        user = provider.users.first() or User.objects.create_user(
            username=f"bench-{provider.pk}",
            role=Role.PROVIDER,
            provider=provider,
            email=f"bench-{provider.pk}@provider.example",
        )
        users[provider.pk] = user.pk
    return Cast(
        practitioner=User.objects.get(username="devon.practitioner").pk,
        broker=User.objects.get(username="devon.broker").pk,
        zone=zone.pk,
        care_group=CareGroup.objects.get(code="OP").pk,
        service_type=ServiceType.objects.get(code="personal-care").pk,
        provider_users=users,
    )


class Cycle:
    """One award, start to finish, through the services. Built once per worker."""

    def __init__(self, cast: Cast, worker: int) -> None:
        from caremarket.accounts.models import User
        from caremarket.market.models import CareGroup, ServiceType, Zone

        self.cast = cast
        self.worker = worker
        self.n = 0
        self.practitioner = User.objects.get(pk=cast.practitioner)
        self.broker = User.objects.get(pk=cast.broker)
        self.zone = Zone.objects.select_related("commissioner").get(pk=cast.zone)
        self.care_group = CareGroup.objects.get(pk=cast.care_group)
        self.service_type = ServiceType.objects.get(pk=cast.service_type)
        self.users = {
            provider: User.objects.get(pk=user) for provider, user in cast.provider_users.items()
        }
        district = sorted(
            c for c in self.zone.postcode_areas.values_list("code", flat=True) if " " not in c
        )[0]
        self.postcode = f"{district} 1AA"

    def run(self) -> None:
        from caremarket.brokerage.models import Offer
        from caremarket.brokerage.services import awards, offers, referrals
        from caremarket.core import clock

        self.n += 1
        referral = referrals.raise_referral(
            self.practitioner,
            self.zone.commissioner,
            referrals.ReferralInput(
                service_type=self.service_type,
                start_date=clock.today() + timedelta(days=7),
                urgency="planned",
                outcomes="To stay at home.",
                hours_per_week=Decimal("10.5"),
                calls_per_day=2,
                times_of_day=["morning", "evening"],
                minutes_per_call=45,
            ),
            new_person=referrals.PersonInput(
                given_name="Bench",
                family_name=f"Worker{self.worker}-{self.n}",
                date_of_birth=date(1940, 1, 1),
                address=f"{self.n} Bench Street",
                postcode=self.postcode,
                care_group=self.care_group,
            ),
        )
        sent = list(Offer.objects.filter(referral=referral).select_related("provider")[:2])
        for offer in sent:
            offers.accept(offer.pk, provider=offer.provider, by=self.users.get(offer.provider_id))
        awards.confirm(referral.pk, by=self.broker)


# --- the workers ----------------------------------------------------------------------------


@dataclass
class WorkerResult:
    worker: int
    awards: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    first_error: dict[str, str] = field(default_factory=dict)


def worker_main(worker: int, cast: Cast, start_at: float, end_at: float, out: Any) -> None:
    from django.db import connections

    connections.close_all()  # never share the parent's connection across a fork
    result = WorkerResult(worker)
    try:
        cycle = Cycle(cast, worker)

        def attempt() -> bool:
            try:
                cycle.run()
                return True
            except Exception as exc:  # counted by kind; the run goes on
                kind = type(exc).__name__
                result.errors[kind] = result.errors.get(kind, 0) + 1
                result.first_error.setdefault(kind, str(exc).splitlines()[0][:200])
                return False

        attempt()  # warm up (connection, caches); not counted
        result.errors.clear()
        result.first_error.clear()
        while time.time() < start_at:
            time.sleep(0.005)
        while True:
            began = time.perf_counter()
            ok = attempt()
            if time.time() > end_at:
                break
            if ok:
                result.awards += 1
                result.latencies.append(time.perf_counter() - began)
    finally:
        connections.close_all()
        out.put(asdict(result))


@dataclass
class LevelResult:
    workers: int
    seconds: float
    awards: int
    awards_per_second: float
    per_worker_per_second: float
    p50_ms: float | None
    p95_ms: float | None
    errors: dict[str, int]
    first_error: dict[str, str]


def run_level(workers: int, cast: Cast, duration: float) -> LevelResult:
    from django.db import connections

    connections.close_all()
    context = mp.get_context("fork")
    out = context.Queue()
    start_at = time.time() + 3.0 + 0.5 * workers  # time to fork, connect and warm up
    end_at = start_at + duration
    procs = [
        context.Process(target=worker_main, args=(i, cast, start_at, end_at, out))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=duration + 300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    awards = sum(r["awards"] for r in results)
    latencies = sorted(x for r in results for x in r["latencies"])
    errors: dict[str, int] = {}
    first: dict[str, str] = {}
    for r in results:
        for kind, count in r["errors"].items():
            errors[kind] = errors.get(kind, 0) + count
        for kind, message in r["first_error"].items():
            first.setdefault(kind, message)

    def pct(q: float) -> float | None:
        if not latencies:
            return None
        return round(1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)

    return LevelResult(
        workers=workers,
        seconds=duration,
        awards=awards,
        awards_per_second=round(awards / duration, 2),
        per_worker_per_second=round(awards / duration / workers, 2),
        p50_ms=round(1000 * statistics.median(latencies), 1) if latencies else None,
        p95_ms=pct(0.95),
        errors=errors,
        first_error=first,
    )


# --- pgbench --------------------------------------------------------------------------------


def pgbench_binary() -> str:
    for candidate in (shutil.which("pgbench"), "/usr/lib/postgresql/15/bin/pgbench"):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("pgbench not found: install postgresql-client (or add it to PATH)")


def run_pgbench(url: str, seconds: int, clients: int = 8, threads: int = 2) -> dict[str, Any]:
    parts = urlsplit(url)
    env = {**os.environ, "PGPASSWORD": parts.password or ""}
    common = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    binary = pgbench_binary()
    recreate_database(url, PGBENCH_DB)
    subprocess.run(
        [binary, *common, "-i", "-s", "10", "-q", PGBENCH_DB],
        check=True,
        env=env,
        capture_output=True,
    )
    done = subprocess.run(
        [binary, *common, "-c", str(clients), "-j", str(threads), "-T", str(seconds), PGBENCH_DB],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
    latency = re.search(r"latency average = ([0-9.]+) ms", done.stdout)
    return {
        "command": f"pgbench -c {clients} -j {threads} -T {seconds} (scale 10, TPC-B-like)",
        "tps": float(tps.group(1)) if tps else None,
        "latency_ms": float(latency.group(1)) if latency else None,
    }


# --- the machine and the table --------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        found = re.search(r"Model name:\s*(.+)", out)
        model = found.group(1).strip() if found else ""
    except (OSError, subprocess.CalledProcessError):
        pass
    ram = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))  # type: ignore[union-attr]
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    return {
        "date": date.today().isoformat(),
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram": ram,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def print_report(
    info: dict[str, Any], levels: list[LevelResult], pg: dict[str, Any] | None
) -> None:
    print()
    print(f"Machine: {info['nproc']} cores ({info['cpu']}), {info['ram']} RAM, {info['os']}")
    print(f"PostgreSQL {info['postgres']}, Python {info['python']}, date {info['date']}")
    print(f"Demo market built in {info['build_seconds']:.1f} s")
    print()
    print("| workers | seconds | awards | awards/s | per worker/s | p50 ms | p95 ms | errors |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in levels:
        errors = ", ".join(f"{k} x{v}" for k, v in r.errors.items()) or "none"
        print(
            f"| {r.workers} | {r.seconds:g} | {r.awards} | {r.awards_per_second} | "
            f"{r.per_worker_per_second} | {r.p50_ms if r.p50_ms is not None else '-'} | "
            f"{r.p95_ms if r.p95_ms is not None else '-'} | {errors} |"
        )
    if pg:
        print()
        print(f"| {pg['command']} | tps {pg['tps']} | latency average {pg['latency_ms']} ms |")
    for r in levels:
        for kind, message in r.first_error.items():
            print(f"  {r.workers} workers, first {kind}: {message}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per level")
    parser.add_argument("--workers", default="1,2,4,8", help="concurrency levels")
    parser.add_argument("--pgbench-seconds", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/caremarket"
        )

    info = machine()
    info["postgres"] = server_version(url)
    recreate_database(url, BENCH_DB)
    try:
        setup_django(url)
        info["build_seconds"] = build_market()
        cast = cast_the_people()
        levels = []
        for workers in (int(w) for w in args.workers.split(",")):
            level = run_level(workers, cast, args.duration)
            levels.append(level)
            print(
                f"{workers} workers: {level.awards} awards in {args.duration:g} s "
                f"({level.awards_per_second}/s); errors {level.errors or 'none'}",
                flush=True,
            )
        pg = run_pgbench(url, args.pgbench_seconds) if args.pgbench_seconds > 0 else None
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(url, BENCH_DB)
            drop_database(url, PGBENCH_DB)
    print_report(info, levels, pg)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": info, "levels": [asdict(r) for r in levels], "pgbench": pg}, indent=2
            )
        )
        print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
