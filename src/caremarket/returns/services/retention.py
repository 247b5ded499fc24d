"""Retention: the personal details of people whose care ended long ago are pseudonymised.

A person's care has ended when nothing of theirs is open (no agreement without an end or
ending on or after the cut-off, no referral still being sourced) and the last thing that
happened to them (an agreement's end, a referral raised or changed, the record created) is
before the cut-off: ``years`` before today (setting ``CAREMARKET_RETENTION_YEARS``; the
default, 8, is an assumption: a council applies its own retention schedule). A duplicate
record merged into another follows the person it joined.

What is pseudonymised, on the person and on every one of its history rows (so the back
office's history shows no old value): the name becomes "Person" and the pseudonymous
reference, the date of birth 1 January of its year (ages stay countable), the address and
phone are emptied, and the postcode is cut to its district (zones stay countable). The
record, its referrals and agreements stay: payments, returns and statistics still add up.

Idempotent: a person already pseudonymised is counted, not changed again. A dry run counts
and changes nothing. The change is one transaction, recorded as a history row with the
reason, so when and why the details went is itself on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from caremarket.brokerage.models import Person, Referral, ReferralEvent, ServiceAgreement
from caremarket.brokerage.models.referrals import OPEN_STATES
from caremarket.core import clock
from caremarket.core.errors import Invalid

GIVEN_NAME = "Person"
MIN_YEARS, MAX_YEARS = 1, 100


@dataclass(frozen=True)
class Report:
    cutoff: date
    dry_run: bool
    eligible: int  # people whose care ended before the cut-off
    already: int  # of those, already pseudonymised (left as they are)
    pseudonymised: int  # changed now (or, in a dry run, that would be)
    history_rows: int  # history rows of those people scrubbed (or that would be)


def cutoff_for(years: int, today: date) -> date:
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise Invalid(f"Years must be {MIN_YEARS} to {MAX_YEARS}; nothing was changed.", "years")
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def care_ended_before(cutoff: date) -> QuerySet[Person]:
    """People (merged duplicates aside) with nothing open and nothing since the cut-off."""
    moment = timezone.make_aware(datetime.combine(cutoff, time.min))
    open_agreement = ServiceAgreement.objects.filter(person=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=cutoff)
    )
    recent_referral = Referral.objects.filter(person=OuterRef("pk")).filter(
        Q(state__in=OPEN_STATES) | Q(created_at__gte=moment)
    )
    recent_event = ReferralEvent.objects.filter(referral__person=OuterRef("pk"), at__gte=moment)
    return (
        Person.objects.filter(created_at__lt=moment)
        .exclude(Exists(open_agreement))
        .exclude(Exists(recent_referral))
        .exclude(Exists(recent_event))
    )


def _eligible(cutoff: date) -> list[Person]:
    ended = {p.pk: p for p in care_ended_before(cutoff)}

    def survivor_ended(person: Person) -> bool:
        seen = set()
        while person.merged_into_id is not None and person.pk not in seen:
            seen.add(person.pk)
            if person.merged_into_id not in ended:
                return False
            person = ended[person.merged_into_id]
        return True

    return sorted((p for p in ended.values() if survivor_ended(p)), key=lambda p: p.pk)


def _is_pseudonymised(person: Person) -> bool:
    return (
        person.given_name == GIVEN_NAME
        and person.family_name == person.reference
        and not person.address
        and not person.phone
    )


def _pseudonymous_values(person: Person) -> dict[str, object]:
    return {
        "given_name": GIVEN_NAME,
        "family_name": person.reference,
        "date_of_birth": person.date_of_birth.replace(month=1, day=1),
        "address": "",
        "postcode": person.postcode_district,
        "phone": "",
    }


def pseudonymise(years: int, *, dry_run: bool = False, today: date | None = None) -> Report:
    """Pseudonymise the personal details of everyone whose care ended ``years`` ago."""
    cutoff = cutoff_for(years, today or clock.today())
    history = Person.history.model
    with transaction.atomic():
        people = _eligible(cutoff)
        to_change = [p for p in people if not _is_pseudonymised(p)]
        ids = [p.pk for p in to_change]
        history_rows = history.objects.filter(id__in=ids).count()
        if not dry_run:
            for person in to_change:
                values = _pseudonymous_values(person)
                for name, value in values.items():
                    setattr(person, name, value)
                person._change_reason = f"Retention: care ended over {years} years ago"
                person.save(update_fields=list(values))
                history.objects.filter(id=person.pk).update(**values)
    return Report(
        cutoff=cutoff,
        dry_run=dry_run,
        eligible=len(people),
        already=len(people) - len(to_change),
        pseudonymised=len(to_change),
        history_rows=history_rows,
    )
