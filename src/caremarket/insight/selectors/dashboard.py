"""The market sufficiency dashboard as of a date: every figure of the statement, together.

``dashboard`` is the one place the figures are gathered: the dashboard page, the statement
page, its PDF, its JSON and ``caremarket statement`` all read this, so they cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from caremarket.core.errors import Invalid
from caremarket.insight import rules
from caremarket.insight.selectors import figures, markets, parameters_for, services_market, totals
from caremarket.insight.selectors.figures import CareGroupRow, PriceRow, Sourcing, ZoneRow
from caremarket.insight.selectors.markets import CareHomeFigures, LivingRow, ResidentsRow
from caremarket.insight.selectors.services_market import (
    DayServiceRow,
    ReplacementRow,
    StatusCount,
)
from caremarket.market.models import Commissioner

ZERO = Decimal("0")


@dataclass
class Dashboard:
    commissioner: Commissioner
    as_of: date
    compare_with: date | None
    hours_per_worker: Decimal
    hours_per_worker_source: str
    vacancy_risk_percent: Decimal
    people: list[CareGroupRow] = field(default_factory=list)
    totals_then: dict[str, int] = field(default_factory=dict)
    totals_now: dict[str, int] = field(default_factory=dict)
    zones: list[ZoneRow] = field(default_factory=list)
    sourcing: Sourcing = field(default_factory=Sourcing)
    care_homes: CareHomeFigures | None = None
    living: list[LivingRow] = field(default_factory=list)
    residents_counted_on: date | None = None
    residents: list[ResidentsRow] = field(default_factory=list)
    prices: list[PriceRow] = field(default_factory=list)
    by_service: dict[str, int] = field(default_factory=dict)
    day_services: list[DayServiceRow] = field(default_factory=list)
    replacement: list[ReplacementRow] = field(default_factory=list)

    @property
    def day_status(self) -> list[StatusCount]:
        return services_market.status_counts(self.day_services)

    @property
    def day_services_of_concern(self) -> list[DayServiceRow]:
        """The services the statement names: at risk, reduced or closed."""
        return [r for r in self.day_services if r.status in ("at_risk", "reduced", "closed")]

    @property
    def replacement_day_hours(self) -> Decimal:
        return sum((r.day_hours or ZERO for r in self.replacement), ZERO)

    @property
    def replacement_nights(self) -> Decimal:
        return sum((r.nights or ZERO for r in self.replacement), ZERO)

    @property
    def commissioned_hours(self) -> Decimal:
        return sum((z.commissioned_hours for z in self.zones), ZERO)

    @property
    def unmet_hours(self) -> Decimal:
        return sum((z.unmet_hours for z in self.zones), ZERO)

    @property
    def unmet_people(self) -> int:
        return sum(z.unmet_people for z in self.zones)

    @property
    def share_of_demand(self) -> Decimal | None:
        return rules.share_of_demand(self.unmet_hours, self.commissioned_hours)

    @property
    def worker_shortfall(self) -> int:
        return rules.worker_shortfall(self.unmet_hours, self.hours_per_worker)

    @property
    def people_total_row(self) -> dict[str, int]:
        """Distinct people across care groups (``figures.people_totals``)."""
        then, now = self.totals_then, self.totals_now
        return {
            "home_then": then.get("home", 0),
            "home_now": now.get("home", 0),
            "home_change": now.get("home", 0) - then.get("home", 0),
            "group_then": then.get("group", 0),
            "group_now": now.get("group", 0),
            "group_change": now.get("group", 0) - then.get("group", 0),
        }

    @property
    def day_opportunities(self) -> int:
        return self.by_service.get("group-day-opportunity", 0)

    @property
    def replacement_care(self) -> int:
        return self.by_service.get("replacement-care-day", 0) + self.by_service.get(
            "replacement-care-night", 0
        )


def dashboard(
    commissioner: Commissioner, as_of: date, compare_with: date | None = None
) -> Dashboard:
    """Every figure for the commissioner on ``as_of`` (and the change since
    ``compare_with``). The caller has scoped the commissioner (``commissioner_for``).
    Refuses a date before any data, so an empty statement is never published as if true."""
    message = rules.refuse_before_data(as_of, figures.earliest_record(commissioner))
    if message:
        raise Invalid(message, "as_of")
    if compare_with is not None and compare_with >= as_of:
        raise Invalid(
            "The date to compare with must be before the statement's date.", "compare_with"
        )
    params = parameters_for(commissioner)
    imported = totals.on(commissioner, [compare_with, as_of])  # one read for every figure
    residents_on, residents = markets.residents_by_group_and_band(commissioner, as_of)
    return Dashboard(
        commissioner=commissioner,
        as_of=as_of,
        compare_with=compare_with,
        hours_per_worker=params.hours_per_worker,
        hours_per_worker_source=params.hours_per_worker_source,
        vacancy_risk_percent=params.vacancy_risk_percent,
        people=figures.people_by_care_group(commissioner, compare_with, as_of, imported),
        totals_then=figures.people_totals(commissioner, compare_with, imported),
        totals_now=figures.people_totals(commissioner, as_of, imported),
        zones=figures.zones(commissioner, as_of, imported),
        sourcing=figures.sourcing(commissioner, as_of),
        care_homes=markets.care_homes(commissioner, as_of, params.vacancy_risk_percent),
        living=markets.supported_living(commissioner, as_of),
        residents_counted_on=residents_on,
        residents=residents,
        prices=figures.price_spread(commissioner, as_of),
        by_service=figures.packages_by_service(commissioner, as_of, imported),
        day_services=services_market.day_services(commissioner, as_of),
        replacement=services_market.replacement_care(commissioner, as_of),
    )
