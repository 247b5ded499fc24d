"""Insight's tests start with no population and no statements: the demo's are removed inside
each test's transaction (rolled back after), so counts are of the test's own records."""

from __future__ import annotations

import pytest

from caremarket.insight.models import ActionPlanItem, Narrative, PopulationCount, Statement

IN_ORDER = (ActionPlanItem, Narrative, Statement, PopulationCount)


@pytest.fixture(autouse=True)
def _no_demo_insight(request: pytest.FixtureRequest) -> None:
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    for model in IN_ORDER:
        model.objects.all().delete()
