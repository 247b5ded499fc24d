"""The home page each role lands on, the error pages, and small plumbing views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from caremarket.core import imports

ASSET_REDIRECT_MAX_AGE = 86_400  # seconds


def govuk_assets(request: HttpRequest, path: str) -> HttpResponse:
    """GOV.UK Frontend's compiled CSS asks for fonts and images under /assets/. The redirect
    is cached for a day: without it every page asked for both fonts twice (a redirect
    through the whole middleware stack, then the file)."""
    response = HttpResponsePermanentRedirect(static(f"govuk/assets/{path}"))
    patch_cache_control(response, public=True, max_age=ASSET_REDIRECT_MAX_AGE)
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "core/error.html", _error(400, "Something in that request was wrong"), status=400
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = (
        str(exception) if exception and str(exception) else ("You do not have access to this page.")
    )
    return render(request, "core/error.html", _error(403, message), status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", _error(404, "Page not found"), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        _error(500, "Sorry, there is a problem with the service"),
        status=500,
    )


def _error(status: int, title: str) -> dict[str, object]:
    return {"status": status, "title": title}


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's progress (refreshing itself without JavaScript while it runs) and report."""
    run = imports.run_seen_by(request.user, pk)
    return render(request, "core/import_run.html", {"run": run, "errors": run.errors})
