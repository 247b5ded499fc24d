"""Charts as server-rendered SVG: no JavaScript, no tile server, works offline and in a PDF.

Each chart is an image with a title and a description (``role="img"``, ``aria-labelledby``)
and always sits beside its data table, which is the accessible form of the figures; the SVG
text uses the GOV.UK font stack at sizes that stay legible at 375 px. Pure functions of the
figures: the same numbers the tables show, drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

BLUE, DARK_BLUE, GREY, TEXT = "#1d70b8", "#003078", "#b1b4b6", "#0b0c0c"
FONT = 'font-family="GDS Transport, arial, sans-serif"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    second: Decimal | int | None = None  # the earlier date, for a before-and-after pair


def _number(value: Decimal | int | float) -> str:
    value = Decimal(value)
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"


def _text(x: float, y: float, content: str, size: int = 13, anchor: str = "start") -> str:
    """A label: already-escaped ``content`` in the chart's font and text colour."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" {FONT} '
        f'fill="{TEXT}">{content}</text>'
    )


def _frame(key: str, title: str, desc: str, width: int, height: int, body: str) -> SafeString:
    ident = escape(key)
    return mark_safe(  # noqa: S308  # nosec B308 B703 - every piece of text is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-title {ident}-desc" focusable="false">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def bars(
    key: str, title: str, rows: Sequence[Bar], *, unit: str = "", legend: tuple[str, str] = ("", "")
) -> SafeString:
    """Horizontal bars, one row per label; with ``second`` values, a paired lighter bar for
    the earlier date (the legend names both)."""
    width, left, row_h = 640, 150, 34 if any(r.second is not None for r in rows) else 24
    top = 30 if legend[0] else 8
    top_value = max(
        [Decimal(r.value) for r in rows] + [Decimal(r.second or 0) for r in rows] + [Decimal(1)]
    )
    span = width - left - 70
    parts = []
    if legend[0]:
        parts.append(
            f'<rect x="{left}" y="6" width="12" height="12" fill="{GREY}"/>'
            + _text(left + 18, 17, escape(legend[1]))
            + f'<rect x="{left + 160}" y="6" width="12" height="12" fill="{BLUE}"/>'
            + _text(left + 178, 17, escape(legend[0]))
        )
    y = top
    for row in rows:
        parts.append(_text(left - 8, y + 15, escape(row.label[:22]), anchor="end"))
        offset = 0
        if row.second is not None:
            w = float(Decimal(row.second) / top_value) * span
            parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="12" fill="{GREY}"/>')
            offset = 14
        w = float(Decimal(row.value) / top_value) * span
        bar_h = 12 if offset else 18
        parts.append(
            f'<rect x="{left}" y="{y + offset}" width="{w:.1f}" height="{bar_h}" fill="{BLUE}"/>'
            + _text(left + w + 6, y + offset + 11, f"{_number(row.value)}{escape(unit)}")
        )
        y += row_h
    desc = "; ".join(f"{r.label}: {_number(r.value)}{unit}" for r in rows)
    return _frame(key, title, desc or "No figures.", width, max(y + 6, 40), "".join(parts))


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, int]]
    dashed: bool = False


def lines(key: str, title: str, series: Sequence[Series]) -> SafeString:
    """A line per series over years (projections: prevalence-based and the platform's trend)."""
    width, height, left, bottom, top = 640, 260, 60, 30, 30
    years = sorted({x for s in series for x, _ in s.points})
    values = [y for s in series for _, y in s.points]
    if not years or not values:
        return _frame(key, title, "No figures.", width, 40, "")
    high = max([*values, 1])
    low_year, span_year = years[0], max(years[-1] - years[0], 1)

    def xy(year: int, value: int) -> tuple[float, float]:
        x = left + (year - low_year) / span_year * (width - left - 20)
        y = height - bottom - value / high * (height - bottom - top)
        return x, y

    base = height - bottom
    parts = [f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{TEXT}"/>']
    for year in years:
        parts.append(_text(xy(year, 0)[0], height - 10, str(year), 12, "middle"))
    parts.append(_text(left - 6, top + 4, _number(high), 12, "end"))
    colours = [BLUE, DARK_BLUE, "#d4351c", "#00703c", "#4c2c92", "#f47738"]
    for n, s in enumerate(series):
        colour = colours[n % len(colours)]
        path = " ".join(f"{xy(x, y)[0]:.1f},{xy(x, y)[1]:.1f}" for x, y in s.points)
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"{dash}/>'
        )
    legend = "".join(
        f'<text x="{left + 10 + 200 * (n % 3)}" y="{16 + 14 * (n // 3)}" font-size="12" {FONT} '
        f'fill="{TEXT}">{"- - " if s.dashed else "— "}{escape(s.label[:28])}</text>'
        for n, s in enumerate(series)
    )
    desc = "; ".join(
        f"{s.label}: " + ", ".join(f"{x} {_number(y)}" for x, y in s.points) for s in series
    )
    return _frame(key, title, desc, width, height, legend + "".join(parts))


@dataclass(frozen=True)
class Tile:
    number: int
    name: str
    people: int
    hours: Decimal


def zone_map(key: str, title: str, tiles: Sequence[Tile], columns: int = 4) -> SafeString:
    """A schematic map: one square tile per zone in zone-number order, a circle in each whose
    area is proportional to the unmet hours, with the people waiting and the hours written in.
    Drawn from the platform's own zones (no tiles, no coordinates): a cartogram, not a survey
    map, which the title says. The links to the records behind each zone are in the table
    beside it (a link inside an image is not reachable by keyboard)."""
    size, gap = 150, 8
    rows = max(math.ceil(len(tiles) / columns), 1)
    width, height = columns * (size + gap), rows * (size + gap)
    top = max([float(t.hours) for t in tiles] + [1.0])
    parts = []
    for n, tile in enumerate(tiles):
        x, y = (n % columns) * (size + gap), (n // columns) * (size + gap)
        radius = math.sqrt(float(tile.hours) / top) * (size / 2 - 30)
        inner = (
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="#f3f2f1" stroke="{GREY}"/>'
            f'<circle cx="{x + size / 2}" cy="{y + size / 2 + 6}" r="{max(radius, 2):.1f}" '
            f'fill="{BLUE}" fill-opacity="0.35" stroke="{BLUE}"/>'
            + _text(x + 8, y + 18, f"{tile.number}: {escape(tile.name[:16])}")
            + _text(x + size / 2, y + size / 2 + 4, f"{tile.people} people", 14, "middle")
            + _text(x + size / 2, y + size / 2 + 22, f"{_number(tile.hours)} hours", 13, "middle")
        )
        parts.append(inner)
    desc = "; ".join(
        f"Zone {t.number} {t.name}: {t.people} people, {_number(t.hours)} hours a week"
        for t in tiles
    )
    return _frame(key, title, desc or "No zones.", width, height, "".join(parts))
