"""Retention (caremarket.returns.services.retention and ``caremarket retention``): people whose
care ended more than N years ago have their personal details pseudonymised, on the record and
in its history; nobody still in care is touched; a dry run changes nothing; twice is once."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from django.core.management import CommandError, call_command

from caremarket.brokerage.models import Person, ServiceAgreement
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.returns.services import retention

pytestmark = pytest.mark.django_db
LATER = datetime(2040, 6, 1, 12, tzinfo=UTC)  # every demo agreement that ended, long ago


def ended_person() -> Person:
    """Someone whose care ended as planned in the demo, with nothing else open."""
    return ServiceAgreement.objects.get(commissioner__slug="devon", end_reason="needs_met").person


def in_care() -> Person:
    return ServiceAgreement.objects.filter(end_date__isnull=True, person__isnull=False)[0].person


def history_names(person: Person) -> set[str]:
    return set(Person.history.filter(id=person.pk).values_list("family_name", flat=True))


def test_a_dry_run_counts_and_changes_nothing() -> None:
    person = ended_person()
    before = (person.family_name, Person.history.filter(id=person.pk).count())
    with clock.frozen_at(LATER):
        report = retention.pseudonymise(8, dry_run=True)
    assert report.dry_run and report.cutoff == date(2032, 6, 1)
    assert report.eligible >= 1 and report.pseudonymised == report.eligible
    assert report.history_rows >= report.pseudonymised
    person.refresh_from_db()
    assert (person.family_name, Person.history.filter(id=person.pk).count()) == before


def test_the_details_go_from_the_record_and_its_history_and_nobody_in_care_changes() -> None:
    person, other = ended_person(), in_care()
    old_name, old_birth, other_name = person.family_name, person.date_of_birth, other.full_name
    with clock.frozen_at(LATER):
        report = retention.pseudonymise(8)
    person.refresh_from_db()
    assert report.pseudonymised >= 1 and not report.dry_run
    assert (person.given_name, person.family_name) == ("Person", person.reference)
    assert person.date_of_birth == date(old_birth.year, 1, 1)
    assert (person.address, person.phone) == ("", "")
    assert person.postcode == person.postcode.split(" ")[0] and person.postcode
    assert old_name not in history_names(person)
    newest = Person.history.filter(id=person.pk).latest("history_date")
    assert newest.history_change_reason == "Retention: care ended over 8 years ago"
    other.refresh_from_db()
    assert other.full_name == other_name


def test_twice_is_once() -> None:
    with clock.frozen_at(LATER):
        first = retention.pseudonymise(8)
        second = retention.pseudonymise(8)
    assert second.eligible == first.eligible
    assert (second.pseudonymised, second.already) == (0, first.eligible)


def test_recent_care_is_kept() -> None:
    report = retention.pseudonymise(1)  # the demo's care ended weeks ago, not a year
    assert report.eligible == 0
    assert Person.objects.filter(given_name="Person").count() == 0


def test_a_merged_duplicate_follows_the_person_it_joined() -> None:
    duplicate, survivor = ended_person(), in_care()
    Person.objects.filter(pk=duplicate.pk).update(merged_into=survivor)
    with clock.frozen_at(LATER):
        retention.pseudonymise(8)
    duplicate.refresh_from_db()
    assert duplicate.given_name != "Person"


@pytest.mark.parametrize("years", [0, 101])
def test_years_out_of_range_are_refused_by_name(years: int) -> None:
    with pytest.raises(Invalid) as raised:
        retention.pseudonymise(years)
    assert raised.value.field == "years"


def test_the_command_reports_and_its_dry_run_says_so() -> None:
    out = io.StringIO()
    with clock.frozen_at(LATER):
        call_command("retention", "--years", "8", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Care ended before 2032-06-01 (8 years ago)" in text
    assert "would be pseudonymised" in text and "Dry run: nothing was changed." in text
    assert Person.objects.filter(given_name="Person").count() == 0
    with pytest.raises(CommandError, match="Years must be 1 to 100"):
        call_command("retention", "--years", "0", stdout=io.StringIO())
