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

from caremarket.api import who
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


# --- the statuses every operation may answer, in the OpenAPI document (issue 15) -------------

ERROR_SCHEMA = {
    "type": "object",
    "description": 'A refusal: {"detail": message} (with "field" when one field is at fault) '
    "or {field: [messages]} for input with several fields at fault.",
    "properties": {"detail": {"type": "string"}, "field": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "Input refused: the body names each field at fault.",
    "401": "No valid token or session (or the token has expired).",
    "403": "Your role may not do this.",
    "404": "Nothing with that id that you may see (someone else's record is not found).",
    "409": "The record has moved on (already answered, awarded or closed).",
    "429": "Too many requests with this token: wait for Retry-After seconds.",
}


def document_error_statuses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS``): every operation lists
    the 4xx statuses it can answer, each with the JSON error body, so a client (and
    schemathesis) can rely on the document. Open endpoints (no security) list only 400/404.
    Each operation also says who may call it (``who.annotate``)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    who.annotate(result, kwargs.get("generator"))
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            secured = any(s for s in operation.get("security", [{}]))
            codes = ["400", "404"] + (["401", "403", "429"] if secured else [])
            if method != "get":
                codes.append("409")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": ERRORS[code], "content": ref})
    return result
