"""What the care homes pages draw: a server-rendered SVG line chart of vacancy rates over
months (no JavaScript), always shown beside the table of the same figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
# GOV.UK colours, distinguishable and each with a dash pattern, so colour is not the only cue.
PALETTE = (
    ("#1d70b8", ""),
    ("#d4351c", "6 3"),
    ("#00703c", "2 3"),
    ("#4c2c92", "8 3 2 3"),
    ("#f47738", "4 4"),
    ("#28a197", "1 2"),
    ("#912b88", "10 2"),
    ("#505a5f", "3 6"),
    ("#0b0c0c", "12 4"),
)


def line_chart(
    months: Sequence[date], series: Mapping[str, Mapping[date, Decimal | None]]
) -> dict[str, Any]:
    """Polylines for each series (a rate, a fraction, per month) on a shared percent axis."""
    values = [float(v) for s in series.values() for v in s.values() if v is not None]
    top = max(values, default=0.0)
    ceiling = max(0.05, (int(top * 100 / 5) + 1) * 5 / 100)  # the next 5% above the highest
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(months) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h - v / ceiling * plot_h, 1)

    lines = []
    for n, (label, points) in enumerate(series.items()):
        colour, dash = PALETTE[n % len(PALETTE)]
        coords = [
            f"{x(i)},{y(float(points[m]))}"
            for i, m in enumerate(months)
            if points.get(m) is not None
        ]
        lines.append({"label": label, "points": " ".join(coords), "colour": colour, "dash": dash})
    ticks = [{"y": y(ceiling * k / 5), "label": f"{ceiling * k / 5 * 100:.0f}%"} for k in range(6)]
    month_ticks = [{"x": x(i), "label": f"{m:%b}"} for i, m in enumerate(months)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": TOP + plot_h,
        "lines": lines,
        "ticks": ticks,
        "months": month_ticks,
    }
