"""``caremarket allocate``: solve an input file, or generate an instance to solve.

Exit codes: 0 done (whatever the status, which is in the output), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from caremarket.engine.allocation.generator import generate
from caremarket.engine.allocation.jsonio import AllocationInputError, from_json, to_json
from caremarket.engine.allocation.solve import solve


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="caremarket allocate",
        description="Place open referrals with providers (or generate an instance to try).",
    )
    p.add_argument("input", nargs="?", help="input JSON (see docs/allocation.md)")
    p.add_argument("-o", "--output", required=True, help="where to write the JSON result")
    p.add_argument("--method", choices=("optimal", "greedy"), default="optimal")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    p.add_argument("--mip-gap", type=float, default=1e-4, help="relative gap (default 1e-4)")
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    p.add_argument(
        "--generate",
        choices=("county", "region", "national", "devon"),
        help="write a generated instance instead of solving",
    )
    p.add_argument("--seed", type=int, default=1, help="seed for --generate (default 1)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    out = Path(args.output)
    if args.generate:
        if args.input:
            parser.error("give either INPUT or --generate, not both")
        out.write_text(to_json(generate(args.generate, args.seed)), encoding="utf-8")
        print(f"wrote a {args.generate} instance (seed {args.seed}) to {out}")
        return 0
    if not args.input:
        parser.error("INPUT is required unless --generate is given")
    try:
        problem = from_json(Path(args.input).read_bytes())
    except OSError as e:
        print(f"{args.input}: {e.strerror}", file=sys.stderr)
        return 2
    except AllocationInputError as e:
        print(f"{args.input}: the input is not valid:\n{e}", file=sys.stderr)
        return 2
    result = solve(
        problem,
        args.method,
        time_limit=args.time_limit,
        mip_gap=args.mip_gap,
        workers=args.workers,
    )
    out.write_text(to_json(result), encoding="utf-8")
    t = result.totals
    print(
        f"{result.status}: {result.message or 'done'}; "
        f"{t.referrals_placed}/{t.referrals} placed, {t.hours_placed} hours, "
        f"GBP {t.weekly_cost} a week, in {result.solve_seconds:.2f} s -> {out}"
    )
    return 0
