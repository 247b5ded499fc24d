"""Users, their one role, and whom they act for.

Council staff (commissioner, broker, practitioner, finance officer) act for one commissioner
and see only its records. Provider users act for one provider, which may hold appointments
with several commissioners; they see their own organisation's work across all of them and
nothing of any other provider's. The database refuses a user whose role and organisation
disagree.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from caremarket.core.roles import COUNCIL_ROLES, Role
from caremarket.market.models import Commissioner
from caremarket.providers.models import Provider


class CaremarketUserManager(UserManager):  # type: ignore[type-arg]
    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> User:
        """A superuser administers the platform; it acts for no commissioner or provider."""
        extra_fields.setdefault("role", Role.PLATFORM)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    objects = CaremarketUserManager()

    role = models.CharField(max_length=16, choices=Role.choices)
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=sorted(r.value for r in COUNCIL_ROLES),
                        commissioner__isnull=False,
                        provider__isnull=True,
                    )
                    | Q(role=Role.PROVIDER, provider__isnull=False, commissioner__isnull=True)
                    | Q(role=Role.PLATFORM, provider__isnull=True, commissioner__isnull=True)
                ),
                name="user_role_matches_organisation",
            )
        ]

    @property
    def is_provider_user(self) -> bool:
        return self.role == Role.PROVIDER

    @property
    def organisation_name(self) -> str:
        if self.commissioner_id:
            return self.commissioner.name  # type: ignore[union-attr]
        if self.provider_id:
            return self.provider.display_name  # type: ignore[union-attr]
        return "caremarket"
