"""A statement with its figures: the dashboard as of the statement's date, projections,
narrative and action plan, by sector. The page, the PDF and the JSON are made from this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caremarket.insight.models import ActionPlanItem, Sector, Statement
from caremarket.insight.selectors import export
from caremarket.insight.selectors.dashboard import Dashboard, dashboard
from caremarket.insight.selectors.projections import Projections, projections


@dataclass
class StatementPage:
    statement: Statement
    d: Dashboard
    p: Projections
    narrative: dict[str, str]
    actions: dict[str, list[ActionPlanItem]]

    def as_json(self) -> dict[str, Any]:
        return export.statement(self.statement, self.d, self.p)


def build(statement: Statement) -> StatementPage:
    d = dashboard(statement.commissioner, statement.as_of, statement.compare_with)
    p = projections(statement.commissioner, statement.as_of, years=10)
    saved = statement.pk is not None  # the command may ask for figures with no statement
    narrative = {n.sector: n.text for n in statement.narratives.all()} if saved else {}
    actions: dict[str, list[ActionPlanItem]] = {s: [] for s in Sector.values}
    for item in statement.actions.all() if saved else []:
        actions[item.sector].append(item)
    return StatementPage(statement, d, p, narrative, actions)
