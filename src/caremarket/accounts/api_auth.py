"""API tokens that expire and can be revoked, and a rate limit per token.

A token older than ``API_TOKEN_TTL_DAYS`` is refused (401, "Token has expired"): a provider
system asks its administrator for a new one. Revoking a token is deleting it (back office,
"Tokens"), after which it is refused at once. Each token may make ``API_RATE_PER_MINUTE``
requests a minute; the count is a row per token and minute in the database (``ApiUsage``),
so every web process shares it; past it the answer is 429 with Retry-After.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from caremarket.accounts.models import ApiUsage
from caremarket.core import clock


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        days = getattr(settings, "API_TOKEN_TTL_DAYS", 90)
        if days and token.created < clock.now() - timedelta(days=days):
            raise AuthenticationFailed("Token has expired. Ask your administrator for a new one.")
        return user, token


class TokenRateThrottle(BaseThrottle):
    """Requests per token per minute (session requests from the site are not counted)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, Token):
            return True
        rate = getattr(settings, "API_RATE_PER_MINUTE", 120)
        now = clock.now()
        window = now.replace(second=0, microsecond=0)
        self._wait = 60 - now.second
        try:
            with transaction.atomic():
                usage, _ = ApiUsage.objects.get_or_create(key=request.auth.key, window=window)
        except IntegrityError:  # another process created this minute's row first
            usage = ApiUsage.objects.get(key=request.auth.key, window=window)
        ApiUsage.objects.filter(pk=usage.pk).update(count=F("count") + 1)
        ApiUsage.objects.filter(key=request.auth.key, window__lt=window).delete()
        return ApiUsage.objects.get(pk=usage.pk).count <= rate

    def wait(self) -> float | None:
        return float(getattr(self, "_wait", 60))
