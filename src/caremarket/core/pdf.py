"""PDFs from the same templates as the pages (WeasyPrint), so a remittance, an outcome
letter or a statement says on paper exactly what it says on screen.

The template is rendered with ``pdf=True`` in its context (a template may leave out its
navigation and forms) and ``core/pdf.css`` is applied: A4, page numbers in the footer, table
headers repeated on each page and rows never split. WeasyPrint writes a tagged PDF (PDF/UA)
where asked, so the PDF carries its headings and tables to a screen reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def pdf_document(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> Any:
    """The laid-out document (WeasyPrint's), for tests and for page counts."""
    from weasyprint import CSS, HTML  # imported here: loading Pango costs ~0.3 s at start-up

    html = render_to_string(template_name, {**context, "pdf": True}, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    stylesheet = finders.find("caremarket/pdf.css")
    styles = [CSS(filename=stylesheet)] if stylesheet else []
    return HTML(string=html, base_url=base_url, url_fetcher=_local_only()).render(
        stylesheets=styles, pdf_variant="pdf/ua-1"
    )


def pdf_bytes(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> bytes:
    """The PDF of a template. ``request`` (when there is one) resolves relative links."""
    data: bytes = pdf_document(template_name, context, request).write_pdf(pdf_variant="pdf/ua-1")
    return data


def render_pdf(
    request: HttpRequest, template_name: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    """An HTTP response carrying the PDF of a template, offered as a download."""
    response = HttpResponse(
        pdf_bytes(template_name, context, request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _local_only() -> Any:
    """Nothing is fetched from the network while a PDF is made: the site's static files are
    read from disk, and only file: and data: addresses are followed."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if "/static/" in url and not url.startswith("file:"):
                found = finders.find(url.split("/static/", 1)[1].split("?")[0])
                if not found:
                    raise ValueError(f"No static file for {url}")
                url = Path(str(found)).as_uri()
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"file", "data"})
