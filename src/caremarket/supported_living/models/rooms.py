"""Rooms and their status over time.

A room is vacant (empty since its void start date), held (for a referral, until the hold
runs out), occupied, or unavailable (with a reason). The status is kept on the room, for a
fast search, and every change is also a ``RoomStatusChange`` row, so the history of voids
survives. A hold that has run out reads as vacant whether or not the worker has written it
down: ``RoomQuerySet.available`` and ``Room.effective_status`` compare ``held_until`` with
the clock.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.core import clock
from caremarket.supported_living import rules
from caremarket.supported_living.models.properties import Property

who = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class RoomQuerySet(models.QuerySet["Room"]):
    def available(self, at: datetime) -> RoomQuerySet:
        """Vacant, or held by a hold that has run out by ``at``: free to hold now."""
        return self.filter(Q(status=rules.VACANT) | Q(status=rules.HELD, held_until__lte=at))

    def held(self, at: datetime) -> RoomQuerySet:
        """Held by a hold still running at ``at``."""
        return self.filter(status=rules.HELD, held_until__gt=at)

    def void(self) -> RoomQuerySet:
        """Not occupied: vacant, held or unavailable (each has a void start date)."""
        return self.exclude(status=rules.OCCUPIED)

    def stale(self, at: datetime) -> RoomQuerySet:
        """Vacancies nobody has confirmed for ``rules.STALE_AFTER`` (``rules.is_stale``)."""
        return self.available(at).filter(last_confirmed_at__lt=at - rules.STALE_AFTER)


class Room(models.Model):
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="room_set")
    name = models.CharField(max_length=60)
    status = models.CharField(max_length=12, choices=rules.STATUS_CHOICES, default=rules.VACANT)
    void_since = models.DateField(
        null=True, blank=True, help_text="The void start date: empty since (none if occupied)."
    )
    held_until = models.DateTimeField(null=True, blank=True)
    unavailable_reason = models.CharField(max_length=240, blank=True)
    last_confirmed_at = models.DateTimeField(default=clock.now)
    last_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, **who)
    history = HistoricalRecords()

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["property", "name"]
        constraints = [
            models.UniqueConstraint(fields=["property", "name"], name="room_name_unique"),
            models.CheckConstraint(
                condition=Q(status=rules.OCCUPIED, void_since__isnull=True)
                | ~Q(status=rules.OCCUPIED) & Q(void_since__isnull=False),
                name="room_void_start_unless_occupied",
            ),
            models.CheckConstraint(
                condition=Q(status=rules.HELD, held_until__isnull=False)
                | ~Q(status=rules.HELD) & Q(held_until__isnull=True),
                name="room_hold_has_an_end",
            ),
            models.CheckConstraint(
                condition=Q(status=rules.UNAVAILABLE) & ~Q(unavailable_reason="")
                | ~Q(status=rules.UNAVAILABLE) & Q(unavailable_reason=""),
                name="room_unavailable_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "property"]),
            # The vacancy search's: free rooms only (about a sixth of them), in the order a
            # search without a postcode lists them, so it reads the first 50 and stops
            # (docs/benchmarks.md, "Rooms and beds: supported living").
            models.Index(
                fields=["void_since", "id"],
                condition=Q(status__in=[rules.VACANT, rules.HELD]),
                name="room_free_by_void_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.property}, {self.name}"

    def effective_status(self, at: datetime) -> str:
        return rules.effective_status(self.status, self.held_until, at)

    def is_stale(self, at: datetime) -> bool:
        return rules.is_stale(self.effective_status(at), self.last_confirmed_at, at)


class RoomStatusChange(models.Model):
    """One change of a room's status, from a date, by whom and why: the room's history."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=12, choices=rules.STATUS_CHOICES)
    effective_from = models.DateField()
    reason = models.CharField(max_length=240, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, **who)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["room", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.room}: {self.status} from {self.effective_from}"
