"""The Client Level Data file of one commissioner for one quarter, built from the platform's
own events (docs/cld.md, the mapping), and the pre-submission check of it.

- **Request** rows: referrals (raised; ended when awarded or cancelled).
- **Service** rows: service agreements for a person, one row per variation period, with the
  unit cost, frequency and planned units in force in it; the platform's weekly cost of the
  period goes beside the row to the check, which compares it with DHSC's derivation.
- **Review** rows: each variation after an agreement's first that no fee review made (a
  band review, or a change of hours after the person's needs were looked at again).

An event is reported if it was open at any time in the reporting period, up to ``as_at``
(the period's end, or today for a quarter not yet over: a draft). An end after ``as_at`` is
left blank: at the end of the period the event was still open. Agreements for schemes
rather than a person (supported living blocks) have no person, so no row.

Unscoped: callers decide whose return it is (``returns.selectors`` for a user, the ``cld``
command for the console). Money and units are written with two decimals, never rounded
here: they are stored rounded once, when an agreement is awarded or varied.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch

from caremarket.brokerage.models import (
    AgreementVariation,
    Person,
    Referral,
    ReferralEvent,
    ServiceAgreement,
)
from caremarket.core import clock
from caremarket.market.models import Commissioner
from caremarket.returns import mapping, pseudonyms, rules, vocabulary
from caremarket.returns.periods import Period

EVENT_ORDER = {"Request": 0, "Assessment": 1, "Service": 2, "Review": 3}


@dataclass(frozen=True)
class Line:
    """One row of the file (every field of ``vocabulary.FIELDS``) and, for a service, the
    weekly cost the platform holds for it (what the check compares)."""

    row: dict[str, str]
    weekly_cost: Decimal | None = None


@dataclass
class CldFile:
    commissioner: Commissioner
    period: Period
    as_at: date
    lines: list[Line]
    findings: list[rules.Finding] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.as_at < self.period.end

    @property
    def counts(self) -> dict[str, int]:
        by_type = Counter(line.row["Event_Type"] for line in self.lines)
        return {event: by_type.get(event, 0) for event in EVENT_ORDER}

    @property
    def people(self) -> int:
        return len({line.row["LA_Person_Unique_Identifier"] for line in self.lines})

    def csv_text(self) -> str:
        """The file: UTF-8, a header row of the field names, comma separated (assumptions:
        the format is NOT FOUND in our sources)."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=vocabulary.FIELDS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(line.row for line in self.lines)
        return out.getvalue()


def pseudonym_key() -> str:
    key: str = getattr(settings, "CLD_PSEUDONYM_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "Set CLD_PSEUDONYM_KEY (a long random secret, the same every quarter) to build a "
            "Client Level Data return: it keys the person identifiers."
        )
    return key


def build(commissioner: Commissioner, period: Period, today: date | None = None) -> CldFile:
    """Every row of the return, in ``vocabulary.FIELDS`` order, and the check's findings."""
    key = pseudonym_key()
    as_at = min(period.end, today or clock.today())
    person_row = _PersonColumns(commissioner, period, key)
    lines = [*_requests(commissioner, period, as_at, person_row)]
    lines += _services_and_reviews(commissioner, period, as_at, person_row)
    lines.sort(
        key=lambda line: (
            line.row["Event_Start_Date"],
            EVENT_ORDER[line.row["Event_Type"]],
            line.row["Event_Reference"],
        )
    )
    found = rules.check((line.row, line.weekly_cost) for line in lines)
    return CldFile(commissioner, period, as_at, lines, found)


class _PersonColumns:
    """The submission and person columns every row repeats."""

    def __init__(self, commissioner: Commissioner, period: Period, key: str) -> None:
        self.code, self.period, self.key = commissioner.ons_code, period, key

    def __call__(self, person: Person) -> dict[str, str]:
        person = person.merged_into or person  # a duplicate reports as the person it joined
        row = dict.fromkeys(vocabulary.FIELDS, "")
        row |= {
            "LA_Code": self.code,
            "Reporting_Period_Start_Date": self.period.start.isoformat(),
            "Reporting_Period_End_Date": self.period.end.isoformat(),
            "LA_Person_Unique_Identifier": pseudonyms.pseudonym(
                self.key, self.code, person.reference
            ),
            "Date_of_Birth": person.date_of_birth.isoformat(),
            "Client_Type": mapping.CLIENT_TYPE,
            "Primary_Support_Reason": mapping.primary_support_reason(
                person.care_group.clc_primary_support_reason
            ),
            "Postcode": person.postcode,
        }
        return row


def _ended(end: date | None, as_at: date) -> date | None:
    return end if end is not None and end <= as_at else None


