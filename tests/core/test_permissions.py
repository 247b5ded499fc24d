"""Who may do what (``core.permissions``): one table, read by views, API handlers, templates
and navigation. Checked here without a database, on stand-in users that carry only what the
rules read (role, commissioner, provider, superuser)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from caremarket.core.permissions import PERMISSIONS, allows, may, permission, require


def person(role: str | None = None, *, council: bool = False, provider: bool = False, admin=False):  # type: ignore[no-untyped-def]
    return SimpleNamespace(
        is_authenticated=role is not None or admin,
        is_superuser=admin,
        role=role,
        commissioner_id=1 if council else None,
        provider_id=2 if provider else None,
    )


ANONYMOUS = person()
PLATFORM = person(admin=True)
BROKER = person("broker", council=True)
PRACTITIONER = person("practitioner", council=True)
FINANCE = person("finance", council=True)
COMMISSIONER = person("commissioner", council=True)
PROVIDER = person("provider", provider=True)

EXPECTED = {
    "broker": [PLATFORM, BROKER],
    "raise_referral": [PLATFORM, BROKER, PRACTITIONER],
    "view_referrals": [PLATFORM, BROKER, PRACTITIONER, FINANCE, COMMISSIONER],
    "council_pages": [PLATFORM, BROKER, PRACTITIONER, FINANCE, COMMISSIONER],
    "provider": [PROVIDER],
    "view_agreements": [PLATFORM, BROKER, PRACTITIONER, FINANCE, COMMISSIONER, PROVIDER],
}
EVERYONE = [ANONYMOUS, PLATFORM, BROKER, PRACTITIONER, FINANCE, COMMISSIONER, PROVIDER]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_permission_allows_exactly_its_roles(name: str) -> None:
    allowed = [u for u in EVERYONE if may(u, name)]
    assert [id(u) for u in allowed] == [id(u) for u in EVERYONE if u in EXPECTED[name]]


def test_nobody_signed_out_may_do_anything() -> None:
    assert not any(may(ANONYMOUS, name) for name in PERMISSIONS)


def test_a_refusal_is_a_403_with_the_rules_message() -> None:
    with pytest.raises(PermissionDenied, match="Only a provider's users"):
        require(BROKER, "provider")
    require(PROVIDER, "provider")  # allowed: no exception


def test_a_misspelt_permission_fails_loudly_rather_than_allowing() -> None:
    with pytest.raises(LookupError):
        permission("brokre")


def test_the_api_permission_reads_the_same_rule() -> None:
    api = allows("broker")()
    assert api.has_permission(SimpleNamespace(user=BROKER), None)
    assert not api.has_permission(SimpleNamespace(user=PROVIDER), None)
    assert not api.has_permission(SimpleNamespace(user=ANONYMOUS), None)
