"""Allocation engine benchmark: generated instances, optimal against greedy, honest bounds.

Run: .venv/bin/python bench/allocation_bench.py [--json results.json] [--scales county,devon]
[--repeat N]. Each row solves one generated instance (the seed in the row) with the given time
limit on all cores; with ``--repeat N`` rows with a limit under 1 s are solved N times and the
spread of solve time and proven gap is reported too (short limits depend on the machine's load).
Figures go to docs/benchmarks.md by hand, with the machine and the command.
"""

from __future__ import annotations

import argparse
import json
import time
from decimal import Decimal

from caremarket.engine.allocation import check_feasible, generate, solve

# (scale, time limit in seconds, seed): the short limits are the targets, the long ones show
# what more time buys; national runs on more than one seed.
RUNS = [
    ("county", 0.2, 1),
    ("county", 0.2, 2),
    ("county", 10.0, 1),
    ("devon", 0.2, 1),
    ("devon", 10.0, 1),
    ("region", 10.0, 1),
    ("national", 10.0, 1),
    ("national", 10.0, 2),
    ("national", 10.0, 3),
    ("national", 60.0, 1),
]


def _pct(x: Decimal | None) -> str:
    return "-" if x is None else f"{float(x):.2%}"


def run(scale: str, limit: float, seed: int, repeat: int = 1) -> dict[str, object]:
    t = time.perf_counter()
    problem = generate(scale, seed)  # type: ignore[arg-type]
    gen_s = time.perf_counter() - t
    greedy = solve(problem, "greedy")
    optimal = solve(problem, "optimal", time_limit=limit)
    # Short limits depend on the machine's load: solve again and report the spread.
    again = [optimal] + [
        solve(problem, "optimal", time_limit=limit) for _ in range(repeat - 1 if limit < 1 else 0)
    ]
    gaps = sorted(float(a.bounds.gap_proven or 0) for a in again)
    times = sorted(a.solve_seconds for a in again)
    assert check_feasible(problem, optimal) == [], "infeasible optimal result"
    assert check_feasible(problem, greedy) == [], "infeasible greedy result"
    o, g, b = optimal.totals, greedy.totals, optimal.bounds
    assert b.lp is not None and b.proven is not None
    return {
        "scale": scale,
        "seed": seed,
        "time_limit_s": limit,
        "referrals": len(problem.referrals),
        "providers": len(problem.providers),
        "capacity_rows": len(problem.capacity),
        "appointments": len(problem.eligibility),
        "generate_s": round(gen_s, 3),
        "status": optimal.status,
        "solve_s": round(optimal.solve_seconds, 3),
        "greedy_s": round(greedy.solve_seconds, 3),
        "weighted_hours": str(o.weighted_hours_placed),
        "lp_bound": str(b.lp),
        "proven_bound": str(b.proven),
        "gap_lp": _pct(b.gap_lp),
        "gap_proven": _pct(b.gap_proven),
        "greedy_weighted_hours": str(g.weighted_hours_placed),
        "greedy_gap_proven": _pct(
            (b.proven - g.weighted_hours_placed) / b.proven if b.proven else None
        ),
        "runs": len(again),
        "gap_proven_runs": f"{gaps[0]:.2%} / {gaps[len(gaps) // 2]:.2%} / {gaps[-1]:.2%}",
        "solve_s_runs": f"{times[0]:.3f} / {times[len(times) // 2]:.3f} / {times[-1]:.3f}",
        "people_placed": o.people_placed,
        "greedy_people_placed": g.people_placed,
        "hours_placed": str(o.hours_placed),
        "greedy_hours_placed": str(g.hours_placed),
        "hours_requested": str(o.hours_requested),
        "cost_per_hour": str(o.cost_per_hour),
        "greedy_cost_per_hour": str(g.cost_per_hour),
    }


COLUMNS = [
    ("scale", "scale"),
    ("seed", "seed"),
    ("time_limit_s", "limit s"),
    ("solve_s", "solve s"),
    ("status", "status"),
    ("weighted_hours", "weighted h"),
    ("lp_bound", "LP bound"),
    ("proven_bound", "proven bound"),
    ("gap_proven", "proven gap"),
    ("gap_lp", "LP gap"),
    ("greedy_weighted_hours", "greedy weighted h"),
    ("greedy_gap_proven", "greedy gap"),
    ("people_placed", "people"),
    ("greedy_people_placed", "greedy people"),
    ("hours_placed", "hours"),
    ("greedy_hours_placed", "greedy hours"),
    ("cost_per_hour", "£/h"),
    ("greedy_cost_per_hour", "greedy £/h"),
]


REPEATS = [
    ("scale", "scale"),
    ("seed", "seed"),
    ("time_limit_s", "limit s"),
    ("runs", "runs"),
    ("solve_s_runs", "solve s min / median / max"),
    ("gap_proven_runs", "proven gap min / median / max"),
]


def table(rows: list[dict[str, object]], columns: list[tuple[str, str]] = COLUMNS) -> str:
    head = "| " + " | ".join(title for _, title in columns) + " |"
    rule = "|" + "---|" * len(columns)
    body = ["| " + " | ".join(str(r[k]) for k, _ in columns) + " |" for r in rows]
    return "\n".join([head, rule, *body])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", help="also write the rows to this JSON file")
    parser.add_argument("--scales", help="comma-separated subset, e.g. county,devon")
    parser.add_argument(
        "--repeat", type=int, default=1, help="solve runs with a limit under 1 s this many times"
    )
    args = parser.parse_args()
    wanted = set(args.scales.split(",")) if args.scales else None
    rows = []
    for scale, limit, seed in RUNS:
        if wanted and scale not in wanted:
            continue
        rows.append(run(scale, limit, seed, args.repeat))
        print(f"{scale} seed {seed} (limit {limit}s): {rows[-1]['solve_s']}s", flush=True)
    print(table(rows))
    repeated = [r for r in rows if int(str(r["runs"])) > 1]
    if repeated:
        print()
        print(table(repeated, REPEATS))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
