"""Doing a creating write once, however many times it is asked for.

A person double-clicks "Raise referral"; a client retries a POST after a timeout. Both send the
same *key*: a one-time submission token the form carried (``new_token()``), or the API's
``Idempotency-Key`` header. ``once`` records the key in the same transaction as the write, so
either both are saved or neither is:

- the first request with a key writes, and remembers what it made (``remember(result)``);
- a later request with the same key (for the same scope and actor) writes nothing and gets the
  first one's result back (``recall(ref)``), flagged as a repeat;
- two requests at once: the database's unique index makes the second wait for the first to
  commit, then it finds the first's result (on PostgreSQL; SQLite writes one at a time anyway);
- the same key with a different request (its ``fingerprint`` differs) is refused (409);
- a write that was refused rolls the key back with it, so the corrected form can be sent again
  with the same token.

Scopes name the write ("brokerage.raise_referral"): a key is only ever compared within its
scope and for the same actor, so one person's token can never return another's record.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import IntegrityError, models, transaction

from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid

T = TypeVar("T")
HEADER = "Idempotency-Key"
MAX_KEY = 100


class SubmissionKey(models.Model):
    """One key seen for one scope and actor, and what its write made."""

    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=MAX_KEY)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submission_keys"
    )
    fingerprint = models.CharField(max_length=64, blank=True)
    result = models.CharField(max_length=100, blank=True, help_text="What the write made.")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        app_label = "core"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "actor", "key"], name="submission_key_once_per_actor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


@dataclass(frozen=True)
class Outcome(Generic[T]):
    result: T
    repeated: bool


def new_token() -> str:
    """A fresh one-time submission token for a form."""
    return uuid.uuid4().hex


def fingerprint(data: Any) -> str:
    """A stable digest of a request's data, to tell a true retry from a reused key."""
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def once(
    scope: str,
    key: str,
    actor: Any,
    act: Callable[[], T],
    *,
    remember: Callable[[T], Any],
    recall: Callable[[str], T],
    request_fingerprint: str = "",
) -> Outcome[T]:
    """Run ``act`` unless ``key`` was used before in ``scope`` by ``actor``; then recall what
    the first run made instead. An empty key runs ``act`` unguarded (old clients)."""
    key = (key or "").strip()
    if not key:
        return Outcome(act(), repeated=False)
    if len(key) > MAX_KEY:
        raise Invalid(f"The {HEADER} must be at most {MAX_KEY} characters.", HEADER)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = SubmissionKey.objects.create(
                    scope=scope, key=key, actor=actor, fingerprint=request_fingerprint
                )
        except IntegrityError:
            earlier = SubmissionKey.objects.get(scope=scope, key=key, actor=actor)
            if request_fingerprint and earlier.fingerprint not in ("", request_fingerprint):
                raise Conflict(
                    f"This {HEADER} was already used for a different request.", HEADER
                ) from None
            if not earlier.result:
                raise Conflict("This was already sent and is still being done.") from None
            return Outcome(recall(earlier.result), repeated=True)
        result = act()
        row.result = str(remember(result))
        row.save(update_fields=["result"])
    return Outcome(result, repeated=False)
