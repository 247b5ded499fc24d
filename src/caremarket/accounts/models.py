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


class SignInAttempt(models.Model):
    """One try at signing in (web or back office), kept in the database so that every web
    process counts the same failures (``accounts.throttle``)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)
    succeeded = models.BooleanField(default=False)
    refused = models.BooleanField(default=False, help_text="Refused unchecked: throttled.")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class ApiUsage(models.Model):
    """Requests made with one API token in one minute: the database-backed rate limit
    (``accounts.api_auth.TokenRateThrottle``), shared by every web process."""

    key = models.CharField(max_length=64)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="api_usage_once")]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.window:%H:%M}: {self.count}"
