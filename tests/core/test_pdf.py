"""core.pdf: a PDF from the same template as the page: A4, numbered, nothing fetched."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from caremarket.core.pdf import pdf_document, render_pdf

A4_WIDTH_PX = 210 / 25.4 * 96  # CSS pixels


def test_a_template_is_laid_out_on_a4_pages() -> None:
    document = pdf_document("core/error.html", {"title": "Remittance advice"})
    assert len(document.pages) == 1
    assert document.pages[0].width == pytest.approx(A4_WIDTH_PX, abs=1)


@pytest.mark.django_db
def test_render_pdf_offers_a_download() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = render_pdf(request, "core/error.html", {"title": "Letter"}, "letter.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert response.content.startswith(b"%PDF-")
