"""Security headers, no-store for signed-in answers, expiring and revocable tokens, the rate
limit per token, and ``check --deploy`` with production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from caremarket.core import clock

pytestmark = pytest.mark.django_db


def fresh_token(user: object) -> Token:
    """A new token for the user (any the demo gave it is replaced)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def test_pages_carry_a_policy_with_no_inline_script(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(None).get("/directory/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style")[0]
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    page = response.content.decode()
    assert "<script>" not in page and '<script type="module">' not in page


def test_answers_to_signed_in_users_are_never_stored(client_for, user) -> None:  # type: ignore[no-untyped-def]
    assert "no-store" not in client_for(None).get("/directory/").get("Cache-Control", "")
    assert client_for("devon.broker").get("/referrals/")["Cache-Control"] == "no-store"
    token = fresh_token(user("provider.devon"))
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/prices/")
    assert api.status_code == 200 and api["Cache-Control"] == "no-store"


def test_sessions_end_after_inactivity(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def test_tokens_expire_and_can_be_revoked(user) -> None:  # type: ignore[no-untyped-def]
    token = fresh_token(user("provider.devon"))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/prices/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=clock.now() - timedelta(days=91))
    expired = client.get("/api/v1/prices/")
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    fresh = fresh_token(user("devon.broker"))
    fresh.delete()  # revoked in the back office
    assert Client(HTTP_AUTHORIZATION=f"Token {fresh.key}").get("/api/v1/prices/").status_code == 401


@override_settings(API_RATE_PER_MINUTE=3)
def test_each_token_has_a_rate_limit(user) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_AUTHORIZATION=f"Token {fresh_token(user('provider.devon')).key}")
    statuses = [client.get("/api/v1/prices/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other = Client(HTTP_AUTHORIZATION=f"Token {fresh_token(user('devon.broker')).key}")
    assert other.get("/api/v1/prices/").status_code == 200


def test_the_oruk_feed_is_open_to_every_origin(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(None).get("/api/oruk/services")["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client_for(None).get("/api/v1/directory/")


def test_check_deploy_is_clean_with_production_settings() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECURE_COOKIES", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT"}
    }
    env |= {
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-entropy-0123456789",
        "ALLOWED_HOSTS": "caremarket.example.org",
        "DJANGO_SETTINGS_MODULE": "caremarket.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--tag", "security",
         "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
