"""The OpenAPI document and the API's reference page, readable in a browser (issue 15).

- ``/api/schema/`` answers tools as before (YAML as ``application/vnd.oai.openapi``, JSON
  with ``?format=json`` or ``Accept: application/json``), but a browser, which asks for
  ``text/html`` first, gets the same YAML as a plain, accessible HTML page instead of a
  file to download.
- ``/api/docs/`` is a GOV.UK page that lists every operation from the same document (who may
  call it, what it answers) and works without JavaScript. It replaces Swagger UI, whose
  generated page fails axe (contrast, names of controls, nested interactive elements).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularAPIView

from caremarket.core.tables import Column, Table, wants_csv

METHODS = ("get", "post", "put", "patch", "delete")


class ReadableSchemaRenderer(OpenApiYamlRenderer):
    """The YAML document inside a minimal HTML page (escaped, in a focusable ``pre``)."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        yaml = super().render(data, accepted_media_type, renderer_context).decode("utf-8")
        page = render_to_string("api/schema.html", {"yaml": yaml})
        return page.encode("utf-8")


class SchemaView(SpectacularAPIView):
    """drf-spectacular's view with the readable page as the last choice: a tool that asks
    for ``*/*`` still gets the OpenAPI media type first."""

    renderer_classes = [*SpectacularAPIView.renderer_classes, ReadableSchemaRenderer]

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(getattr(request, "accepted_renderer", None), ReadableSchemaRenderer):
            del response["Content-Disposition"]  # a page to read, not a file named .yaml
        return response


@cache
def _document() -> dict[str, Any]:
    """The document as a signed-out reader gets it; it changes only with the code, so it is
    built once a process."""
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    return generator.get_schema(request=None, public=True)  # type: ignore[no-any-return]


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per operation: where, what, who may call it and every status it answers."""
    rows = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            secured = any(s for s in operation.get("security", [{}]))
            rows.append(
                {
                    "area": ", ".join(operation.get("tags", [])),
                    "method": method.upper(),
                    "path": path,
                    "summary": _summary(operation),
                    "who": _who(operation, secured),
                    "statuses": ", ".join(sorted(operation.get("responses", {}))),
                }
            )
    return rows


def _who(operation: dict[str, Any], secured: bool) -> str:
    who = operation.get("x-who") or ("any signed-in user" if secured else "anyone")
    return "Anyone (no sign-in)" if who == "anyone" else who[:1].upper() + who[1:]


def _summary(operation: dict[str, Any]) -> str:
    text = operation.get("summary") or operation.get("description") or ""
    return text.strip().split("\n\n")[0][:300]


COLUMNS = [
    Column("path", "Path"),
    Column("method", "Method"),
    Column("area", "Area"),
    Column("summary", "What it does", sortable=False),
    Column("who", "Who may call it"),
    Column("statuses", "Statuses it answers", sortable=False),
]


def reference(request: HttpRequest) -> HttpResponse:
    document = _document()
    table = Table.from_request(
        request,
        COLUMNS,
        operations(document),
        default_sort="path",
        caption="Operations",
        empty_message="No operations.",
    )
    if wants_csv(request):
        return table.csv_response("caremarket api operations")
    table.paginate(request, per_page=50)
    return render(
        request,
        "api/reference.html",
        {"table": table, "info": document.get("info", {})},
    )
