"""Two-factor sign-in (TOTP) for council staff and platform administrators, enforced by
``TWO_FACTOR_REQUIRED``: set up once with a key, then a code at every sign-in."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def _code(secret_text: str) -> str:
    key = base64.b32decode(secret_text.replace(" ", ""))
    return f"{totp(key):06d}"


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_council_staff_reach_nothing_until_a_code_is_right(client_for, user) -> None:  # type: ignore[no-untyped-def]
    client = client_for("devon.broker")
    blocked = client.get("/referrals/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/sign-in/two-factor/")
    assert client.get("/admin/").status_code == 302
    assert client.get("/api/v1/zones/").status_code == 403
    page = client.get(blocked["Location"]).content.decode()
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    wrong = client.post("/sign-in/two-factor/", {"code": "000000", "next": "/referrals/"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.filter(user=user("devon.broker"))
    right = client.post("/sign-in/two-factor/", {"code": _code(secret), "next": "/referrals/"})
    assert right.status_code == 302 and right["Location"] == "/referrals/"
    assert client.get("/referrals/").status_code == 200
    assert TOTPDevice.objects.get(user=user("devon.broker")).confirmed


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_providers_are_not_forced(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("provider.devon").get("/inbox/").status_code == 200


def test_off_by_setting(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("devon.broker").get("/referrals/").status_code == 200
