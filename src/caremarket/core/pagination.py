"""Pages of a long list, with the GOV.UK pagination component's items (ellipses included),
and the API's validated limit/offset paging."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from caremarket.core.bounds import MAX_OFFSET, bounded_int

DEFAULT_PER_PAGE = 25


@dataclass(frozen=True)
class PageLinks:
    page: Page[Any]
    items: list[dict[str, Any]]
    previous: int | None
    next: int | None


def paginate(request: HttpRequest, items: Any, per_page: int = DEFAULT_PER_PAGE) -> PageLinks:
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))  # clamps bad numbers, never 404s
    numbers: list[dict[str, Any]] = []
    last = paginator.num_pages
    for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            numbers.append({"ellipsis": True})
        else:
            numbers.append({"number": number, "current": number == page.number})
    return PageLinks(
        page=page,
        items=numbers if last > 1 else [],
        previous=page.previous_page_number() if page.has_previous() else None,
        next=page.next_page_number() if page.has_next() else None,
    )


# --- the API's paging (issue 15) --------------------------------------------------------------

MAX_API_LIMIT = 500


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=`` and ``?offset=``, validated: a value that is not a whole number in range is
    a 400 naming the parameter (DRF's own class ignores ``offset=null`` and passes
    ``limit=2**64`` to the database, a 500). At most ``MAX_API_LIMIT`` rows a page."""

    max_limit = MAX_API_LIMIT

    def get_limit(self, request: Request) -> int | None:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        return bounded_int(raw, self.limit_query_param, minimum=1, maximum=self.max_limit)

    def get_offset(self, request: Request) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None or raw == "":
            return 0
        return bounded_int(raw, self.offset_query_param, minimum=0, maximum=MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.limit_query_param:
                param["schema"].update({"minimum": 1, "maximum": self.max_limit})
            elif param["name"] == self.offset_query_param:
                param["schema"].update({"minimum": 0, "maximum": MAX_OFFSET})
        return params
