"""A booking is a hold on one room for one referral that the provider then confirms (the
person moves in: a tenancy and a service agreement at the band's weekly rate) or declines.

Exactly one live booking per room and one per referral: the services lock the room's and the
referral's rows before they look, and two partial unique constraints hold it in the database
even if a lock were ever missed. A hold past its end reads as expired on every read
(``BookingQuerySet.live``, ``Booking.effective_state``); the worker only writes that down.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.bookings import rules
from caremarket.brokerage.models import Award, Referral
from caremarket.core import clock
from caremarket.frameworks.models import Band, Framework
from caremarket.market.models import Commissioner
from caremarket.supported_living.models import Room, SupportGroup

who = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class HoldPolicy(models.Model):
    """How long a framework's holds last (default 48 hours)."""

    framework = models.OneToOneField(
        Framework, on_delete=models.CASCADE, related_name="hold_policy"
    )
    hold_hours = models.PositiveSmallIntegerField(default=rules.DEFAULT_HOLD_HOURS)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "hold policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(hold_hours__gte=1, hold_hours__lte=rules.MAX_HOLD_HOURS),
                name="hold_hours_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework}: holds last {self.hold_hours} hours"


class BookingQuerySet(models.QuerySet["Booking"]):
    def live(self, at: datetime) -> BookingQuerySet:
        """Holds still running at ``at`` and confirmed bookings (not ended)."""
        return self.filter(Q(state=rules.HELD, expires_at__gt=at) | Q(state=rules.CONFIRMED))

    def holding(self, at: datetime) -> BookingQuerySet:
        return self.filter(state=rules.HELD, expires_at__gt=at)

    def lapsed(self, at: datetime) -> BookingQuerySet:
        """Holds past their end that nobody has written down as expired yet."""
        return self.filter(state=rules.HELD, expires_at__lte=at)


class Booking(models.Model):
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="room_bookings"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="room_bookings")
    group = models.ForeignKey(
        SupportGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    band = models.ForeignKey(Band, on_delete=models.PROTECT, related_name="room_bookings")
    state = models.CharField(max_length=12, choices=rules.STATE_CHOICES, default=rules.HELD)
    held_at = models.DateTimeField(default=clock.now)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, **who)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, **who)
    decline_reason = models.CharField(max_length=400, blank=True)
    move_in_date = models.DateField(null=True, blank=True)
    weekly_rate = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The band's weekly rate in force on the move-in date.",
    )
    award = models.OneToOneField(
        Award, on_delete=models.PROTECT, null=True, blank=True, related_name="room_booking"
    )
    note = models.CharField(max_length=400, blank=True)
    moved_out_on = models.DateField(
        null=True, blank=True, help_text="The day the person moved out: the tenancy ended."
    )
    end_reason = models.CharField(
        max_length=20,
        blank=True,
        help_text="Why the tenancy ended (the service agreement's end reasons).",
    )
    history = HistoricalRecords()

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["room"],
                condition=Q(state__in=rules.LIVE_STATES),
                name="one_live_booking_per_room",
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(state__in=rules.LIVE_STATES),
                name="one_room_per_referral",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("held_at")), name="booking_hold_ends_later"
            ),
            models.CheckConstraint(
                condition=~Q(state=rules.CONFIRMED)
                | Q(move_in_date__isnull=False, weekly_rate__gt=0, award__isnull=False),
                name="booking_confirmed_has_terms",
            ),
            models.CheckConstraint(
                condition=~Q(state=rules.DECLINED) | ~Q(decline_reason=""),
                name="booking_decline_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["state", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.referral} in {self.room}"

    def effective_state(self, at: datetime | None = None) -> str:
        return rules.effective_state(self.state, self.expires_at, at or clock.now())

    @property
    def state_label(self) -> str:
        return rules.STATE_LABELS[self.effective_state()]
