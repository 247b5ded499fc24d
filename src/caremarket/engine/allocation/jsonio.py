"""JSON in and out, validated against the schema files shipped beside this module.

Errors name the field at fault the way a person would look for it (``referrals[12].hours``),
and every error in the file is reported at once, so a council officer fixing an export does not
have to run the command once per typo.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from caremarket.engine.allocation.model import (
    Allocation,
    Capacity,
    Eligibility,
    GuaranteedBlock,
    Prime,
    Problem,
    Provider,
    Referral,
)
from caremarket.engine.allocation.validate import validate_problem

INPUT_FORMAT = "caremarket-allocation-input/1"
OUTPUT_FORMAT = "caremarket-allocation-output/1"
MAX_ERRORS = 20


class AllocationInputError(ValueError):
    """The input is not a usable problem; ``errors`` lists each fault with its field path."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        more = f"\n(and {len(errors) - MAX_ERRORS} more)" if len(errors) > MAX_ERRORS else ""
        super().__init__("\n".join(errors[:MAX_ERRORS]) + more)


@cache
def schema(name: str = "input") -> dict[str, Any]:
    """The JSON Schema for ``input`` or ``output``, as shipped in the package."""
    text = (
        resources.files("caremarket.engine.allocation")
        .joinpath(f"schema/allocation-{name}.schema.json")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _path(parts: Any) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _schema_errors(data: Any) -> list[str]:
    out = []
    validator = Draft202012Validator(schema("input"))
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for e in errors:
        at = _path(e.absolute_path)
        if e.validator == "required":
            missing = e.message.split("'")[1]
            out.append(
                f"{at}.{missing}: is required" if e.absolute_path else f"{missing}: is required"
            )
        elif e.validator == "additionalProperties":
            out.append(f"{at}: {e.message}")
        elif "x-message" in e.schema:
            out.append(f"{at}: {e.schema['x-message']}, got {_show(e.instance)}")
        elif e.validator == "enum":
            options = ", ".join(json.dumps(o) for o in e.validator_value)
            out.append(f"{at}: must be one of {options}, got {_show(e.instance)}")
        elif e.validator == "type":
            out.append(f"{at}: must be of type {e.validator_value}, got {_show(e.instance)}")
        else:
            out.append(f"{at}: {e.message}")
    return out


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def problem_from_dict(data: Any) -> Problem:
    """Validate parsed JSON (numbers parsed as Decimal) and build a Problem, or raise."""
    errors = _schema_errors(data)
    if errors:
        raise AllocationInputError(errors)
    problem = Problem(
        referrals=tuple(
            Referral(
                id=r["id"],
                commissioner=r["commissioner"],
                zone=r["zone"],
                service_type=r["service_type"],
                hours=_dec(r["hours"]),
                urgency=r["urgency"],
                days_waiting=int(r["days_waiting"]),
                needs=frozenset(r.get("needs", ())),
                arrival=int(r.get("arrival", i)),
            )
            for i, r in enumerate(data["referrals"])
        ),
        providers=tuple(
            Provider(p["id"], _dec(p["quality"]), frozenset(p.get("capabilities", ())))
            for p in data["providers"]
        ),
        capacity=tuple(
            Capacity(c["provider"], c["zone"], c["service_type"], _dec(c["hours"]))
            for c in data["capacity"]
        ),
        blocks=tuple(
            GuaranteedBlock(c["provider"], c["zone"], c["service_type"], _dec(c["hours"]))
            for c in data.get("blocks", ())
        ),
        eligibility=tuple(
            Eligibility(
                e["provider"],
                e["commissioner"],
                e["zone"],
                e["service_type"],
                _dec(e["hourly_price"]),
            )
            for e in data["eligibility"]
        ),
        primes=tuple(
            Prime(
                lead=p["lead"],
                commissioner=p["commissioner"],
                zones=frozenset(p["zones"]),
                min_subcontract_share=_dec(p["min_subcontract_share"]),
                panel=frozenset(p["panel"]),
                hourly_price=None if p.get("hourly_price") is None else _dec(p["hourly_price"]),
            )
            for p in data.get("primes", ())
        ),
        as_of=_date(data.get("as_of")),
    )
    errors = validate_problem(problem)
    if errors:
        raise AllocationInputError(errors)
    return problem


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AllocationInputError([f'as_of: must be a real date, got "{value}"']) from None


def from_json(text: str | bytes) -> Problem:
    """Parse and validate an input document; raises AllocationInputError naming each fault."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as e:
        raise AllocationInputError(
            [f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"]
        ) from None
    return problem_from_dict(data)


def _s(d: Decimal) -> str:
    return f"{d:f}"


def problem_to_dict(p: Problem) -> dict[str, Any]:
    return {
        "format": INPUT_FORMAT,
        "as_of": p.as_of.isoformat() if p.as_of else None,
        "referrals": [
            {
                "id": r.id,
                "commissioner": r.commissioner,
                "zone": r.zone,
                "service_type": r.service_type,
                "hours": _s(r.hours),
                "urgency": r.urgency,
                "days_waiting": r.days_waiting,
                "needs": sorted(r.needs),
                "arrival": r.arrival,
            }
            for r in p.referrals
        ],
        "providers": [
            {"id": v.id, "quality": _s(v.quality), "capabilities": sorted(v.capabilities)}
            for v in p.providers
        ],
        "capacity": [
            {
                "provider": c.provider,
                "zone": c.zone,
                "service_type": c.service_type,
                "hours": _s(c.hours),
            }
            for c in p.capacity
        ],
        "blocks": [
            {
                "provider": c.provider,
                "zone": c.zone,
                "service_type": c.service_type,
                "hours": _s(c.hours),
            }
            for c in p.blocks
        ],
        "eligibility": [
            {
                "provider": e.provider,
                "commissioner": e.commissioner,
                "zone": e.zone,
                "service_type": e.service_type,
                "hourly_price": _s(e.hourly_price),
            }
            for e in p.eligibility
        ],
        "primes": [
            {
                "lead": x.lead,
                "commissioner": x.commissioner,
                "zones": sorted(x.zones),
                "min_subcontract_share": _s(x.min_subcontract_share),
                "panel": sorted(x.panel),
                "hourly_price": None if x.hourly_price is None else _s(x.hourly_price),
            }
            for x in p.primes
        ],
    }


def _opt(d: Decimal | None) -> str | None:
    return None if d is None else _s(d)


def allocation_to_dict(a: Allocation) -> dict[str, Any]:
    t, b = a.totals, a.bounds
    return {
        "format": OUTPUT_FORMAT,
        "method": a.method,
        "status": a.status,
        "message": a.message,
        "solve_seconds": round(a.solve_seconds, 4),
        "totals": {
            "referrals": t.referrals,
            "referrals_placed": t.referrals_placed,
            "people_placed": t.people_placed,
            "hours_requested": _s(t.hours_requested),
            "hours_placed": _s(t.hours_placed),
            "weighted_hours_placed": _s(t.weighted_hours_placed),
            "weekly_cost": _s(t.weekly_cost),
            "cost_per_hour": _opt(t.cost_per_hour),
        },
        "bounds": {
            "lp": _opt(b.lp),
            "proven": _opt(b.proven),
            "gap_lp": _opt(b.gap_lp),
            "gap_proven": _opt(b.gap_proven),
        },
        "assignments": [
            {
                "referral": x.referral,
                "provider": x.provider,
                "delivering_provider": x.delivering_provider,
                "hourly_price": _s(x.hourly_price),
                "block_hours": _s(x.block_hours),
                "weekly_cost": _s(x.weekly_cost),
            }
            for x in a.assignments
        ],
        "unplaced": [{"referral": u.referral, "reason": u.reason} for u in a.unplaced],
    }


def to_json(obj: Problem | Allocation, *, indent: int | None = 1) -> str:
    """A Problem as an input document or an Allocation as an output document."""
    data = problem_to_dict(obj) if isinstance(obj, Problem) else allocation_to_dict(obj)
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"