def _requests(
    commissioner: Commissioner, period: Period, as_at: date, person_row: _PersonColumns
) -> list[Line]:
    cancellations = Prefetch(
        "events", ReferralEvent.objects.filter(to_state="cancelled"), to_attr="cancellations"
    )
    referrals = (
        Referral.objects.filter(commissioner=commissioner)
        .select_related("person__care_group", "person__merged_into__care_group")
        .select_related("service_type", "award")
        .prefetch_related(cancellations)
    )
    lines = []
    for referral in referrals:
        raised = clock.local(referral.created_at).date()
        closed = None
        if referral.state == "awarded" and hasattr(referral, "award"):
            closed = clock.local(referral.award.decided_at).date()
        elif referral.state == "cancelled" and referral.cancellations:
            closed = clock.local(referral.cancellations[-1].at).date()
        if raised > as_at or not period.covers(raised, closed):
            continue
        end = _ended(closed, as_at)
        row = person_row(referral.person) | {
            "Event_Type": "Request",
            "Event_Reference": referral.reference,
            "Event_Start_Date": raised.isoformat(),
            "Event_End_Date": end.isoformat() if end else "",
            "Event_Description": f"Request for {referral.service_type.name}",
            "Event_Outcome": mapping.REQUEST_OUTCOME_BY_STATE.get(referral.state, "")
            if end
            else "",
        }
        lines.append(Line(row))
    return lines


def _agreements(commissioner: Commissioner) -> list[ServiceAgreement]:
    variations = AgreementVariation.objects.select_related(
        "repricing", "band_review__from_band", "band_review__to_band"
    ).order_by("effective_from", "pk")
    return list(
        ServiceAgreement.objects.filter(commissioner=commissioner, person__isnull=False)
        .select_related("person__care_group", "person__merged_into__care_group")
        .select_related("award__referral__service_type")
        .select_related("award__competition__referral__service_type")
        .prefetch_related(Prefetch("variations", variations), "delivering_provider__locations")
    )


def _service_code_and_name(agreement: ServiceAgreement) -> tuple[str, str]:
    award = agreement.award
    referral = award.referral or (award.competition.referral if award.competition else None)
    if referral is None:
        return "", ""
    return referral.service_type.code, referral.service_type.name


def _cqc_location(agreement: ServiceAgreement) -> str:
    """The delivering provider's CQC location, where it has exactly one: with several, the
    platform does not record which delivered, so the council adds it."""
    ids = [loc.cqc_location_id for loc in agreement.delivering_provider.locations.all()]
    registered = [i for i in ids if i]
    return registered[0] if len(registered) == 1 else ""


def _services_and_reviews(
    commissioner: Commissioner, period: Period, as_at: date, person_row: _PersonColumns
) -> list[Line]:
    lines = []
    for agreement in _agreements(commissioner):
        variations = list(agreement.variations.all())
        code, name = _service_code_and_name(agreement)
        frequency = mapping.frequency(agreement.unit)
        person = person_row(agreement.person)
        service = person | {
            "Event_Type": "Service",
            "Event_Description": name,
            "Service_Type": mapping.service_type(code),
            "Service_Component": mapping.SERVICE_COMPONENT_BY_CODE.get(code, ""),
            "Delivery_Mechanism": mapping.DELIVERY_MECHANISM,
            "Provider_CQC_Location_ID": _cqc_location(agreement),
            "Cost_Frequency_Unit_Type": frequency,
        }
        for number, variation in enumerate(variations, start=1):
            last = number == len(variations)
            start = max(variation.effective_from, agreement.start_date)
            until = (
                agreement.end_date
                if last
                else variations[number].effective_from - timedelta(days=1)
            )
            if number > 1 and not hasattr(variation, "repricing"):
                lines += _review(person, agreement, variation, number, period, as_at)
            if start > as_at or not period.covers(start, until):
                continue
            end = _ended(until, as_at)
            row = service | {
                "Event_Reference": f"{agreement.reference}-{number}",
                "Event_Start_Date": start.isoformat(),
                "Event_End_Date": end.isoformat() if end else "",
                "Event_Outcome": mapping.service_outcome(
                    agreement.end_reason, last, ended=end is not None
                ),
                "Unit_Cost": mapping.money(variation.unit_price),
                "Planned_units_per_week": mapping.planned_units(
                    frequency, variation.units_per_week
                ),
            }
            lines.append(Line(row, variation.weekly_cost))
    return lines


def _review(
    person: dict[str, str],
    agreement: ServiceAgreement,
    variation: AgreementVariation,
    number: int,
    period: Period,
    as_at: date,
) -> list[Line]:
    """A Review row for a variation no fee review made, on the day it was recorded."""
    day = clock.local(variation.at).date()
    if day > as_at or not period.covers(day, day):
        return []
    band_review = getattr(variation, "band_review", None)
    if band_review is not None:
        before = band_review.from_band.get_level_display() if band_review.from_band else "none"
        description = f"Band review: {before} to {band_review.to_band.get_level_display()}"
    else:
        description = "Review: planned units or price changed"
    row = person | {
        "Event_Type": "Review",
        "Event_Reference": f"{agreement.reference}-R{number}",
        "Event_Start_Date": day.isoformat(),
        "Event_End_Date": day.isoformat(),
        "Event_Description": description,
        "Event_Outcome": mapping.CONTINUING,
    }
    return [Line(row)]
