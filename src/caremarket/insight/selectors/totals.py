"""The imported records' figures on a day, read from their running totals
(``models.summary``): one indexed read of a few thousand rows, whatever the history's size.

``on(commissioner, days)`` sums each figure's changes up to each day in one query (a
conditional sum per day); ``services.summary`` keeps the totals current, and the
tests check them against counts over the records themselves.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from caremarket.insight.models import FigureChange
from caremarket.market.models import Commissioner

Key = tuple[str, int, str]


Figures = dict[Key, Decimal]


def on(commissioner: Commissioner, days: list[date | None]) -> dict[date, Figures]:
    """For each day, (measure, item, setting) -> the figure that day (zero ones left out)."""
    days = sorted({d for d in days if d is not None})
    if not days:
        return {}
    sums = {
        f"d{i}": Coalesce(
            Sum("delta", filter=Q(day__lte=day)),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
        for i, day in enumerate(days)
    }
    rows = (
        FigureChange.objects.filter(commissioner=commissioner, day__lte=max(days))
        .values("measure", "item", "setting")
        .annotate(**sums)
        .order_by()
    )
    out: dict[date, Figures] = {day: {} for day in days}
    for r in rows:
        key = (r["measure"], r["item"], r["setting"])
        for i, day in enumerate(days):
            value = Decimal(str(r[f"d{i}"]))
            if value:
                out[day][key] = value
    return out


def day(commissioner: Commissioner, on_day: date, known: dict[date, Figures] | None) -> Figures:
    """One day's figures: from ``known`` (read once for a whole dashboard) or read now."""
    if known is not None and on_day in known:
        return known[on_day]
    return on(commissioner, [on_day]).get(on_day, {})
