"""Delivery's tests start from a market with no delivery records: the demo's visits, plans,
payment rules and pay runs are removed inside each test's transaction (rolled back after), so
a test's counts are of its own records only."""

from __future__ import annotations

import pytest

from caremarket.delivery.models import (
    ExceptionResponse,
    LineMessage,
    PayLine,
    PaymentRule,
    PaymentShare,
    PayRun,
    PlannedVisit,
    SupplierCode,
    Suspension,
    VariationRequest,
    Visit,
    VisitPattern,
)

IN_ORDER = (
    PaymentShare,
    LineMessage,
    ExceptionResponse,
    VariationRequest,
    Visit,
    PayLine,
    PayRun,
    PlannedVisit,
    Suspension,
    VisitPattern,
    PaymentRule,
    SupplierCode,
)


@pytest.fixture(autouse=True)
def _no_demo_delivery(request: pytest.FixtureRequest) -> None:
    if not {"db", "transactional_db"} & set(
        request.fixturenames
    ) and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    for model in IN_ORDER:
        model.objects.all().delete()
