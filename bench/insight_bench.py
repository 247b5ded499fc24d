"""Market sufficiency benchmark: the dashboard for a county with a million packages' history
and 100,000 awaiting-care records, and the statement's figures on PostgreSQL beside the same
figures from DuckDB over the same rows, in one run.

Run (PostgreSQL at DATABASE_URL; the user may create databases)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caremarket \\
        .venv/bin/python bench/insight_bench.py [--packages 1000000] [--awaiting 100000] \\
        [--repeats 5] [--json results.json] [--keep] [--reuse]

``--keep`` leaves the scratch database for a later ``--reuse`` (which skips the load);
``--sqlite FILE`` runs the same rows on SQLite instead (``insight_bench_sqlite.py``).

What it does:

1. Creates a scratch database ``caremarket_insight_bench`` beside the one DATABASE_URL names
   (never touching that one), migrates it, and makes one commissioner with eight zones.
2. Writes ``--packages`` packages in place (ten years of history: starts spread over 2016-2025,
   two in three ended, six care groups, home- and group-based, eight zones, 600,000 people)
   and ``--awaiting`` awaiting-care records with ``INSERT ... SELECT generate_series``.
   Then rebuilds the running totals (``insight.services.summary.refresh``) as an import
   does in its transaction, and reports how long that took.
3. Times, best of ``--repeats``: the whole dashboard page (the view, every figure, tables,
   SVG charts, template) for 30 June 2026 compared with 30 June 2025; and the statement's
   core figures alone (people by care group and setting on both dates, distinct totals,
   commissioned and unmet hours and people by zone) through ``insight.selectors.figures``.
4. Copies the same rows to DuckDB (in memory, from a CSV export) and times the same figures
   as SQL there; checks that both give the same numbers; prints the ratio. For reference it
   also runs DuckDB's SQL text on PostgreSQL over the records themselves (what the figures
   cost without the running totals).
"""

# ruff: noqa: S608 - the SQL here is built from integer ids, dates and constants only
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import _scratch as scratch

ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = "caremarket_insight_bench"
AS_OF, THEN = date(2026, 6, 30), date(2025, 6, 30)
sys.path.insert(0, str(ROOT / "src"))


def recreate(url: str, drop_only: bool = False) -> None:
    from psycopg import sql

    with scratch.admin(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))


def setup_django(url: str) -> None:
    scratch.django(scratch.with_database(url, BENCH_DB), **scratch.PAGES)


