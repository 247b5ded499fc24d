"""The API's one mapping of errors: 4xx with a message a developer can act on, never a 500
for bad input.

A service's refusal (``core.errors``) answers with its own status. Input with several fields
at fault answers ``{field: message, ...}`` (the shape DRF uses for a serializer's errors);
one message answers ``{"detail": message, "field": field}``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from caremarket.core.errors import CaremarketError, Invalid
from caremarket.engine.postcodes import InvalidPostcode


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Invalid) and exc.field_errors:
        return Response(exc.field_errors, status=exc.status)
    if isinstance(exc, CaremarketError):
        body = {"detail": exc.message, **({"field": exc.field} if exc.field else {})}
        return Response(body, status=exc.status)
    if isinstance(exc, InvalidPostcode):
        return Response(
            {"detail": str(exc), "field": "postcode"}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
