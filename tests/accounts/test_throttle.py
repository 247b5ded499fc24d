"""Sign-in throttling by account and by address, on /sign-in/ and /admin/login/, counted in
the database (so every web process sees the same count)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from caremarket.accounts.models import SignInAttempt

pytestmark = pytest.mark.django_db
PAUSED = "signing in is paused"


def _try(client: Client, address: str, username: str, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(address, {"username": username, "password": password}, REMOTE_ADDR=ip)


@override_settings(SIGN_IN_MAX_FAILURES_PER_ACCOUNT=3)
@pytest.mark.parametrize("address", ["/sign-in/", "/admin/login/"])
def test_after_too_many_wrong_passwords_even_the_right_one_is_refused(user, address) -> None:  # type: ignore[no-untyped-def]
    account = user("devon.broker")
    account.set_password("right-password-123")
    account.is_staff = True
    account.save()
    client = Client()
    for _ in range(3):
        assert PAUSED not in _try(client, address, "devon.broker", "wrong").content.decode()
    page = _try(client, address, "devon.broker", "right-password-123").content.decode()
    assert PAUSED in page
    assert "_auth_user_id" not in client.session
    assert SignInAttempt.objects.filter(username="devon.broker", refused=True).count() == 1
    # another account from another address is not affected
    other = user("devon.practitioner")
    other.set_password("right-password-123")
    other.save()
    _try(Client(), "/sign-in/", "devon.practitioner", "right-password-123", ip="10.0.0.2")
    assert SignInAttempt.objects.filter(username="devon.practitioner", succeeded=True).exists()


@override_settings(SIGN_IN_MAX_FAILURES_PER_ADDRESS=4)
def test_one_address_guessing_many_accounts_is_paused() -> None:
    client = Client()
    for n in range(4):
        _try(client, "/sign-in/", f"nobody{n}", "wrong", ip="10.9.9.9")
    assert PAUSED in _try(client, "/sign-in/", "someone-else", "x", ip="10.9.9.9").content.decode()
    assert (
        PAUSED not in _try(client, "/sign-in/", "someone-else", "x", ip="10.9.9.8").content.decode()
    )


def test_behind_a_trusted_proxy_the_forwarded_address_counts(rf, settings) -> None:  # type: ignore[no-untyped-def]
    from caremarket.accounts.throttle import address_of

    request = rf.get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.2.69.160")
    assert address_of(request) == "10.0.0.254"
    settings.TRUSTED_PROXIES = 1
    assert address_of(request) == "81.2.69.160"  # what the proxy saw, not what the client said
