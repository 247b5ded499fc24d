"""Tables a user sees, sortable without JavaScript and exportable as CSV.

A view builds a Table from rows and columns once; the same definition renders the HTML
(sort links in the headers, per the GOV.UK table pattern) and the CSV download, so what a
commissioner exports is exactly what they were looking at.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

from caremarket.core.pagination import PageLinks, paginate

Getter = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    get: Getter | None = None
    numeric: bool = False
    sortable: bool = True
    format: str = "text"  # text | money | hours | date | percent | link
    link: Getter | None = None

    def value(self, row: Any) -> Any:
        if self.get is not None:
            return self.get(row)
        if isinstance(row, dict):
            return row.get(self.key)
        return getattr(row, self.key, None)


@dataclass
class Table:
    columns: Sequence[Column]
    rows: list[Any]
    caption: str = ""
    sort: str = ""
    descending: bool = False
    empty_message: str = "Nothing to show."
    pages: PageLinks | None = None

    @classmethod
    def from_request(
        cls,
        request: HttpRequest,
        columns: Sequence[Column],
        rows: Iterable[Any],
        *,
        default_sort: str = "",
        caption: str = "",
        empty_message: str = "Nothing to show.",
        default_descending: bool = False,
    ) -> Table:
        keys = {c.key for c in columns if c.sortable}
        sort = request.GET.get("sort", default_sort)
        if sort not in keys:
            sort = default_sort if default_sort in keys else ""
        order = request.GET.get("order") or ("desc" if default_descending else "asc")
        descending = order == "desc"
        table = cls(columns, list(rows), caption, sort, descending, empty_message)
        table._sort()
        return table

    @classmethod
    def fixed(
        cls,
        columns: Sequence[Column],
        rows: Iterable[Any],
        *,
        caption: str = "",
        empty_message: str = "Nothing to show.",
    ) -> Table:
        """A table shown in the order given, with no sort links."""
        return cls(
            [replace(c, sortable=False) for c in columns],
            list(rows),
            caption,
            empty_message=empty_message,
        )

    def _sort(self) -> None:
        if not self.sort:
            return
        column = next(c for c in self.columns if c.key == self.sort)

        def key(row: Any) -> tuple[int, Any]:
            value = column.value(row)
            # Empty values sort last whichever way the table is ordered.
            if value is None or value == "":
                return (1, "")
            if isinstance(value, str):
                return (0, value.casefold())
            return (0, value)

        present = [r for r in self.rows if key(r)[0] == 0]
        missing = [r for r in self.rows if key(r)[0] == 1]
        present.sort(key=key, reverse=self.descending)
        self.rows = present + missing

    def _cells(self, rows: Iterable[Any]) -> list[list[dict[str, Any]]]:
        return [
            [
                {
                    "value": c.value(row),
                    "format": c.format,
                    "numeric": c.numeric,
                    "href": c.link(row) if c.link else None,
                }
                for c in self.columns
            ]
            for row in rows
        ]

    def paginate(self, request: HttpRequest, per_page: int = 50) -> Table:
        """Show one page of the sorted rows; the CSV download still has every row."""
        self.pages = paginate(request, self.rows, per_page)
        return self

    @property
    def visible_cells(self) -> list[list[dict[str, Any]]]:
        """Cells for the rows on show only: a long list costs one page of work to draw."""
        return self._cells(self.pages.page.object_list if self.pages else self.rows)

    def headers(self) -> list[dict[str, Any]]:
        out = []
        for c in self.columns:
            active = c.key == self.sort
            next_order = "asc" if active and self.descending else "desc" if active else "asc"
            aria = ("descending" if self.descending else "ascending") if active else "none"
            out.append(
                {
                    "key": c.key,
                    "label": c.label,
                    "numeric": c.numeric,
                    "sortable": c.sortable,
                    "active": active,
                    "next_order": next_order,
                    "aria_sort": aria,
                }
            )
        return out

    def csv_response(self, filename: str) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
        writer = csv.writer(response)
        writer.writerow([c.label for c in self.columns])
        for row in self.rows:
            writer.writerow([_csv_value(c.value(row)) for c in self.columns])
        return response


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # Spreadsheets execute cells that start like formulas; neutralise them (CSV injection).
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"
