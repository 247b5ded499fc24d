"""The demo's accounts: one password for every fictitious user, and one way to make a user.

Kept apart from ``builder`` so that the demo's parts (rooms, care homes, delivery, pricing,
insight), which ``builder`` calls, can make their own accounts without importing it back.
"""

from __future__ import annotations

from typing import Any

from caremarket.accounts.models import User

DEMO_PASSWORD = "caremarket-demo"  # noqa: S105 - printed for the demo's fictitious accounts


def demo_user(username: str, role: str, first: str, last: str, **fields: Any) -> User:
    """A demo account (``commissioner=`` or ``provider=`` says whose), signed in with
    ``DEMO_PASSWORD``, with an address at caremarket.example (a domain nobody receives at)."""
    return User.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        role=role,
        first_name=first,
        last_name=last,
        email=f"{username}@caremarket.example",
        **fields,
    )


DPO_GROUP = "Data protection officers"


def data_protection_officer(commissioner: Any, username: str = "devon.dpo") -> User:
    """The council's data protection officer (issue 15): a council user in the group that
    holds ``brokerage.view_personaldataaccess``, which ``core.permissions``'
    ``view_personal_data_log`` asks for, so the log is the duty's, not every commissioner's.
    There is no read-only council role, so the account is a commissioner's."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=DPO_GROUP)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="brokerage", codename="view_personaldataaccess"
        )
    )
    user = demo_user(username, "commissioner", "Dana", "Protection", commissioner=commissioner)
    user.groups.add(group)
    return user
