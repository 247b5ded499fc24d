"""Supported living schemes: the places a call-off contract is for.

Staffordshire calls off care for a whole scheme (where the council commissions most residents'
care) or for an individual in a scheme; the housing is separate from the care and is not
bought here. Rooms, tenancies and live vacancies will grow from this model.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.frameworks.models import Lot
from caremarket.market.models import Commissioner, Zone


class Scheme(models.Model):
    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="schemes")
    name = models.CharField(max_length=160)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="schemes")
    lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        related_name="schemes",
        help_text="The framework lot whose providers may bid to care for this scheme.",
    )
    address = models.CharField(max_length=240, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    housing_provider = models.CharField(max_length=160, blank=True)
    rooms = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commissioner", "name"], name="scheme_name_unique"),
            models.CheckConstraint(condition=Q(rooms__gte=1), name="scheme_has_rooms"),
        ]

    def __str__(self) -> str:
        return self.name
