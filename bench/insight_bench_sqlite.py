"""The market sufficiency benchmark on SQLite (``insight_bench.py --sqlite FILE``): the same
rows as the PostgreSQL run, the running totals rebuilt as an import does, then the dashboard
page and the statement's figures timed. There is no DuckDB side here: the comparison the
issue asks for is PostgreSQL's, in ``insight_bench.py``."""

# ruff: noqa: S608 - the SQL here is built from integer ids and constants only
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import _scratch as scratch
from insight_bench import best, postgres_figures, render_dashboard


def build_sqlite(packages: int, awaiting: int) -> tuple[Any, float, float]:
    """The same rows as ``build``, written on SQLite (a recursive series, CASE for arrays)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from caremarket.insight.services import summary
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

    def pick(values: list[int], expr: str) -> str:
        whens = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(values))
        return f"(CASE ({expr}) % {len(values)} {whens} END)"

    start = "date('2016-01-01', '+' || ((n * 7919) % 3650) || ' days')"
    with connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO insight_packageinplace (commissioner_id, reference, person_reference,
                care_group_id, service_type_id, setting, zone_id, hours_per_week, band,
                start_date, end_date)
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {packages})
            SELECT {county.pk}, 'PK' || n, 'P' || (n % 600000), {pick(groups, "n")},
                CASE WHEN n % 5 = 0 THEN {group} ELSE {home} END,
                CASE WHEN n % 5 = 0 THEN 'group' ELSE 'home' END,
                {pick(zones, "n / 7")}, 1 + n % 20, '', {start},
                CASE WHEN n % 3 = 0 THEN NULL
                     ELSE date({start}, '+' || (n % 700) || ' days') END
            FROM s""")
        since = "date('2024-01-01', '+' || (n % 900) || ' days')"
        cur.execute(f"""
            INSERT INTO insight_awaitingcarerecord (commissioner_id, reference, person_reference,
                zone_id, care_group_id, service_type_id, hours_per_week, awaiting_since,
                resolved_on)
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {awaiting})
            SELECT {county.pk}, 'AW' || n, 'W' || (n % 90000), {pick(zones, "n / 3")},
                {pick(groups, "n")}, {care}, 1 + n % 25, {since},
                CASE WHEN n % 4 = 0 THEN NULL ELSE date({since}, '+' || (n % 200) || ' days') END
            FROM s""")
        cur.execute("ANALYZE")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        summary.refresh(county.pk)
    return county, loaded, time.perf_counter() - started


def main_sqlite(path: str, args: Any) -> None:
    """``--sqlite FILE``: the dashboard and figures on SQLite (no DuckDB side)."""
    Path(path).unlink(missing_ok=True)
    scratch.django(f"sqlite:///{Path(path).resolve()}", **scratch.PAGES)
    try:
        county, load_s, refresh_s = build_sqlite(args.packages, args.awaiting)
        render_dashboard()
        page_s, (status, _size) = best(render_dashboard, args.repeats)
        figures_s, _ = best(lambda: postgres_figures(county), args.repeats)
        result = {
            "database": "sqlite",
            "packages": args.packages,
            "awaiting": args.awaiting,
            "load_seconds": round(load_s, 1),
            "running_totals_refresh_seconds": round(refresh_s, 1),
            "dashboard_page_seconds": round(page_s, 3),
            "page_status": status,
            "figures_seconds": round(figures_s, 3),
        }
        for key, value in result.items():
            print(f"{key:<32} {value}")
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2))
    finally:
        if not args.keep:
            Path(path).unlink(missing_ok=True)
