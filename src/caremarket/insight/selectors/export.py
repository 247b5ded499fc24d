"""The statement's figures as plain data: the JSON output, the API and ``caremarket
statement --format json`` all write this, from the same ``Dashboard`` the page shows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from caremarket.insight.models import Sector, Statement
from caremarket.insight.selectors.dashboard import Dashboard
from caremarket.insight.selectors.projections import Projections


def _n(value: Decimal | int | None) -> str | int | None:
    """Decimals as strings (exact, as the page prints them); whole numbers as numbers."""
    if value is None or isinstance(value, int):
        return value
    return (
        format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    )


def _pct(value: Decimal | None) -> str | None:
    """A percentage as computed, to one place (``rules.percent``)."""
    return None if value is None else format(value, "f")


def figures(d: Dashboard) -> dict[str, Any]:
    homes = d.care_homes
    return {
        "commissioner": d.commissioner.slug,
        "as_of": d.as_of.isoformat(),
        "compare_with": d.compare_with.isoformat() if d.compare_with else None,
        "people_by_care_group": [
            {
                "care_group": r.code,
                "name": r.name,
                "home_based": {"then": r.home_then, "now": r.home_now, "change": r.home_change},
                "group_based": {"then": r.group_then, "now": r.group_now, "change": r.group_change},
            }
            for r in d.people
        ],
        "people_total": {
            "home_based": {
                k[5:]: v for k, v in d.people_total_row.items() if k.startswith("home_")
            },
            "group_based": {
                k[6:]: v for k, v in d.people_total_row.items() if k.startswith("group_")
            },
        },
        "zones": [
            {
                "zone": z.number,
                "name": z.name,
                "commissioned_hours": _n(z.commissioned_hours),
                "unmet_hours": _n(z.unmet_hours),
                "unmet_people": z.unmet_people,
                "share_of_demand_percent": _pct(z.share_of_demand),
            }
            for z in d.zones
        ],
        "unmet": {
            "hours": _n(d.unmet_hours),
            "people": d.unmet_people,
            "share_of_demand_percent": _pct(d.share_of_demand),
            "hours_per_worker": _n(d.hours_per_worker),
            "worker_shortfall": d.worker_shortfall,
        },
        "sourcing": {
            "placements": d.sourcing.placements,
            "median_days_to_place": _n(d.sourcing.median_days_to_place),
            "offers_sent": d.sourcing.offers_sent,
            "response_rate_percent": _pct(d.sourcing.response_rate),
            "acceptance_rate_percent": _pct(d.sourcing.acceptance_rate),
            "offers_expired": d.sourcing.offers_expired,
        },
        "care_homes": {
            "month": homes.month.isoformat() if homes and homes.month else None,
            "vacancy_rate_percent": _pct(homes.rate) if homes else None,
            "by_locality_and_specialism": [
                {
                    "zone": r.zone,
                    "bed_type": r.bed_type,
                    "capacity": r.capacity,
                    "vacant": r.vacant,
                    "rate_percent": _pct(r.rate),
                }
                for r in (homes.rows if homes else [])
            ],
            "homes_at_risk": [
                {"name": h.name, "zone": h.zone, "rate_percent": _pct(h.rate)}
                for h in (homes.at_risk if homes else [])
            ],
        },
        "supported_living": {
            "by_lot": [
                {
                    "lot": r.lot,
                    "properties": r.properties,
                    "rooms": r.rooms,
                    "available": r.available,
                }
                for r in d.living
            ],
            "residents_counted_on": d.residents_counted_on.isoformat()
            if d.residents_counted_on
            else None,
            "residents_by_group_and_band": [
                {"group": r.group, **r.by_band, "total": r.total} for r in d.residents
            ],
        },
        "day_opportunities": {
            "people": d.day_opportunities,
            "services": len(d.day_services),
            "by_operating_status": {c.status: c.services for c in d.day_status},
            "services_of_concern": [
                {
                    "provider": r.provider,
                    "lot": r.lot,
                    "zones": r.zones,
                    "status": r.status,
                    "since": r.since.isoformat() if r.since else None,
                }
                for r in d.day_services_of_concern
            ],
        },
        "replacement_care": {
            "people": d.replacement_care,
            "providers": len(d.replacement),
            "day_sitting_hours_declared": _n(d.replacement_day_hours),
            "night_sitting_nights_declared": _n(d.replacement_nights),
            "list": [
                {
                    "provider": r.provider,
                    "lot": r.lot,
                    "zones": r.zones,
                    "day_sitting_hours": _n(r.day_hours),
                    "night_sitting_nights": _n(r.nights),
                }
                for r in d.replacement
            ],
        },
        "prices": [
            {
                "lot": p.lot,
                "zone": p.zone,
                "unit": p.unit,
                "providers": p.count,
                "lowest": _n(p.lowest),
                "median": _n(p.median),
                "highest": _n(p.highest),
            }
            for p in d.prices
        ],
    }


def projections(p: Projections) -> list[dict[str, Any]]:
    return [
        {"care_group": g.code, "uses_assumptions": g.uses_assumptions, "years": g.rows()}
        for g in p.groups
    ]


def statement(s: Statement, d: Dashboard, p: Projections) -> dict[str, Any]:
    saved = s.pk is not None
    narrative = {n.sector: n.text for n in s.narratives.all()} if saved else {}
    return {
        "title": s.title,
        "status": s.status,
        "introduction": s.introduction,
        "narrative": {sector: narrative.get(sector, "") for sector in Sector.values},
        "action_plan": [
            {
                "sector": a.sector,
                "action": a.action,
                "activities": a.activities,
                "impact": a.impact,
                "timescale": a.timescale,
                "owner": a.owner,
                "status": a.status,
            }
            for a in (s.actions.all() if saved else [])
        ],
        "figures": figures(d),
        "projections": projections(p),
    }
