from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caremarket.core import clock
from caremarket.market.models import CareGroup, Commissioner, Zone


class Person(models.Model):
    """Someone the council sources care for.

    The reference is pseudonymous: it is what providers see before an award, with the postcode
    district, never the name, address or date of birth.
    """

    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="people")
    reference = models.CharField(max_length=20)
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    address = models.CharField(max_length=240)
    postcode = models.CharField(max_length=8)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="people")
    phone = models.CharField(max_length=30, blank=True)
    care_group = models.ForeignKey(CareGroup, on_delete=models.PROTECT, related_name="people")
    unpaid_carer = models.BooleanField(
        "unpaid carer involved",
        default=False,
        help_text="A family member or friend who cares without pay, to involve as an expert.",
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        help_text="A duplicate record's person: its referrals moved there; it is kept for history.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["commissioner", "reference"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "reference"], name="person_reference_unique"
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="person_has_reference"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def postcode_district(self) -> str:
        return self.postcode.split(" ")[0]
