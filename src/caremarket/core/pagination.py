"""Pages of a long list, with the GOV.UK pagination component's items (ellipses included)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

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