def build(packages: int, awaiting: int) -> tuple[Any, float, float]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from caremarket.market.models import CareGroup, Commissioner, ServiceType, Zone

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    county = Commissioner.objects.create(name="Bench County Council", slug="bench")
    zones = [
        Zone.objects.create(commissioner=county, number=n, name=f"Zone {n}").pk for n in range(1, 9)
    ]
    groups = list(CareGroup.objects.order_by("pk").values_list("pk", flat=True))
    home = ServiceType.objects.get(code="individualised-support").pk
    group = ServiceType.objects.get(code="group-day-opportunity").pk
    care = ServiceType.objects.get(code="personal-care").pk
    z, g = f"ARRAY{zones}", f"ARRAY{groups}"
    with connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO insight_packageinplace (commissioner_id, reference, person_reference,
                care_group_id, service_type_id, setting, zone_id, hours_per_week, band,
                start_date, end_date)
            SELECT {county.pk}, 'PK' || n, 'P' || (n % 600000), ({g})[1 + n % {len(groups)}],
                CASE WHEN n % 5 = 0 THEN {group} ELSE {home} END,
                CASE WHEN n % 5 = 0 THEN 'group' ELSE 'home' END,
                ({z})[1 + (n / 7) % 8], 1 + n % 20, '',
                DATE '2016-01-01' + ((n::bigint * 7919) % 3650)::int,
                CASE WHEN n % 3 = 0 THEN NULL
                     ELSE DATE '2016-01-01' + ((n::bigint * 7919) % 3650)::int + (n % 700) END
            FROM generate_series(1, {packages}) AS n""")
        cur.execute(f"""
            INSERT INTO insight_awaitingcarerecord (commissioner_id, reference, person_reference,
                zone_id, care_group_id, service_type_id, hours_per_week, awaiting_since,
                resolved_on)
            SELECT {county.pk}, 'AW' || n, 'W' || (n % 90000), ({z})[1 + (n / 3) % 8],
                ({g})[1 + n % {len(groups)}], {care}, 1 + n % 25,
                DATE '2024-01-01' + (n % 900),
                CASE WHEN n % 4 = 0 THEN NULL ELSE DATE '2024-01-01' + (n % 900) + (n % 200) END
            FROM generate_series(1, {awaiting}) AS n""")
        cur.execute("ANALYZE insight_packageinplace; ANALYZE insight_awaitingcarerecord")
    loaded = time.perf_counter() - started
    from caremarket.insight.services import summary

    started = time.perf_counter()
    with transaction.atomic():  # as an import does: the running totals in its transaction
        summary.refresh(county.pk)
    with connection.cursor() as cur:
        cur.execute("ANALYZE insight_figurechange")
    return county, loaded, time.perf_counter() - started


def best(fn: Any, repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def postgres_figures(county: Any) -> dict[str, Any]:
    from caremarket.insight.selectors import figures

    people = figures.people_by_care_group(county, THEN, AS_OF)
    zones = figures.zones(county, AS_OF)
    return {
        "people": sorted(
            (r.code, r.home_then, r.home_now, r.group_then, r.group_now) for r in people
        ),
        "totals": (figures.people_totals(county, THEN), figures.people_totals(county, AS_OF)),
        "zones": [
            (z.number, float(z.commissioned_hours), float(z.unmet_hours), z.unmet_people)
            for z in zones
        ],
    }


def render_dashboard() -> tuple[int, int]:
    from django.test import RequestFactory

    from caremarket.accounts.models import User
    from caremarket.insight.views.dashboard import dashboard

    user = User.objects.filter(username="bench.admin").first() or User.objects.create_superuser(
        "bench.admin", "bench@example.invalid", "x", role="platform"
    )
    request = RequestFactory().get(
        "/sufficiency/",
        {"commissioner": "bench", "as_of": AS_OF.isoformat(), "compare_with": THEN.isoformat()},
    )
    request.user = user
    response = dashboard(request)
    return response.status_code, len(response.content)


def duckdb_load(county: Any) -> Any:
    import duckdb
    from django.db import connection

    con = duckdb.connect()
    folder = Path(tempfile.mkdtemp(prefix="insight-bench-"))
    for table, cols in (
        (
            "insight_packageinplace",
            "care_group_id, setting, zone_id, person_reference, hours_per_week, start_date, "
            "end_date",
        ),
        (
            "insight_awaitingcarerecord",
            "zone_id, person_reference, hours_per_week, awaiting_since, resolved_on",
        ),
    ):
        path = folder / f"{table}.csv"
        query = f"COPY (SELECT {cols} FROM {table} WHERE commissioner_id = {county.pk}) TO STDOUT"
        with (
            connection.cursor() as cur,
            open(path, "wb") as out,
            cur.connection.cursor().copy(f"{query} WITH CSV HEADER") as copy,
        ):
            for chunk in copy:
                out.write(chunk)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto('{path}')")
    con.execute(
        "CREATE TABLE care_group AS SELECT * FROM (VALUES "
        + ", ".join(f"({pk}, '{code}')" for pk, code in _groups())
        + ") AS t(id, code)"
    )
    return con


def _groups() -> list[tuple[int, str]]:
    from caremarket.market.models import CareGroup

    return list(CareGroup.objects.values_list("pk", "code"))


def duckdb_figures(con: Any) -> dict[str, Any]:
    live = "start_date <= DATE '{d}' AND (end_date IS NULL OR end_date >= DATE '{d}')"
    people: dict[str, list[int]] = {code: [0, 0, 0, 0] for _, code in _groups()}
    totals: list[dict[str, int]] = []
    for i, day in enumerate((THEN, AS_OF)):
        for code, setting, n in con.execute(
            "SELECT g.code, p.setting, count(DISTINCT p.person_reference) "
            "FROM insight_packageinplace p "
            f"JOIN care_group g ON g.id = p.care_group_id WHERE {live.format(d=day)} GROUP BY 1, 2"
        ).fetchall():
            people[code][(0 if setting == "home" else 2) + i] = n
        totals.append(
            {"home": 0, "group": 0}
            | dict(
                con.execute(
                    f"SELECT setting, count(DISTINCT person_reference) FROM insight_packageinplace "
                    f"WHERE {live.format(d=day)} GROUP BY 1"
                ).fetchall()
            )
        )
    hours = dict(
        con.execute(
            "SELECT zone_id, sum(hours_per_week) FROM insight_packageinplace "
            f"WHERE {live.format(d=AS_OF)} "
            "AND hours_per_week IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    unmet = {
        z: (h, n)
        for z, h, n in con.execute(
            "SELECT zone_id, sum(hours_per_week), count(DISTINCT person_reference) "
            "FROM insight_awaitingcarerecord "
            f"WHERE awaiting_since <= DATE '{AS_OF}' "
            f"AND (resolved_on IS NULL OR resolved_on > DATE '{AS_OF}') "
            "GROUP BY 1"
        ).fetchall()
    }
    return {"people": people, "totals": totals, "hours": hours, "unmet": unmet}


class _PostgresSQL:
    """DuckDB's ``execute(sql).fetchall()`` over PostgreSQL: the same SQL text on both."""

    def __init__(self) -> None:
        from django.db import connection

        self.cur = connection.cursor()
        self.cur.execute("CREATE TEMP VIEW care_group AS SELECT id, code FROM market_caregroup")

    def execute(self, sql: str) -> Any:
        self.cur.execute(sql)
        return self.cur


