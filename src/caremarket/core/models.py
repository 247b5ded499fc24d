"""The platform's own records: one import run per file a person or system sent us.

An import run belongs to an *owner*, written as ``"commissioner:<id>"`` or ``"provider:<id>"``
(core sits below the apps that define those records, so it keeps the key, not a foreign key);
the run page is scoped by it. The same file (by SHA-256) for the same kind and owner is one run:
a second upload finds the first and changes nothing. A failed run does not hold the file, so it
can be sent again once what it referred to exists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from caremarket.core import clock


class ImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking every row"
        WRITING = "writing", "Saving"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Not imported"

    kind = models.CharField(max_length=40)
    owner = models.CharField(max_length=40, help_text='"commissioner:<id>" or "provider:<id>"')
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    stored_as = models.CharField(max_length=300)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    stage = models.CharField(
        max_length=80, blank=True, help_text="What a whole-file import is doing now."
    )
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "owner", "sha256"],
                condition=~Q(status="failed"),
                name="import_same_file_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.filename}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent_checked(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.rows_checked / self.rows_total) if self.rows_total else 0


# The one-time submission keys live beside the mechanism that uses them (issue 14).
from caremarket.core.idempotency import SubmissionKey  # noqa: E402, F401
