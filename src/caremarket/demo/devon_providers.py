"""How a Devon provider is appointed and priced: the parts every Devon framework shares.

Each of Devon's frameworks in the demo appoints providers to some zones at a price per zone,
with the rural zones dearer, and some prices revised or scheduled. Kept in one place so that
Supporting Independence, Living Well at Home and the replacement care list price alike, and
so that ``devon.py`` and ``devon_living_well.py`` need not import each other.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caremarket.demo.factory import Factory
from caremarket.frameworks.models import Appointment, Lot
from caremarket.market.models import Zone

# The rural uplift per hour in zones 1, 2, 3, 7 and 8 (an assumption, docs/demo-data.md);
# three times this a session.
RURAL_UPLIFT = {
    1: Decimal("1.40"),
    2: Decimal("1.10"),
    3: Decimal("0.60"),
    7: Decimal("0.90"),
    8: Decimal("1.60"),
}


def appoint_with_prices(
    f: Factory,
    provider: object,
    lot: Lot,
    chosen: list[Zone],
    entry_dates: list[date],
    *,
    unit: str,
    low: float,
    high: float,
    year: int,
) -> Appointment:
    appointed_on = f.rng.choice(entry_dates)
    appointment = f.appoint(provider, lot, chosen, appointed_on=appointed_on)  # type: ignore[arg-type]
    base = f.money(low, high)
    revised = f.rng.random() < 0.4
    scheduled = f.rng.random() < 0.12
    for zone in chosen:
        amount = base + RURAL_UPLIFT.get(zone.number, Decimal("0")) * (
            Decimal("3") if unit == "session" else Decimal("1")
        )
        f.price(appointment, zone, unit, amount, appointed_on)
        if revised and appointed_on < date(year, 4, 1):
            # The last re-opening let providers revise prices (seed 003: "allow market price
            # revision"), from 1 April.
            f.price(appointment, zone, unit, amount * Decimal("1.045"), date(year, 4, 1))
        if scheduled:
            f.price(appointment, zone, unit, amount * Decimal("1.06"), date(year + 1, 4, 1))
    return appointment


def district(zone: Zone) -> str:
    """The zone's first postcode district, where a provider based there has its office."""
    return zone.postcode_areas.order_by("code").first().code.split(" ")[0]
