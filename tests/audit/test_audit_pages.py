"""The audit trail (every write, who, when, what changed; the commissioner's council only)
and the personal-data access log (the data protection officer's), with filters and CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from caremarket.audit import selectors
from caremarket.audit.sources import by_key, council_path
from caremarket.brokerage.models import PersonalDataAccess, Referral
from caremarket.core import clock
from caremarket.core.permissions import may
from caremarket.demo.accounts import data_protection_officer
from caremarket.market.models import Commissioner

pytestmark = pytest.mark.django_db


def _change(referral: Referral, by, text: str) -> None:  # type: ignore[no-untyped-def]
    referral.next_action = text
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save()


@pytest.fixture
def devon_referral() -> Referral:
    return Referral.objects.filter(commissioner__slug="devon").order_by("pk").first()


@pytest.fixture
def staffs_referral() -> Referral:
    return Referral.objects.filter(commissioner__slug="staffordshire").order_by("pk").first()


def test_a_commissioner_sees_who_changed_what_on_its_own_councils_records_only(
    client_for, user, devon_referral, staffs_referral
) -> None:  # type: ignore[no-untyped-def]
    broker = user("devon.broker")
    _change(devon_referral, broker, "Ring the family on Monday")
    _change(staffs_referral, user("staffs.broker"), "Staffordshire's own note")
    page = client_for("devon.commissioner").get(
        "/audit/", {"record": "brokerage.referral", "who": "devon.broker"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "devon.broker" in html and "Ring the family on Monday" in html
    assert "next_action" in html and "Changed" in html
    assert "Staffordshire&#x27;s own note" not in html and "staffs.broker" not in html
    assert 'class="app-table-wrapper" tabindex="0" role="region"' in html


def test_the_trail_reads_every_kind_of_record_through_its_council(user) -> None:  # type: ignore[no-untyped-def]
    keys = by_key()
    for key in ("brokerage.offer", "delivery.payline", "pricing.feereview", "frameworks.price"):
        assert keys[key].council_path, key
    assert keys["brokerage.offer"].council_path == "referral__commissioner_id"
    # who acted is not whose record it is: no path goes through a user
    assert "submitted_by" not in (keys["care_homes.vacancyreturn"].council_path or "")
    assert council_path(Commissioner) == "id"
    rows, _ = selectors.trail(user("devon.commissioner"), selectors.TrailCriteria())
    assert rows and {r.source.council_path is not None for r in rows} == {True}


def test_the_trail_filters_pages_and_downloads_as_csv(client_for, user, devon_referral) -> None:  # type: ignore[no-untyped-def]
    _change(devon_referral, user("devon.broker"), "First note")
    _change(devon_referral, user("devon.broker"), "Second note")
    client = client_for("devon.commissioner")
    today = clock.today()
    query = {
        "record": "brokerage.referral",
        "record_id": devon_referral.pk,
        "action": "~",
        "since_0": today.day,
        "since_1": today.month,
        "since_2": today.year,
    }
    answer = client.get("/audit/", {**query, "format": "csv"})
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert [r["What changed"] for r in rows[:2]] == [
        "next_action: First note → Second note",
        f"next_action: {_before(devon_referral)} → First note",
    ]
    assert {r["Who"] for r in rows[:2]} == {"devon.broker"}
    assert client.get("/audit/", {"page": 2}).status_code == 200
    whole = client.get("/audit/").content.decode()
    assert 'aria-label="Pagination"' in whole  # the demo's history is many pages long


def _before(referral: Referral) -> str:
    earlier = referral.history.order_by("history_date", "history_id")
    values = [h.next_action for h in earlier]
    return values[-3] or "(empty)"


def test_a_bad_filter_is_a_form_error_naming_the_field(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("devon.commissioner").get(
        "/audit/",
        {"since_0": "31", "since_1": "2", "since_2": "2026", "record_id": "99999999999999999999"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html and "Enter a real date" in html
    assert "No writes match these filters." in html


def test_only_commissioners_see_the_trail(client_for) -> None:  # type: ignore[no-untyped-def]
    for account in ("devon.broker", "devon.finance", "provider.devon"):
        assert client_for(account).get("/audit/").status_code == 403


@pytest.fixture
def dpo():  # type: ignore[no-untyped-def]
    return data_protection_officer(Commissioner.objects.get(slug="devon"), username="test.dpo")


def _look(provider_user, commissioner_slug: str, where: str) -> PersonalDataAccess:  # type: ignore[no-untyped-def]
    person = Referral.objects.filter(commissioner__slug=commissioner_slug).first().person
    return PersonalDataAccess.objects.create(
        user=provider_user, person=person, at=clock.now() - timedelta(minutes=5), where=where
    )


def test_the_data_protection_officer_sees_each_look_at_its_councils_people(
    client_for, user, dpo
) -> None:  # type: ignore[no-untyped-def]
    mine = _look(user("provider.devon"), "devon", "/api/v1/referrals/1/")
    _look(user("provider.staffs"), "staffordshire", "/staffs-only-page/")
    page = client_for("test.dpo").get("/audit/personal-data/", {"person": mine.person.reference})
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/v1/referrals/1/" in html and "provider.devon" in html
    assert "/staffs-only-page/" not in html
    answer = client_for("test.dpo").get("/audit/personal-data/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert rows and "/staffs-only-page/" not in {r["Where (page or API)"] for r in rows}
    assert {"When", "Who", "Provider", "Person", "Where (page or API)"} <= set(rows[0])


def test_the_access_log_is_the_duty_of_the_officer_not_of_every_commissioner(
    client_for, user, dpo
) -> None:  # type: ignore[no-untyped-def]
    assert may(dpo, "view_personal_data_log")
    assert not may(user("devon.commissioner"), "view_personal_data_log")
    answer = client_for("devon.commissioner").get("/audit/personal-data/")
    assert answer.status_code == 403
    assert client_for("provider.devon").get("/audit/personal-data/").status_code == 403
    assert client_for("admin").get("/audit/personal-data/").status_code == 200
