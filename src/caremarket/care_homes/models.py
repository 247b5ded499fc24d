"""Care homes and their monthly vacancy returns (Capacity Tracker's care home fields).

A care home is a provider's ``providers.Location`` with more data kept here (one-to-one), so
the providers app stays the one home of organisations and places. A return is per home and
month, with one line per bed type (Capacity Tracker's four bed fields) and the workforce
headcounts. A correction never edits a return: it adds a new version that supersedes the
last (``supersedes`` is one-to-one, so two corrections of the same version cannot both land),
and the current return for a month is the one nothing supersedes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from simple_history.models import HistoricalRecords

from caremarket.engine.vacancy import BED_TYPES, MAX_BEDS, MAX_HEADCOUNT
from caremarket.market.models import Zone
from caremarket.providers.models import Location

BedType = models.TextChoices("BedType", [(code, (code, label)) for code, label in BED_TYPES])
"""Capacity Tracker's bed-type categories as councils report them (see engine.vacancy)."""


class CareHome(models.Model):
    """A registered care home: the location it is, nursing or residential, where it sits."""

    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", "Residential (care home without nursing)"
        NURSING = "nursing", "Nursing (care home with nursing)"

    location = models.OneToOneField(Location, on_delete=models.PROTECT, related_name="care_home")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        related_name="care_homes",
        help_text="The commissioner's zone (locality) the home's postcode falls in.",
    )
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("49")), MaxValueValidator(Decimal("61"))],
        help_text="Where the home is, for nearest first (empty: ranked by postcode and zone).",
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-9")), MaxValueValidator(Decimal("2"))],
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(
        null=True, blank=True, help_text="A closed home owes no returns after this date."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["location__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=F("opened_on")),
                name="care_home_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="care_home_location_whole",
            ),
        ]

    def __str__(self) -> str:
        return str(self.location)

    @property
    def name(self) -> str:
        return self.location.name

    @property
    def postcode(self) -> str:
        return self.location.postcode

    @property
    def provider_id(self) -> int:
        return self.location.provider_id


class RegisteredBeds(models.Model):
    """How many beds of one type the home is registered for (what its returns may report)."""

    care_home = models.ForeignKey(CareHome, on_delete=models.CASCADE, related_name="beds")
    bed_type = models.CharField(max_length=24, choices=BedType.choices)
    beds = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["care_home", "bed_type"]
        verbose_name_plural = "registered beds"
        constraints = [
            models.UniqueConstraint(
                fields=["care_home", "bed_type"], name="registered_beds_one_row_per_type"
            ),
            models.CheckConstraint(
                condition=Q(beds__gte=1, beds__lte=MAX_BEDS), name="registered_beds_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.care_home}: {self.beds} {self.get_bed_type_display()}"


class VacancyReturnQuerySet(models.QuerySet["VacancyReturn"]):
    def current(self) -> VacancyReturnQuerySet:
        """The returns in force: those no later version supersedes. Written as NOT EXISTS,
        which PostgreSQL plans as an anti-join it can estimate; the reverse one-to-one's
        ``superseded_by__isnull`` is a left join it guessed at one row, and chose nested
        loops that took seconds over 130,000 returns (docs/benchmarks.md, care homes)."""
        return self.filter(~Exists(VacancyReturn.objects.filter(supersedes=OuterRef("pk"))))

    def for_month(self, month: date) -> VacancyReturnQuerySet:
        return self.filter(month=month.replace(day=1))


class VacancyReturn(models.Model):
    """One home's return for one month: bed lines (below) and workforce headcounts here."""

    class Source(models.TextChoices):
        FORM = "form", "Entered on the form"
        API = "api", "Posted through the API"
        IMPORT = "import", "Imported from a CSV export"

    care_home = models.ForeignKey(CareHome, on_delete=models.PROTECT, related_name="returns")
    month = models.DateField(help_text="The first day of the month the return is for.")
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The earlier version this corrects; it stays as it was.",
    )
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    import_run_id = models.PositiveIntegerField(null=True, blank=True)
    # Workforce: Capacity Tracker's "total headcount of ..." fields.
    nurses_employed = models.PositiveSmallIntegerField("directly employed registered nurses")
    care_staff_employed = models.PositiveSmallIntegerField("directly employed care-providing staff")
    non_care_staff_employed = models.PositiveSmallIntegerField(
        "directly employed non-care-providing staff"
    )
    nurses_agency = models.PositiveSmallIntegerField("agency or bank registered nurses")
    care_staff_agency = models.PositiveSmallIntegerField("agency or bank care-providing staff")
    non_care_staff_agency = models.PositiveSmallIntegerField(
        "agency or bank non-care-providing staff"
    )
    history = HistoricalRecords()

    objects = VacancyReturnQuerySet.as_manager()

    class Meta:
        ordering = ["care_home", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["care_home", "month", "version"], name="vacancy_return_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1) & (Q(version=1) | Q(supersedes__isnull=False)),
                name="vacancy_return_correction_supersedes",
            ),
            models.CheckConstraint(
                condition=Q(nurses_employed__lte=MAX_HEADCOUNT)
                & Q(care_staff_employed__lte=MAX_HEADCOUNT)
                & Q(non_care_staff_employed__lte=MAX_HEADCOUNT)
                & Q(nurses_agency__lte=MAX_HEADCOUNT)
                & Q(care_staff_agency__lte=MAX_HEADCOUNT)
                & Q(non_care_staff_agency__lte=MAX_HEADCOUNT),
                name="vacancy_return_headcounts_in_range",
            ),
        ]
        indexes = [models.Index(fields=["month", "care_home"])]

    def __str__(self) -> str:
        return f"{self.care_home}, {self.month:%B %Y} (version {self.version})"


class VacancyReturnLineQuerySet(models.QuerySet["VacancyReturnLine"]):
    def current(self) -> VacancyReturnLineQuerySet:
        """Lines of the returns in force (``VacancyReturnQuerySet.current``)."""
        later = VacancyReturn.objects.filter(supersedes=OuterRef("vacancy_return_id"))
        return self.filter(~Exists(later))


class VacancyReturnLine(models.Model):
    """One bed type on a return: Capacity Tracker's four bed fields.

    What is neither occupied nor vacant (reserved or accepting) is not available for
    admission; so occupied + reserved + accepting can never exceed the maximum capacity.
    """

    vacancy_return = models.ForeignKey(
        VacancyReturn, on_delete=models.CASCADE, related_name="lines"
    )
    bed_type = models.CharField(max_length=24, choices=BedType.choices)
    maximum_capacity = models.PositiveSmallIntegerField()
    occupied = models.PositiveSmallIntegerField("occupied or used")
    vacant_reserved = models.PositiveSmallIntegerField("vacant, reserved")
    vacant_accepting = models.PositiveSmallIntegerField("vacant, accepting admissions")
    history = HistoricalRecords()

    objects = VacancyReturnLineQuerySet.as_manager()

    class Meta:
        ordering = ["vacancy_return", "bed_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy_return", "bed_type"], name="vacancy_line_one_per_bed_type"
            ),
            models.CheckConstraint(
                condition=Q(maximum_capacity__lte=MAX_BEDS)
                & Q(
                    maximum_capacity__gte=F("occupied")
                    + F("vacant_reserved")
                    + F("vacant_accepting")
                ),
                name="vacancy_line_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_bed_type_display()}: {self.occupied}/{self.maximum_capacity}"
