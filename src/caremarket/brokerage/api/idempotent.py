"""The ``Idempotency-Key`` header on the API's creating endpoints (``core.idempotency``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from caremarket.core import idempotency

IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A key of your choosing (a UUID), at most 100 characters. Sending the same "
    "request again with the same key creates nothing new and answers with what the first "
    "request made, marked `Idempotent-Replayed: true`; the same key with a different body is "
    "refused (409).",
)


def replayed(response: Response, outcome: idempotency.Outcome[Any]) -> Response:
    """Mark an answer that repeats an earlier request's result."""
    if outcome.repeated:
        response["Idempotent-Replayed"] = "true"
    return response
