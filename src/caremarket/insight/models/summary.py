"""The running totals the dashboard reads: how much each figure changes on each day.

Counting distinct people in force on a day over a million packages' history is a scan and a
hash of every live row (seconds on PostgreSQL); the same count is the sum of this table's
changes up to that day (a few thousand rows). It is derived, never edited: rebuilt for a
commissioner from its packages in place and awaiting-care records in the same transaction as
every write to them (``services.summary``), so it is always current; and the records behind
every figure stay one link away (the drill-down pages read the records themselves).
"""

from __future__ import annotations

from django.db import models

from caremarket.market.models import Commissioner


class Measure(models.TextChoices):
    PEOPLE_GROUP = "people_group", "People by care group and setting"
    PEOPLE_SETTING = "people_setting", "Distinct people by setting"
    PEOPLE_SERVICE = "people_service", "People by service type"
    HOURS_ZONE = "hours_zone", "Commissioned hours a week by zone"
    AWAITING_PEOPLE = "awaiting_people", "People awaiting care by zone"
    AWAITING_HOURS = "awaiting_hours", "Unmet hours a week by zone"


class FigureChange(models.Model):
    """On ``day`` the figure (``measure`` for ``item``, and ``setting``) changes by ``delta``:
    people start or stop being supported (or waiting), hours start or stop. ``item`` is the
    care group, service type or zone id (0 for a total); the figure on a day is the sum of
    the deltas on or before it."""

    commissioner = models.ForeignKey(Commissioner, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=16, choices=Measure.choices)
    item = models.IntegerField(help_text="The care group, service type or zone id; 0 for a total.")
    setting = models.CharField(max_length=8, blank=True)
    day = models.DateField()
    delta = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["commissioner", "day"], name="figure_change_by_day")]

    def __str__(self) -> str:
        return f"{self.measure} {self.item} {self.setting} {self.day}: {self.delta:+}"
