"""Field shapes brokerage's models share."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def who_acted(*, related_name: str | None = None, help_text: str = "") -> Any:
    """The user who made a change, empty when the platform itself acted (the worker, the
    demo's replayed history); protected, so a user who acted is never deleted from under it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        help_text=help_text,
    )
