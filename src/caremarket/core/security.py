"""Response headers every page and API answer carries, and JSON errors under /api/.

- A Content Security Policy with no inline script (``CONTENT_SECURITY_POLICY``), and a
  Permissions-Policy that switches off what the platform never uses.
- ``Cache-Control: no-store`` on everything answered to a signed-in user or a token: pages,
  CSVs and API responses may carry personal data, and a shared computer's cache or a proxy
  must not keep them.
- The Open Referral UK feed (``/api/oruk/``) is open to every origin (CORS ``*``): ORUK's
  validator and aggregators read it from browsers and other sites; it holds no personal data.
- Under ``/api/`` an error is JSON, never Django's HTML page (an unknown address, a 500).
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
OPEN_FEED = "/api/oruk/"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/") and response.status_code >= 400:
            response = _as_json(response)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _signed_in(request):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        if request.path.startswith(OPEN_FEED):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or (
        "HTTP_AUTHORIZATION" in request.META
    )


def _as_json(response: HttpResponse) -> HttpResponse:
    """Django's own error pages (404 for an unknown address, 500) as JSON; DRF's answers are
    JSON already and pass unchanged."""
    kind = response.headers.get("Content-Type", "")
    if "json" in kind:
        return response
    status = response.status_code
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    answer = JsonResponse({"detail": reason}, status=status)
    for header in ("Allow", "WWW-Authenticate", "Retry-After", "Vary"):
        if header in response.headers:
            answer.headers[header] = response.headers[header]
    return answer
