"""Delivery: what was planned for each agreement, what was delivered, and what was paid."""

from caremarket.delivery.models.patterns import (
    PlannedPeriod,
    PlannedVisit,
    Suspension,
    VisitPattern,
)
from caremarket.delivery.models.payments import (
    LineMessage,
    PayLine,
    PaymentRule,
    PayRun,
    SupplierCode,
)
from caremarket.delivery.models.responses import ExceptionResponse, VariationRequest
from caremarket.delivery.models.shares import PaymentShare
from caremarket.delivery.models.visits import Visit

__all__ = [
    "ExceptionResponse",
    "LineMessage",
    "PayLine",
    "PayRun",
    "PaymentRule",
    "PaymentShare",
    "PlannedPeriod",
    "PlannedVisit",
    "SupplierCode",
    "Suspension",
    "VariationRequest",
    "Visit",
    "VisitPattern",
]
