"""Two-factor sign-in (TOTP, django-otp) for council staff and platform administrators.

With ``TWO_FACTOR_REQUIRED`` on (the default wherever cookies are secure, so in production),
a council or platform user who has signed in with a password reaches nothing but the
two-factor page until they enter a code from their authenticator app. The first time, the
page shows a new secret key to add to the app; the device is saved only once a code from it
is right, so an abandoned set-up leaves nothing behind. Providers may use it; it is not
forced on them. The back office (``/admin/``) is covered by the same check.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from caremarket.core.roles import COUNCIL_ROLES, Role

SESSION_KEY = "caremarket_totp_key"
OPEN_PATHS = ("/sign-in/", "/sign-out/", "/static/", "/assets/", "/healthz", "/api/oruk/")


def required_for(user: object) -> bool:
    role = getattr(user, "role", "")
    return bool(getattr(settings, "TWO_FACTOR_REQUIRED", False)) and (
        role in COUNCIL_ROLES or role == Role.PLATFORM
    )


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: sends an unverified council or platform user to the
    two-factor page (the API answers 403 in JSON; tokens are not affected)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and required_for(user)
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(OPEN_PATHS)
            and "HTTP_AUTHORIZATION" not in request.META
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor sign-in is needed."}, status=403)
            return redirect(f"{reverse('accounts:two-factor')}?next={quote(request.path)}")
        return self.get_response(request)


def pending_key(request: HttpRequest) -> str:
    """The secret key being set up (kept in the session until a code proves it)."""
    if SESSION_KEY not in request.session:
        request.session[SESSION_KEY] = random_hex(20)
    return str(request.session[SESSION_KEY])


def setup_details(request: HttpRequest) -> dict[str, str]:
    secret = base64.b32encode(bytes.fromhex(pending_key(request))).decode()
    label = quote(f"caremarket:{request.user.get_username()}")
    return {
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": f"otpauth://totp/{label}?secret={secret}&issuer=caremarket",
    }


def verify(request: HttpRequest, code: str) -> bool:
    """A right code signs the session in with the device (saving it the first time)."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) > 8:
        return False
    user = request.user
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):  # type: ignore[arg-type]
        if device.verify_token(code):
            otp_login(request, device)
            return True
    if user_has_device(user):  # type: ignore[arg-type]
        return False
    key = pending_key(request)
    check = TOTP(bytes.fromhex(key))
    check.time = time.time()
    if not check.verify(int(code), tolerance=1):
        return False  # nothing saved: an abandoned set-up leaves no device
    device = TOTPDevice(user=user, name="Authenticator app", key=key, confirmed=True)
    device.last_t = check.t()  # the same code cannot be used twice
    device.save()
    request.session.pop(SESSION_KEY, None)
    otp_login(request, device)
    return True


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)
