"""Sign-in throttling, by account and by address, counted in the database.

More than ``SIGN_IN_MAX_FAILURES_PER_ACCOUNT`` wrong passwords for one username, or more than
``SIGN_IN_MAX_FAILURES_PER_ADDRESS`` from one address, within ``SIGN_IN_WINDOW_MINUTES``, and
further tries are refused without checking the password until the window has passed; the
refusal says so and is logged (logger ``caremarket.security``). The counts live in
``SignInAttempt`` rows, not in a process's memory, so several web processes share them.
The same backend serves ``/sign-in/`` and ``/admin/login/``.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from caremarket.accounts.models import SignInAttempt
from caremarket.core import clock

log = logging.getLogger("caremarket.security")
LOCKED_MESSAGE = (
    "Too many wrong passwords. For your security, signing in is paused for {minutes} minutes. "
    "Try again later, or ask your administrator to reset your password."
)


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "SIGN_IN_MAX_FAILURES_PER_ACCOUNT", 5),
        getattr(settings, "SIGN_IN_MAX_FAILURES_PER_ADDRESS", 20),
        getattr(settings, "SIGN_IN_WINDOW_MINUTES", 15),
    )


def address_of(request: HttpRequest | None) -> str | None:
    """The client's address. Behind ``TRUSTED_PROXIES`` proxies (each appending to
    X-Forwarded-For), the address the outermost trusted proxy saw; else REMOTE_ADDR (behind
    an untrusted header a client could name any address it likes)."""
    if request is None:
        return None
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len([a for a in forwarded if a]) >= proxies:
        return forwarded[-proxies][:45] or None
    return request.META.get("REMOTE_ADDR")


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=_limits()[2])


def is_locked(username: str, address: str | None) -> bool:
    per_account, per_address, minutes = _limits()
    since = clock.now() - timedelta(minutes=minutes)
    recent = SignInAttempt.objects.filter(at__gte=since, succeeded=False)
    mine = SignInAttempt.objects.filter(username__iexact=username)
    last_success = mine.filter(succeeded=True, at__gte=since).values_list("at", flat=True).first()
    if recent.filter(username__iexact=username, at__gt=last_success or since).count() >= (
        per_account
    ):
        return True
    return bool(address) and recent.filter(address=address).count() >= per_address


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing unchecked while an account or address is locked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = username or kwargs.get("username") or ""
        if is_locked(name, address_of(request)):
            if request is not None:
                request.sign_in_locked = True  # type: ignore[attr-defined]
            log.warning("sign-in refused (throttled): %r from %s", name, address_of(request))
            SignInAttempt.objects.create(
                username=name[:150], address=address_of(request), at=clock.now(), refused=True
            )
            raise PermissionDenied(locked_message())
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _record_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    if request is not None and getattr(request, "sign_in_locked", False):
        return  # recorded as refused by the backend
    name = str(credentials.get("username") or "")[:150]
    log.warning("sign-in failed: %r from %s", name, address_of(request))
    SignInAttempt.objects.create(username=name, address=address_of(request), at=clock.now())


@receiver(user_logged_in)
def _record_success(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    if request is None or not getattr(request, "POST", None):
        return  # force_login in tests and tooling: no attempt to count
    SignInAttempt.objects.create(
        username=user.get_username(), address=address_of(request), at=clock.now(), succeeded=True
    )
