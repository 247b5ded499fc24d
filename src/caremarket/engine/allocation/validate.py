"""Semantic checks on a Problem, reported with the same field paths as the JSON input.

The JSON Schema catches shapes and types; these checks catch what a schema cannot: values that
must be positive, references to providers that do not exist, and rows whose meaning would be
ambiguous (two prices for one appointment, two primes for one zone). ``solve`` refuses a problem
with any of them, because a silently "best" guess about what the council meant is worse than a
clear error.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from caremarket.engine.allocation.model import URGENCY_BASE, Capacity, GuaranteedBlock, Problem


def _dec(value: object) -> str:
    return f'"{value}"'


def _positive(value: Decimal) -> bool:
    return value.is_finite() and value > 0


def _non_negative(value: Decimal) -> bool:
    return value.is_finite() and value >= 0


def validate_problem(problem: Problem) -> list[str]:
    """Every problem with the input, each prefixed by its field path; empty when usable."""
    errors: list[str] = []
    provider_ids = {p.id for p in problem.providers}

    seen: set[str] = set()
    for i, r in enumerate(problem.referrals):
        at = f"referrals[{i}]"
        if r.id in seen:
            errors.append(f"{at}.id: duplicate referral id {r.id!r}")
        seen.add(r.id)
        if not _positive(r.hours):
            errors.append(f"{at}.hours: must be a positive decimal, got {_dec(r.hours)}")
        if r.urgency not in URGENCY_BASE:
            errors.append(f"{at}.urgency: must be one of {sorted(URGENCY_BASE)}, got {r.urgency!r}")
        if r.days_waiting < 0:
            errors.append(f"{at}.days_waiting: must be zero or more, got {r.days_waiting}")

    seen = set()
    for i, p in enumerate(problem.providers):
        at = f"providers[{i}]"
        if p.id in seen:
            errors.append(f"{at}.id: duplicate provider id {p.id!r}")
        seen.add(p.id)
        if not (p.quality.is_finite() and 0 <= p.quality <= 100):
            errors.append(f"{at}.quality: must be a decimal from 0 to 100, got {_dec(p.quality)}")

    hour_rows: list[tuple[str, Sequence[Capacity | GuaranteedBlock]]] = [
        ("capacity", problem.capacity),
        ("blocks", problem.blocks),
    ]
    for name, rows in hour_rows:
        for i, c in enumerate(rows):
            at = f"{name}[{i}]"
            if c.provider not in provider_ids:
                errors.append(f"{at}.provider: unknown provider {c.provider!r}")
            if not _non_negative(c.hours):
                errors.append(f"{at}.hours: must be a decimal of zero or more, got {_dec(c.hours)}")

    appointed: set[tuple[str, str, str, str]] = set()
    for i, e in enumerate(problem.eligibility):
        at = f"eligibility[{i}]"
        if e.provider not in provider_ids:
            errors.append(f"{at}.provider: unknown provider {e.provider!r}")
        if not _non_negative(e.hourly_price):
            errors.append(
                f"{at}.hourly_price: must be a decimal of zero or more, got {_dec(e.hourly_price)}"
            )
        key = (e.provider, e.commissioner, e.zone, e.service_type)
        if key in appointed:
            errors.append(
                f"{at}: a second price for the same provider, commissioner, zone, service"
            )
        appointed.add(key)

    prime_zone: dict[tuple[str, str], int] = {}
    for i, pr in enumerate(problem.primes):
        at = f"primes[{i}]"
        if pr.lead not in provider_ids:
            errors.append(f"{at}.lead: unknown provider {pr.lead!r}")
        for member in sorted(pr.panel - provider_ids):
            errors.append(f"{at}.panel: unknown provider {member!r}")
        share = pr.min_subcontract_share
        if not (share.is_finite() and 0 <= share <= 1):
            errors.append(
                f"{at}.min_subcontract_share: must be a decimal from 0 to 1, got {_dec(share)}"
            )
        if pr.hourly_price is not None and not _non_negative(pr.hourly_price):
            errors.append(
                f"{at}.hourly_price: must be a decimal of zero or more, got {_dec(pr.hourly_price)}"
            )
        for zone in sorted(pr.zones):
            other = prime_zone.setdefault((pr.commissioner, zone), i)
            if other != i:
                errors.append(f"{at}.zones: zone {zone!r} already has a prime (primes[{other}])")
    return errors
