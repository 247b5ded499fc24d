"""The web's mapping of a refusal that no form catches.

Selectors answer a record the user may not see with ``core.errors.NotFound`` (never someone
else's record); here it becomes Django's 404 page, as the API's error handler makes it a 404
with the message. Refusals of input (``Invalid``, ``Conflict``) are shown on the form by
``core.forms.apply_error`` and never reach this far.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from caremarket.core.errors import NotFound


class NotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
