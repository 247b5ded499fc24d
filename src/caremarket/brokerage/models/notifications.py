from __future__ import annotations

from django.conf import settings
from django.db import models

from caremarket.brokerage.models.people import Person


class Notification(models.Model):
    """An email to send, written in the same transaction as the change it reports (an
    outbox): nothing is lost if the worker is down, and nothing is sent for a change that
    rolled back. The worker sends what is unsent; correctness never waits for it."""

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"


class PersonalDataAccess(models.Model):
    """Each time a provider user sees a person's personal details (name, address, date of
    birth), after award. Kept for audit; never edited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="personal_data_accesses"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="accesses")
    at = models.DateTimeField()
    where = models.CharField(max_length=200, help_text="The page or API endpoint.")

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "personal data accesses"

    def __str__(self) -> str:
        return f"{self.user} saw {self.person} at {self.at:%Y-%m-%d %H:%M}"
