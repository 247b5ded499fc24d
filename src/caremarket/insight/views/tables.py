"""The dashboard's tables and charts, built once from a ``Dashboard``: the page, the
statement and each table's CSV download all come from these definitions, and every count
links to the records behind it."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from caremarket.core.tables import Column, Table
from caremarket.insight import charts, rules
from caremarket.insight.selectors.dashboard import Dashboard
from caremarket.insight.selectors.markets import BANDS
from caremarket.insight.selectors.projections import Projections
from caremarket.insight.views import market_tables


def _url(name: str, **query: Any) -> str:
    return f"{reverse(name)}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"


def _packages(code: str, setting: str, on: date | None, slug: str) -> str | None:
    if on is None or code == "TOTAL":
        return None
    return _url("insight:packages", care_group=code, setting=setting, as_of=on, commissioner=slug)


def people_table(d: Dashboard) -> Table:
    then, now, slug = d.compare_with, d.as_of, d.commissioner.slug
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "home_then": r.home_then,
            "home_now": r.home_now,
            "home_change": r.home_change,
            "group_then": r.group_then,
            "group_now": r.group_now,
            "group_change": r.group_change,
        }
        for r in d.people
    ]
    rows.append({"code": "TOTAL", "name": "Total (distinct people)", **d.people_total_row})
    then_label = f"{then:%-d %b %Y}" if then else "earlier"
    cols = [Column("code", "Care group")]
    if then:
        cols.append(
            Column(
                "home_then",
                f"Home-based {then_label}",
                numeric=True,
                link=lambda r: _packages(r["code"], "home", then, slug),
            )
        )
    cols.append(
        Column(
            "home_now",
            f"Home-based {now:%-d %b %Y}",
            numeric=True,
            link=lambda r: _packages(r["code"], "home", now, slug),
        )
    )
    if then:
        cols += [
            Column("home_change", "Change", numeric=True),
            Column(
                "group_then",
                f"Group-based {then_label}",
                numeric=True,
                link=lambda r: _packages(r["code"], "group", then, slug),
            ),
        ]
    cols.append(
        Column(
            "group_now",
            f"Group-based {now:%-d %b %Y}",
            numeric=True,
            link=lambda r: _packages(r["code"], "group", now, slug),
        )
    )
    if then:
        cols.append(Column("group_change", "Change", numeric=True))
    return Table.fixed(cols, rows, caption="People supported by care group")


def zones_table(d: Dashboard) -> Table:
    slug, on = d.commissioner.slug, d.as_of
    label = d.commissioner.zone_label.capitalize()
    rows = [
        {
            "zone": z.number,
            "name": z.name,
            "commissioned": z.commissioned_hours,
            "unmet": z.unmet_hours,
            "people": z.unmet_people,
            "share": z.share_of_demand,
        }
        for z in d.zones
    ]
    rows.append(
        {
            "zone": "Total",
            "name": "",
            "commissioned": d.commissioned_hours,
            "unmet": d.unmet_hours,
            "people": d.unmet_people,
            "share": d.share_of_demand,
        }
    )

    def waiting(r: dict[str, Any]) -> str | None:
        zone = r["zone"] if isinstance(r["zone"], int) else None
        return _url("insight:awaiting", zone=zone, as_of=on, commissioner=slug)

    return Table.fixed(
        [
            Column("zone", label),
            Column("name", "Area"),
            Column(
                "commissioned",
                "Commissioned hours a week",
                numeric=True,
                format="hours",
                link=lambda r: _url(
                    "insight:packages",
                    zone=r["zone"] if isinstance(r["zone"], int) else None,
                    as_of=on,
                    commissioner=slug,
                ),
            ),
            Column("unmet", "Unmet hours a week", numeric=True, format="hours", link=waiting),
            Column("people", "People waiting", numeric=True, link=waiting),
            Column("share", "Unmet as % of demand", numeric=True, format="percent"),
        ],
        rows,
        caption=f"Commissioned hours and unmet need by {d.commissioner.zone_label}",
    )


def vacancy_table(d: Dashboard) -> Table:
    rows = d.care_homes.rows if d.care_homes else []
    return Table.fixed(
        [
            Column("zone", "Locality", get=lambda r: f"{r.zone}: {r.zone_name}"),
            Column("label", "Specialism"),
            Column("homes", "Homes", numeric=True),
            Column("capacity", "Beds", numeric=True),
            Column("vacant", "Vacant", numeric=True),
            Column("rate", "Vacancy rate", numeric=True, format="percent"),
        ],
        rows,
        caption="Care home vacancy rates by locality and specialism",
        empty_message="No care home has made a return for this month or before.",
    )


def risk_table(d: Dashboard) -> Table:
    rows = d.care_homes.at_risk if d.care_homes else []
    return Table.fixed(
        [
            Column("name", "Care home"),
            Column("zone", "Locality", numeric=True),
            Column("capacity", "Beds", numeric=True),
            Column("occupied", "Occupied", numeric=True),
            Column("rate", "Vacancy rate", numeric=True, format="percent"),
        ],
        rows,
        caption=f"Homes at risk (vacancies above {d.vacancy_risk_percent}%)",
        empty_message="No home's vacancies are above the threshold.",
    )


def living_table(d: Dashboard) -> Table:
    return Table.fixed(
        [
            Column("lot", "Lot"),
            Column("properties", "Properties", numeric=True),
            Column("rooms", "Rooms", numeric=True),
            Column("available", "Available rooms", numeric=True),
        ],
        d.living,
        caption="Supported living properties, rooms and available rooms by lot",
        empty_message="No supported living properties are recorded.",
    )


def residents_table(d: Dashboard) -> Table:
    rows = [
        {"group": r.group, **{b: r.by_band.get(b, 0) for b, _ in BANDS}, "total": r.total}
        for r in d.residents
    ]
    if rows:
        rows.append(
            {
                "group": "Total",
                **{b: sum(r[b] for r in rows) for b, _ in BANDS},
                "total": sum(r["total"] for r in rows),
            }
        )
    return Table.fixed(
        [
            Column("group", "Group"),
            *[Column(b, label, numeric=True) for b, label in BANDS],
            Column("total", "Total", numeric=True),
        ],
        rows,
        caption="Supported living residents by group and band",
        empty_message="No residents census is recorded.",
    )


def prices_table(d: Dashboard) -> Table:
    return Table.fixed(
        [
            Column("lot", "Lot"),
            Column("zone", "Zone", numeric=True),
            Column("unit", "Per"),
            Column("count", "Providers", numeric=True),
            Column("lowest", "Lowest", numeric=True, format="money"),
            Column("median", "Median", numeric=True, format="money"),
            Column("highest", "Highest", numeric=True, format="money"),
        ],
        d.prices,
        caption="Price spread by lot and zone",
        empty_message="No provider prices are in force on this date.",
    )


TABLES = {
    **market_tables.TABLES,
    "people": people_table,
    "zones": zones_table,
    "vacancies": vacancy_table,
    "risk": risk_table,
    "living": living_table,
    "residents": residents_table,
    "prices": prices_table,
}


def tables(d: Dashboard) -> dict[str, Table]:
    return {key: build(d) for key, build in TABLES.items()}


def csv_links(d: Dashboard) -> dict[str, str]:
    """Each table's CSV: the dashboard's download for the same commissioner and dates."""
    return {
        key: _url(
            "insight:dashboard",
            as_of=d.as_of,
            compare_with=d.compare_with,
            commissioner=d.commissioner.slug,
            format="csv",
            table=key,
        )
        for key in TABLES
    }


def chart_set(d: Dashboard) -> dict[str, Any]:
    label = d.commissioner.zone_label.capitalize()
    return {
        "people": charts.bars(
            "chart-people",
            "People supported by care group (home- and group-based)",
            [
                charts.Bar(
                    r.code,
                    r.home_now + r.group_now,
                    (r.home_then + r.group_then) if d.compare_with else None,
                )
                for r in d.people
            ],
            legend=(f"{d.as_of:%-d %b %Y}", f"{d.compare_with:%-d %b %Y}")
            if d.compare_with
            else ("", ""),
        ),
        "commissioned": charts.bars(
            "chart-commissioned",
            f"Commissioned hours a week by {d.commissioner.zone_label}",
            [charts.Bar(f"{label} {z.number}", z.commissioned_hours) for z in d.zones],
        ),
        "unmet": charts.bars(
            "chart-unmet",
            f"Unmet hours a week by {d.commissioner.zone_label}",
            [charts.Bar(f"{label} {z.number}", z.unmet_hours) for z in d.zones],
        ),
        "map": charts.zone_map(
            "chart-map",
            f"Schematic map of people awaiting care and unmet hours by {d.commissioner.zone_label}",
            [charts.Tile(z.number, z.name, z.unmet_people, z.unmet_hours) for z in d.zones],
        ),
        "day_status": market_tables.status_chart(d),
        "vacancies": charts.bars(
            "chart-vacancies",
            "Care home vacancy rate by locality (%)",
            _vacancy_by_zone(d),
            unit="%",
        ),
    }


def _vacancy_by_zone(d: Dashboard) -> list[charts.Bar]:
    if not d.care_homes:
        return []
    by_zone: dict[int, list[int]] = {}
    for r in d.care_homes.rows:
        pair = by_zone.setdefault(r.zone, [0, 0])
        pair[0] += r.capacity
        pair[1] += r.vacant
    return [
        charts.Bar(f"Locality {z}", rules.percent(v, c) or 0)
        for z, (c, v) in sorted(by_zone.items())
    ]


def projection_table(p: Projections, years: int) -> Table:
    rows = []
    for g in p.groups:
        for row in g.rows():
            if row["year"] <= p.base_year + years:
                rows.append(
                    {
                        "group": g.code,
                        **row,
                        "basis": "assumed rates" if g.uses_assumptions else "stated rates",
                    }
                )
    return Table.fixed(
        [
            Column("group", "Care group"),
            Column("year", "Year", numeric=True),
            Column("prevalence", "Projected by prevalence", numeric=True),
            Column("population_year", "Population year used", numeric=True),
            Column("trend", "Platform trend", numeric=True),
            Column("basis", "Rates"),
        ],
        rows,
        caption=f"Projected people with each need over {years} years",
        empty_message="Import population and enter prevalence rates to project demand.",
    )


def projection_chart(p: Projections, years: int) -> Any:
    series = []
    last = p.base_year + years
    for g in p.groups:
        if g.prevalence:
            series.append(
                charts.Series(
                    f"{g.code} by prevalence",
                    [(x.year, x.people) for x in g.prevalence if x.year <= last],
                )
            )
        if g.trend:
            series.append(
                charts.Series(
                    f"{g.code} platform trend",
                    [(t.year, t.people) for t in g.trend if t.year <= last],
                    True,
                )
            )
    return charts.lines(f"chart-projection-{years}", f"Projected demand over {years} years", series)