def same(pg: dict[str, Any], dk: dict[str, Any]) -> bool:
    from caremarket.market.models import Zone

    people_ok = all(
        tuple(dk["people"][code]) == (home_then, home_now, group_then, group_now)
        for code, home_then, home_now, group_then, group_now in pg["people"]
    )
    totals_ok = [dict(t) for t in pg["totals"]] == dk["totals"]
    numbers = {z.pk: z.number for z in Zone.objects.filter(commissioner__slug="bench")}
    zones_ok = all(
        abs(float(dk["hours"].get(pk, 0)) - pg_z[1]) < 0.01
        and abs(float(dk["unmet"].get(pk, (0, 0))[0]) - pg_z[2]) < 0.01
        and dk["unmet"].get(pk, (0, 0))[1] == pg_z[3]
        for pk, number in numbers.items()
        for pg_z in pg["zones"]
        if pg_z[0] == number
    )
    return people_ok and totals_ok and zones_ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=1_000_000)
    parser.add_argument("--awaiting", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse a database kept by --keep (skip the load)"
    )
    parser.add_argument("--sqlite", help="run on a new SQLite file instead (no DuckDB side)")
    args = parser.parse_args()
    if args.sqlite:
        from insight_bench_sqlite import main_sqlite

        main_sqlite(args.sqlite, args)
        return
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/caremarket")
    if not args.reuse:
        recreate(url)
    try:
        setup_django(url)
        if args.reuse:
            from django.core.management import call_command

            from caremarket.market.models import Commissioner

            call_command("migrate", verbosity=0)
            county, load_s, refresh_s = Commissioner.objects.get(slug="bench"), 0.0, 0.0
        else:
            county, load_s, refresh_s = build(args.packages, args.awaiting)
        render_dashboard()  # warm: templates compiled, connection open
        page_s, (status, size) = best(render_dashboard, args.repeats)
        pg_s, pg = best(lambda: postgres_figures(county), args.repeats)
        con = duckdb_load(county)
        duck_s, dk = best(lambda: duckdb_figures(con), args.repeats)
        raw = _PostgresSQL()  # for reference: DuckDB's SQL over the records, on PostgreSQL
        raw_s, raw_figures = best(lambda: duckdb_figures(raw), args.repeats)
        result = {
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
            "packages": args.packages,
            "awaiting": args.awaiting,
            "load_seconds": round(load_s, 1),
            "running_totals_refresh_seconds": round(refresh_s, 1),
            "dashboard_page_seconds": round(page_s, 3),
            "page_status": status,
            "page_bytes": size,
            "figures_postgres_seconds": round(pg_s, 3),
            "figures_duckdb_seconds": round(duck_s, 3),
            "ratio_postgres_to_duckdb": round(pg_s / duck_s, 2) if duck_s else None,
            "same_figures": same(pg, dk),
            "figures_postgres_raw_sql_seconds": round(raw_s, 3),
            "raw_sql_same_figures": same(pg, raw_figures),
        }
        for key, value in result.items():
            print(f"{key:<28} {value}")
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2))
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            recreate(url, drop_only=True)


if __name__ == "__main__":
    main()
